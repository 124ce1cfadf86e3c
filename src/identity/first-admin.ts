import fs from 'node:fs/promises';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import type { AuditContext } from '../audit/write/audited.js';
import type { Database } from '../db/client.js';
import { apiTokens, users } from '../db/schema/index.js';
import { issueTokenForUser } from './bootstrap-token.js';
import { DEFAULT_TOKEN_LIFETIME_DAYS, newUserSchema } from './user-input.js';
import { fileExists } from '../lib/verified-files.js';
import { findUserByUsername } from './users.js';

export const FIRST_ADMIN_USERNAME = 'admin';
const FIRST_ADMIN_TOKEN_FILE = 'first-admin-token';

/** Where the first admin's token is kept until that admin makes another one. */
export function firstAdminTokenFile(dataDir: string): string {
  return path.join(dataDir, FIRST_ADMIN_TOKEN_FILE);
}

export type FirstAdmin = { created: true; userId: string; token: string; file: string } | { created: false; file: string | null };

/**
 * On an engine with no users at all, creates the first admin and a token, and writes the token (mode 0600)
 * under the data folder, so the first run needs no second terminal. Audited like any other user and token.
 * Two engines starting at once on one database: the username is unique, so one creates and the other sees it.
 */
export async function ensureFirstAdmin(db: Database, dataDir: string, audit: AuditContext): Promise<FirstAdmin> {
  const file = firstAdminTokenFile(dataDir);
  const [{ users: userCount } = { users: 0 }] = await db.select({ users: count() }).from(users);
  if (userCount > 0) return { created: false, file: (await fileExists(file)) ? file : null };
  let issued;
  try {
    issued = await issueTokenForUser(
      db,
      {
        user: newUserSchema.parse({ username: FIRST_ADMIN_USERNAME, fullName: 'First administrator', roles: ['admin'] }),
        tokenName: 'first-run',
        expiresInDays: DEFAULT_TOKEN_LIFETIME_DAYS,
      },
      audit,
    );
  } catch (error) {
    if (await findUserByUsername(db, FIRST_ADMIN_USERNAME)) return { created: false, file: (await fileExists(file)) ? file : null };
    throw error;
  }
  if (!issued.userCreated) return { created: false, file: (await fileExists(file)) ? file : null };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${issued.user.id}\n${issued.token}\n`, { mode: 0o600, flag: 'w' });
  return { created: true, userId: issued.user.id, token: issued.token, file };
}

/**
 * Removes the first admin's token file once that admin holds another token: the printed token then need
 * not lie on disk any longer. Called after every token issued through the engine and at start-up.
 */
export async function retireFirstAdminTokenFile(db: Database, dataDir: string): Promise<boolean> {
  const file = firstAdminTokenFile(dataDir);
  let content: string;
  try {
    content = await fs.readFile(file, 'utf8');
  } catch {
    return false;
  }
  const userId = content.split('\n')[0]?.trim();
  if (!userId || !/^[0-9a-f-]{36}$/i.test(userId)) return false;
  const [{ tokens } = { tokens: 0 }] = await db.select({ tokens: count() }).from(apiTokens).where(eq(apiTokens.userId, userId));
  if (tokens < 2) return false;
  await fs.rm(file, { force: true });
  return true;
}
