import { z } from '@hono/zod-openapi';
import {
  DEFAULT_TOKEN_LIFETIME_DAYS,
  MAX_TOKEN_LIFETIME_DAYS,
  newUserSchema,
  notificationDeliverySchema,
  roleSchema,
  tokenLifetimeDaysSchema,
} from '../../identity/user-input.js';
import { ROLES } from '../../domain/roles.js';

export const newUserBodySchema = newUserSchema.openapi('NewUser', {
  example: { username: 'jane.doe', fullName: 'Jane Doe', roles: ['supervisor'], supervisedGroups: ['trading-desk'], timeZone: 'Europe/London' },
});

export const userSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    fullName: z.string(),
    email: z.string().nullable(),
    roles: z.array(z.string()),
    groupNames: z.array(z.string()),
    supervisedGroups: z.array(z.string()),
    timeZone: z.string(),
    notificationDelivery: z.enum(['immediate', 'daily-digest']),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .openapi('User');

export const rolesBodySchema = z
  .object({ roles: z.array(roleSchema).max(ROLES.length).openapi({ description: 'The complete new set of roles; an empty set removes all access' }) })
  .openapi('UserRoles', { example: { roles: ['cc-manager'] } });

export const newTokenBodySchema = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ description: 'What the token is for, e.g. the client that uses it', example: 'contact-center feed' }),
    expiresInDays: tokenLifetimeDaysSchema
      .default(DEFAULT_TOKEN_LIFETIME_DAYS)
      .openapi({ description: `Lifetime in days, at most ${MAX_TOKEN_LIFETIME_DAYS}`, example: DEFAULT_TOKEN_LIFETIME_DAYS }),
  })
  .openapi('NewApiToken');

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the token, to tell tokens apart' }),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

export const issuedTokenSchema = apiTokenSchema
  .extend({ token: z.string().openapi({ description: 'The token itself: shown this once, never stored; send it as `Authorization: Bearer <token>`' }) })
  .openapi('IssuedApiToken');

export const principalSchema = z
  .object({
    userId: z.string(),
    username: z.string(),
    fullName: z.string(),
    roles: z.array(z.string()),
    groupNames: z.array(z.string()),
    supervisedGroups: z.array(z.string()),
    timeZone: z.string(),
  })
  .openapi('Principal');

export const notificationDeliveryBodySchema = z
  .object({
    notificationDelivery: notificationDeliverySchema.openapi({
      description: 'immediate: one mail per event; daily-digest: the day\'s mails as one, at 07:00 in the user\'s time zone',
    }),
  })
  .openapi('NotificationDelivery', { example: { notificationDelivery: 'daily-digest' } });

export const userIdParams = z.object({ userId: z.uuid() });
export const tokenIdParams = z.object({ userId: z.uuid(), tokenId: z.uuid() });
