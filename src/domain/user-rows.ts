const USER_ROW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a principal's id is a `users` row. An identity-provider user without a row is `oidc:<sub>`: it
 * owns no review, assignment or session row, so every "their own" condition is false for it, never a
 * comparison of that text with a uuid column (which PostgreSQL refuses).
 */
export function isUserRowId(id: string): boolean {
  return USER_ROW_ID.test(id);
}
