import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The Ed25519 key that signs audit anchors. It lives in a file the database never sees. */
export interface AnchorSigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** SHA-256 of the public key (SPKI DER), hex: what an auditor writes down to recognise the key later. */
  keyId: string;
}

export function keyIdOf(publicKeyPem: string): string {
  return createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The public half's file, beside the private key. */
export function publicKeyFileOf(privateKeyFile: string): string {
  return `${privateKeyFile}.pub`;
}

/**
 * Reads the signing key, or creates one (mode 0600, its public half beside it) when the file does not
 * exist yet; `created` says which, so the start-up log can tell the operator to keep the key id.
 */
export function loadOrCreateSigningKey(file: string): { key: AnchorSigningKey; created: boolean } {
  let created = false;
  if (!fs.existsSync(file)) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': a second process starting at the same moment keeps the first one's key.
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      fs.writeFileSync(publicKeyFileOf(file), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = createPrivateKey(fs.readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key, not an Ed25519 key`);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { key: { privateKey, publicKeyPem, keyId: keyIdOf(publicKeyPem) }, created };
}
