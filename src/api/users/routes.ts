import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, jsonResponse, problemResponses } from '../openapi-shared.js';
import { pageQuerySchema } from '../pagination.js';
import {
  apiTokenSchema,
  issuedTokenSchema,
  newTokenBodySchema,
  newUserBodySchema,
  notificationDeliveryBodySchema,
  principalSchema,
  rolesBodySchema,
  tokenIdParams,
  userIdParams,
  userSchema,
} from './schemas.js';


export const createUserRoute = createRoute({
  method: 'post',
  path: '/v1/users',
  tags: ['Users and tokens'],
  summary: 'Create a user (a person or a machine client) with roles and groups',
  request: { body: jsonBody(newUserBodySchema) },
  responses: { 201: jsonResponse('Created', userSchema), ...problemResponses(409, 422) },
});

export const listUsersRoute = createRoute({
  method: 'get',
  path: '/v1/users',
  tags: ['Users and tokens'],
  summary: 'List users in username order',
  request: { query: pageQuerySchema },
  responses: {
    200: jsonResponse('A page of users', z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() })),
    ...problemResponses(422),
  },
});

export const setUserRolesRoute = createRoute({
  method: 'put',
  path: '/v1/users/{userId}/roles',
  tags: ['Users and tokens'],
  summary: "Replace a user's roles",
  request: { params: userIdParams, body: jsonBody(rolesBodySchema) },
  responses: { 200: jsonResponse('The user with its new roles', userSchema), ...problemResponses(404, 409, 422) },
});

const disableBodySchema = z.object({ reason: z.string().trim().min(1).max(1000) }).openapi('UserStatusChange');

export const disableUserRoute = createRoute({
  method: 'post',
  path: '/v1/users/{userId}/disable',
  tags: ['Users and tokens'],
  summary: 'Disable a user: their tokens are refused from the next request on (the last enabled admin cannot be disabled)',
  request: { params: userIdParams, body: jsonBody(disableBodySchema) },
  responses: { 200: jsonResponse('The user, disabled', userSchema), ...problemResponses(404, 409, 422) },
});

export const enableUserRoute = createRoute({
  method: 'post',
  path: '/v1/users/{userId}/enable',
  tags: ['Users and tokens'],
  summary: 'Enable a disabled user again',
  request: { params: userIdParams, body: jsonBody(disableBodySchema) },
  responses: { 200: jsonResponse('The user, enabled', userSchema), ...problemResponses(404, 422) },
});

export const issueTokenRoute = createRoute({
  method: 'post',
  path: '/v1/users/{userId}/tokens',
  tags: ['Users and tokens'],
  summary: 'Issue an API token for a user (the answer is the only time the token is shown)',
  request: { params: userIdParams, body: jsonBody(newTokenBodySchema) },
  responses: { 201: jsonResponse('Issued', issuedTokenSchema), ...problemResponses(404, 422) },
});

export const listTokensRoute = createRoute({
  method: 'get',
  path: '/v1/users/{userId}/tokens',
  tags: ['Users and tokens'],
  summary: "List a user's API tokens (never the tokens themselves)",
  request: { params: userIdParams },
  responses: { 200: jsonResponse('Tokens, newest first', z.object({ items: z.array(apiTokenSchema) })), ...problemResponses(404, 422) },
});

export const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/v1/users/{userId}/tokens/{tokenId}',
  tags: ['Users and tokens'],
  summary: 'Revoke an API token at once (revoking twice keeps the first revocation time)',
  request: { params: tokenIdParams },
  responses: { 200: jsonResponse('The revoked token', apiTokenSchema), ...problemResponses(404, 422) },
});

export const whoAmIRoute = createRoute({
  method: 'get',
  path: '/v1/me',
  tags: ['Users and tokens'],
  summary: 'Who the presented token identifies, with roles and groups',
  responses: { 200: jsonResponse('The caller', principalSchema) },
});

export const setNotificationDeliveryRoute = createRoute({
  method: 'put',
  path: '/v1/users/{userId}/notification-delivery',
  tags: ['Users and tokens'],
  summary: "Set how a user's notification mails come: one by one, or as a daily digest at 07:00 in their time zone",
  request: { params: userIdParams, body: jsonBody(notificationDeliveryBodySchema) },
  responses: { 200: jsonResponse('The user with the new setting', userSchema), ...problemResponses(404, 422) },
});

export const setOwnNotificationDeliveryRoute = createRoute({
  method: 'put',
  path: '/v1/me/notification-delivery',
  tags: ['Users and tokens'],
  summary: 'Choose how your own notification mails come: one by one, or as a daily digest at 07:00 in your time zone',
  request: { body: jsonBody(notificationDeliveryBodySchema) },
  responses: { 200: jsonResponse('You, with the new setting', userSchema), ...problemResponses(404, 422) },
});
