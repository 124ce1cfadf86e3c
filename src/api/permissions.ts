/**
 * The one table that decides who may call which route. Keys are `METHOD /openapi/path/{param}` exactly as
 * in /openapi.json; a route missing here is refused to everyone (and fails the permission matrix test).
 * `activity` is the catalogue activity a refusal is audited under.
 */
export const ROLES = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export interface RoutePermission {
  roles: readonly Role[] | 'public';
  activity?: string;
}

/** Everyone who works with conversations; agents and supervisors are further scoped to their own or their group's. */
export const CONVERSATION_READERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent'];

/** Who may read the audit log and conversation traces: the seed's CC Manager and Compliance Analyst, plus auditors. */
export const AUDIT_READERS: readonly Role[] = ['cc-manager', 'compliance-analyst', 'auditor'];

export const ROUTE_PERMISSIONS: Record<string, RoutePermission> = {
  'GET /health/live': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'GET /openapi.json': { roles: 'public' },
  'GET /docs': { roles: 'public' },
  'POST /v1/contact-records': { roles: ['admin', 'integration'], activity: 'CONTACT_RECORDS_IMPORT' },
  'GET /v1/conversations/{conversationId}': { roles: CONVERSATION_READERS, activity: 'CONVERSATION_BY_ID' },
  // Chat and email import, the Conversation Explorer's search, and verified media.
  'POST /v1/chats': { roles: ['admin', 'integration'], activity: 'CHAT_IMPORT' },
  'POST /v1/emails': { roles: ['admin', 'integration'], activity: 'EMAIL_IMPORT' },
  'GET /v1/conversations': { roles: CONVERSATION_READERS, activity: 'CONVERSATION_SEARCH' },
  'GET /v1/conversations/{conversationId}/media': { roles: CONVERSATION_READERS, activity: 'CONVERSATION_BY_ID' },
  'GET /v1/conversations/{conversationId}/media/{sha256}': { roles: CONVERSATION_READERS, activity: 'ACCESS_MEDIA' },
  // Lifecycle changes to a captured conversation.
  'POST /v1/conversations/{conversationId}/tags': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_ADD' },
  'DELETE /v1/conversations/{conversationId}/tags/{name}': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_REMOVE' },
  'POST /v1/conversations/{conversationId}/legal-holds': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_ADD' },
  'POST /v1/conversations/{conversationId}/legal-holds/{holdId}/release': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_RELEASE' },
  'POST /v1/conversations/{conversationId}/retention-extensions': { roles: ['admin', 'compliance-analyst'], activity: 'RETENTION_EXTEND' },
  'POST /v1/conversations/{conversationId}/anonymisation': { roles: ['admin', 'compliance-analyst'], activity: 'CONVERSATION_EVENT_ANONYMIZE_ADD' },
  'GET /v1/conversations/{conversationId}/retention': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'CONVERSATION_BY_ID' },
  'GET /v1/conversations/{conversationId}/trace': { roles: AUDIT_READERS, activity: 'CONVERSATION_TRACE' },
  // Live calls: the telephony integration reports events; the API, agent desktop and supervisors tag.
  'POST /v1/calls/{callId}/events': { roles: ['admin', 'integration'], activity: 'CALL_EVENTS_IMPORT' },
  'GET /v1/calls/{callId}': { roles: [...CONVERSATION_READERS, 'integration'], activity: 'CONVERSATION_BY_ID' },
  'POST /v1/calls/{callId}/tags': { roles: ['admin', 'integration', 'agent', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_ADD' },
  'DELETE /v1/calls/{callId}/tags/{name}': { roles: ['admin', 'integration', 'agent', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_REMOVE' },
  // Administration.
  'POST /v1/tag-definitions': { roles: ['admin'], activity: 'TAG_DEFINITION_CREATE' },
  'GET /v1/tag-definitions': { roles: [...CONVERSATION_READERS, 'integration'], activity: 'TAG_DEFINITION_CREATE' },
  'DELETE /v1/tag-definitions/{name}': { roles: ['admin'], activity: 'TAG_DEFINITION_DELETE' },
  'POST /v1/recording-rules': { roles: ['admin'], activity: 'RECORDING_RULE_CREATE' },
  'GET /v1/recording-rules': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'RECORDING_RULE_UPDATE' },
  'PUT /v1/recording-rules/{ruleId}': { roles: ['admin'], activity: 'RECORDING_RULE_UPDATE' },
  'DELETE /v1/recording-rules/{ruleId}': { roles: ['admin'], activity: 'RECORDING_RULE_DELETE' },
  'GET /v1/disposals': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE' },
  'GET /v1/retention/forecast': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE' },
  'POST /v1/legal-holds': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_ADD' },
  'POST /v1/legal-holds/{holdGroupId}/release': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_RELEASE' },
  'POST /v1/archive-tasks': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE' },
  'GET /v1/archive-tasks': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'ARCHIVE_TASK_CHANGE' },
  'POST /v1/archive-tasks/{taskId}/runs': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE' },
  'GET /v1/archive-tasks/{taskId}/runs': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'ARCHIVE_TASK_CHANGE' },
  'POST /v1/archive-tasks/{taskId}/pause': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE' },
  'POST /v1/archive-tasks/{taskId}/resume': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE' },
  'POST /v1/delete-tasks': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE' },
  'GET /v1/delete-tasks': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'DELETE_TASK_CHANGE' },
  'PUT /v1/delete-tasks/{taskId}': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE' },
  'DELETE /v1/delete-tasks/{taskId}': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE' },
  'POST /v1/delete-tasks/{taskId}/runs': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE' },
  'GET /v1/delete-tasks/{taskId}/runs': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'DELETE_TASK_CHANGE' },
  'POST /v1/delete-tasks/{taskId}/pause': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE' },
  'POST /v1/delete-tasks/{taskId}/resume': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE' },
  // The Audit Log (the seed: CC Manager and Compliance Analyst; plus auditor).
  'GET /v1/audit': { roles: AUDIT_READERS, activity: 'AUDIT_SEARCH' },
  'GET /v1/audit/export': { roles: AUDIT_READERS, activity: 'AUDIT_EXPORT' },
  'GET /v1/audit/verify': { roles: AUDIT_READERS, activity: 'AUDIT_VERIFY' },
  'POST /v1/audit/checkpoints': { roles: AUDIT_READERS, activity: 'AUDIT_CHECKPOINT' },
  // Users and API tokens: only admins manage them; every authenticated caller may ask who they are.
  'GET /v1/me': { roles: ROLES, activity: 'VALIDATE_ACCESS_TOKEN' },
  'POST /v1/users': { roles: ['admin'], activity: 'REGISTER' },
  'GET /v1/users': { roles: ['admin'], activity: 'USER_LIST' },
  'PUT /v1/users/{userId}/roles': { roles: ['admin'], activity: 'UPDATE_CUSTOM_ROLE' },
  'POST /v1/users/{userId}/tokens': { roles: ['admin'], activity: 'CLIENT_REGISTER' },
  'GET /v1/users/{userId}/tokens': { roles: ['admin'], activity: 'CLIENT_INFO' },
  'DELETE /v1/users/{userId}/tokens/{tokenId}': { roles: ['admin'], activity: 'REVOKE_GRANT' },
};
