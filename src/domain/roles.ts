/** The roles a user can hold: the seed's CC Manager and Compliance Analyst, plus the people and systems around them. */
export const ROLES = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles that see every object their routes allow. Agents see their own conversations and supervisors
 * their groups'; a caller holding any of these roles is not narrowed. The integration is the telephony
 * system itself, which reports every call.
 */
export const UNSCOPED_ROLES: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'evaluator', 'integration'];

/** Whether a caller with these roles sees only part of the conversations (agents, supervisors). */
export function isScoped(roles: readonly Role[]): boolean {
  return !roles.some((role) => UNSCOPED_ROLES.includes(role));
}
