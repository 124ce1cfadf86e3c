import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { requestTokenFromEngine, tokenSocketPath } from '../src/identity/token-socket.js';
import { DEFAULT_TOKEN_LIFETIME_DAYS, newUserSchema, tokenLifetimeDaysSchema } from '../src/identity/user-input.js';

/**
 * `npm run token:create -- --username admin --full-name "Ada Admin" --role admin [--expires-in-days N]`:
 * creates the user if new and prints a fresh API token once. A running engine on the same data folder is
 * asked over its local socket (the embedded database admits one process); otherwise the command opens the
 * database itself: PostgreSQL (DATABASE_URL) or the embedded PGlite files under DATA_DIR.
 */
const USAGE = `Usage: npm run token:create -- --username <name> --full-name <name> --role <role> [--role <role> ...]
       [--group <agent group> ...] [--supervised-group <group> ...] [--email <address>] [--time-zone <IANA zone>]
       [--token-name <label>] [--expires-in-days <days, default ${DEFAULT_TOKEN_LIFETIME_DAYS}>]
Roles: admin, cc-manager, compliance-analyst, auditor, supervisor, evaluator, agent, integration.
An existing user keeps its roles and gets one more token.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        username: { type: 'string' },
        'full-name': { type: 'string' },
        role: { type: 'string', multiple: true, default: [] },
        group: { type: 'string', multiple: true, default: [] },
        'supervised-group': { type: 'string', multiple: true, default: [] },
        email: { type: 'string' },
        'time-zone': { type: 'string' },
        'token-name': { type: 'string', default: 'token:create' },
        'expires-in-days': { type: 'string', default: String(DEFAULT_TOKEN_LIFETIME_DAYS) },
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

const user = newUserSchema.safeParse({
  username: values.username,
  fullName: values['full-name'] ?? values.username,
  email: values.email,
  roles: values.role,
  groupNames: values.group,
  supervisedGroups: values['supervised-group'],
  timeZone: values['time-zone'],
});
const expiresInDays = tokenLifetimeDaysSchema.safeParse(Number(values['expires-in-days']));
const OPTION_OF_FIELD: Record<string, string> = { fullName: 'full-name', roles: 'role', groupNames: 'group', supervisedGroups: 'supervised-group', timeZone: 'time-zone' };
const problems = [
  ...(user.error?.issues ?? []).map((issue) => {
    const field = String(issue.path[0] ?? '');
    return `--${OPTION_OF_FIELD[field] ?? field}: ${issue.message}`;
  }),
  ...(expiresInDays.error?.issues ?? []).map((issue) => `--expires-in-days: ${issue.message}`),
];
if (!user.success || !expiresInDays.success) fail(`${problems.join('\n')}\n\n${USAGE}`);

const config = loadConfig();

function printIssued(issued: { userCreated: boolean; username: string; userId: string; roles: readonly string[]; tokenName: string; expiresAt: string; token: string }): void {
  const who = `${issued.username} (roles: ${issued.roles.join(', ') || 'none'})`;
  const ignoredRoles = !issued.userCreated && [...user.data!.roles].sort().join() !== [...issued.roles].sort().join();
  if (ignoredRoles) process.stderr.write(`Note: --role was ignored; change roles with PUT /v1/users/${issued.userId}/roles.\n`);
  process.stdout.write(
    `${issued.userCreated ? 'Created user' : 'User exists, roles unchanged:'} ${who}\n` +
      `API token "${issued.tokenName}", expires ${issued.expiresAt}. It is shown only this once; store it now:\n\n` +
      `${issued.token}\n\n` +
      `Send it as: Authorization: Bearer <token>   (try: curl -H "Authorization: Bearer $TOKEN" http://${config.api.host}:${config.api.port}/v1/me)\n`,
  );
}

const request = { user: user.data, tokenName: values['token-name'], expiresInDays: expiresInDays.data };
const socket = tokenSocketPath(config.dataDir);
const answer = socket ? await requestTokenFromEngine(socket, request).catch((error: unknown) => fail(`The running engine did not issue the token: ${String(error)}`, 1)) : undefined;
if (answer) {
  if (!answer.ok) fail(`The running engine refused: ${answer.error}`, 2);
  printIssued(answer);
  process.exit(0);
}

if (!config.databaseUrl) {
  // PGlite does not lock its files: two processes writing them corrupt the database. PGlite keeps this file while open.
  const pidFile = path.join(config.dataDir, 'pglite', 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    fail(
      `The embedded database in ${config.dataDir} is in use (${pidFile} exists) and no engine answers on its socket: stop the engine (Ctrl+C) and run this again.\n` +
        'If the engine is not running it did not shut down cleanly: start it and stop it once, then run this again.',
      3,
    );
  }
}

// Loaded only here: opening the database is the slow path, not needed when the engine answers.
const { openDatabase } = await import('../src/db/client.js');
const { applyMigrationsAsOwner } = await import('../src/db/migrate.js');
const { issueTokenForUser } = await import('../src/identity/bootstrap-token.js');
const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await applyMigrationsAsOwner(handle, config);
  const issued = await issueTokenForUser(handle.db, request, {
    actor: { type: 'system', id: 'token:create', username: 'token:create', fullName: 'Bootstrap command (npm run token:create)' },
    correlationId: `token-create-${randomUUID()}`,
  });
  printIssued({ userCreated: issued.userCreated, username: issued.user.username, userId: issued.user.id, roles: issued.user.roles, tokenName: issued.row.name, expiresAt: issued.row.expiresAt.toISOString(), token: issued.token });
} finally {
  await handle.close();
}
