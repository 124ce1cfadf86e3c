import { isKnownTimeZone } from '../domain/time-zones.js';
import { z } from 'zod';
import { ROLES } from '../domain/roles.js';

/** Shared by the API and the bootstrap command, so both accept exactly the same identities. */
export const usernameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'letters, digits and . _ @ - only, starting with a letter or digit');

export const roleSchema = z.enum(ROLES);

export const groupNameSchema = z.string().min(1).max(128).regex(/^[^\u0000-\u001f]+$/, 'no control characters');

export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isKnownTimeZone, 'not an IANA time zone');

export const fullNameSchema = z.string().trim().min(1).max(200);

/** immediate: one mail per event; daily-digest: the day's mails in one, at 07:00 in the user's zone. */
export const NOTIFICATION_DELIVERIES = ['immediate', 'daily-digest'] as const;
export const notificationDeliverySchema = z.enum(NOTIFICATION_DELIVERIES);
export type NotificationDelivery = z.infer<typeof notificationDeliverySchema>;

export const newUserSchema = z.object({
  username: usernameSchema,
  fullName: fullNameSchema,
  email: z.email().max(320).optional(),
  roles: z.array(roleSchema).min(1).max(ROLES.length),
  groupNames: z.array(groupNameSchema).max(100).default([]),
  supervisedGroups: z.array(groupNameSchema).max(100).default([]),
  timeZone: timeZoneSchema.default('UTC'),
  /** Unset: immediate. */
  notificationDelivery: notificationDeliverySchema.optional(),
});

export type NewUser = z.infer<typeof newUserSchema>;

/** Tokens always expire; ten years is the longest a machine client may go without rotating. */
export const MAX_TOKEN_LIFETIME_DAYS = 3650;
export const DEFAULT_TOKEN_LIFETIME_DAYS = 90;
export const tokenLifetimeDaysSchema = z.number().int().min(1).max(MAX_TOKEN_LIFETIME_DAYS);

export function expiryAfterDays(days: number, now = new Date()): Date {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}
