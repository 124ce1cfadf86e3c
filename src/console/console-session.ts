import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';

export const SESSION_COOKIE = 'rk_console';
/** Before sign-in there is no session to derive a CSRF token from: a random value in its own cookie, echoed by the form. */
export const SIGN_IN_COOKIE = 'rk_console_signin';
export const CONSOLE_PATH = '/console';

/** The CSRF token of a session: a hash of its secret, so nothing extra is stored and it dies with the session. */
export function csrfTokenOf(sessionSecret: string): string {
  return createHash('sha256').update(`csrf:${sessionSecret}`, 'utf8').digest('base64url');
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function sessionCookieOf(c: Context<ConsoleEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** HttpOnly (scripts never see it), SameSite=Strict (never sent from another site), scoped to the console. */
export function setSessionCookie(c: Context<ConsoleEnv>, deps: ConsoleDeps, secret: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies, path: CONSOLE_PATH, maxAge: maxAgeSeconds });
}

export function clearSessionCookie(c: Context<ConsoleEnv>, deps: ConsoleDeps): void {
  deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH, secure: deps.secureCookies });
}

/** Only paths inside the console are followed after sign-in: `next` can never send a user to another site. */
export function safeNextPath(next: string | undefined): string {
  if (next && next.startsWith(`${CONSOLE_PATH}/`) && !next.startsWith('//') && !/[\\\r\n]/.test(next)) return next;
  return `${CONSOLE_PATH}/`;
}
