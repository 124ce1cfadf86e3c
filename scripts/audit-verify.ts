import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ANCHOR_PUBLIC_KEY_FILE } from '../src/audit/anchor/anchor-format.js';
import { readAnchors } from '../src/audit/anchor/anchor-reader.js';
import { verifyAgainstAnchors } from '../src/audit/anchor/anchor-verify.js';
import { keyIdOf } from '../src/audit/anchor/signing-key.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';

/**
 * `npm run audit:verify -- --checkpoints DIR [--public-key FILE] [--key-id HEX] [--database-url URL]`: checks
 * the audit log against the signed anchors in DIR for an auditor who trusts neither the engine nor its
 * database. Every entry's hash is recomputed here (not by the database's digest function), every link
 * checked, every anchor's signature verified. Reads only. Exit 0: verified; 1: a disagreement; 2: usage.
 */
const USAGE = `Usage: npm run audit:verify -- --checkpoints <anchor folder> [--public-key <PEM file>] [--key-id <hex>] [--database-url <postgres://...>]
The public key defaults to ${ANCHOR_PUBLIC_KEY_FILE} in the anchor folder; give --key-id (the id noted when the key was made) to be sure it is the right one.
The database defaults to DATABASE_URL, or the embedded database under DATA_DIR (with the engine stopped).`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        checkpoints: { type: 'string' },
        'public-key': { type: 'string' },
        'key-id': { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
})();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!values.checkpoints) fail(`--checkpoints is required\n\n${USAGE}`);
const dir = path.resolve(values.checkpoints);
if (!fs.existsSync(dir)) fail(`--checkpoints: ${dir} does not exist`);
const publicKeyFile = path.resolve(values['public-key'] ?? path.join(dir, ANCHOR_PUBLIC_KEY_FILE));
if (!fs.existsSync(publicKeyFile)) fail(`--public-key: ${publicKeyFile} does not exist`);
const publicKeyPem = fs.readFileSync(publicKeyFile, 'utf8');
const keyId = keyIdOf(publicKeyPem);
if (values['key-id'] && values['key-id'].toLowerCase() !== keyId) fail(`The public key ${publicKeyFile} has key id ${keyId}, not ${values['key-id']}: refusing to trust it`, 1);
if (!values['key-id']) process.stderr.write(`Note: trusting the public key in ${publicKeyFile} (key id ${keyId}); compare that id with the one noted when the key was made, or pass --key-id.\n`);

const config = loadConfig();
const handle = await openDatabase({ databaseUrl: values['database-url'] ?? config.databaseUrl, dataDir: config.dataDir });
try {
  const read = await readAnchors(dir, publicKeyPem);
  const verification = await verifyAgainstAnchors(handle.db, read, { recompute: true });
  process.stdout.write(`${JSON.stringify(verification, null, 2)}\n`);
  const summary = verification.verified
    ? `VERIFIED: ${verification.recomputed} entries recomputed, ${verification.anchors} anchors up to entry ${verification.anchoredTo} match.`
    : verification.firstDisagreement
      ? `NOT VERIFIED: entry ${verification.firstDisagreement.chainSeq} (${verification.firstDisagreement.id ?? 'missing'}) disagrees: ${verification.firstDisagreement.reason}` +
        (verification.firstDisagreement.anchorFile ? ` with anchor ${verification.firstDisagreement.anchorFile}` : '') +
        '.'
      : `NOT VERIFIED: ${verification.problems.length} anchor file(s) unusable: ${verification.problems.map((problem) => `${problem.file}: ${problem.problem}`).join('; ')}`;
  process.stderr.write(`${summary}\n`);
  process.exitCode = verification.verified ? 0 : 1;
} finally {
  await handle.close();
}
