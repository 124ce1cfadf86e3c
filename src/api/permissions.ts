import { ROLES, type Role } from '../domain/roles.js';
import type { ObjectKind } from './middleware/auth/object-scope.js';

/**
 * The one table that decides who may call which route. Keys are `METHOD /openapi/path/{param}` exactly as
 * in /openapi.json; a route missing here is refused to everyone (and fails the permission matrix test).
 * `activity` is the catalogue activity a refusal is audited under. `scope` names the kind of object the
 * route's path identifies: access control checks that the caller may see that object before any handler
 * runs (src/api/middleware/auth/object-scope.ts), so a route cannot forget it; `none` is for routes without one.
 */
export type RoutePermission =
  | { roles: 'public' }
  | { roles: readonly Role[]; activity: string; scope: ObjectKind | 'none' };

/** Everyone who works with conversations; agents and supervisors are further scoped to their own or their group's. */
export const CONVERSATION_READERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent'];

/** Who may read the audit log and conversation traces: the seed's CC Manager and Compliance Analyst, plus auditors. */
export const AUDIT_READERS: readonly Role[] = ['cc-manager', 'compliance-analyst', 'auditor'];

/** Who runs the quality programme: questionnaires, review plans, calibrations, dispute decisions (the seed's CC Manager and Compliance Analyst). */
export const QUALITY_MANAGERS: readonly Role[] = ['cc-manager', 'compliance-analyst'];

/** Everyone who works with reviews; evaluators, agents and supervisors then see only theirs (src/reviews/review-scope.ts). */
export const REVIEW_READERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent'];

/** Who reads questionnaires: everyone who defines, uses or audits them. */
const QUESTIONNAIRE_READERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator'];

/** Who defines and runs data exports (their own; an admin also others'). */
const DATA_EXPORTERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst'];

/** Who reads data exports: their owners, and auditors (who read every export but make none). */
const DATA_EXPORT_READERS: readonly Role[] = [...DATA_EXPORTERS, 'auditor'];

/** Who may be given a training and so see, take and fetch the material of their own assignments (narrowed by src/training/training-scope.ts). */
const TRAINEES: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor', 'evaluator', 'agent'];

/** Who reads training packs with their quiz answers: those who write them, assign them or audit them; never agents. */
const TRAINING_PACK_READERS: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'supervisor'];

export const ROUTE_PERMISSIONS: Record<string, RoutePermission> = {
  'GET /health/live': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'GET /health/capture': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'CONVERSATION_SEARCH', scope: 'none' },
  'GET /openapi.json': { roles: 'public' },
  'GET /docs': { roles: 'public' },
  'POST /v1/contact-records': { roles: ['admin', 'integration'], activity: 'CONTACT_RECORDS_IMPORT', scope: 'none' },
  'GET /v1/conversations/{conversationId}': { roles: CONVERSATION_READERS, activity: 'CONVERSATION_BY_ID', scope: 'conversation' },
  // Chat and email import, the Conversation Explorer's search, and verified media.
  'POST /v1/chats': { roles: ['admin', 'integration'], activity: 'CHAT_IMPORT', scope: 'none' },
  'POST /v1/emails': { roles: ['admin', 'integration'], activity: 'EMAIL_IMPORT', scope: 'none' },
  // Minutes of client meetings come from the firm's back office or CRM, or are entered by compliance staff.
  'POST /v1/meetings': { roles: ['admin', 'integration', 'cc-manager', 'compliance-analyst', 'supervisor'], activity: 'MEETING_MINUTES_IMPORT', scope: 'none' },
  // A client's copy of their records (MiFID II Art. 16(7)) holds every channel's content: compliance hands it over.
  'POST /v1/client-copies': { roles: ['admin', 'compliance-analyst'], activity: 'CLIENT_COPY_EXPORT', scope: 'none' },
  'GET /v1/conversations': { roles: CONVERSATION_READERS, activity: 'CONVERSATION_SEARCH', scope: 'none' },
  'GET /v1/conversations/{conversationId}/media': { roles: CONVERSATION_READERS, activity: 'CONVERSATION_BY_ID', scope: 'conversation' },
  'GET /v1/conversations/{conversationId}/media/{sha256}': { roles: CONVERSATION_READERS, activity: 'ACCESS_MEDIA', scope: 'conversation' },
  'POST /v1/conversations/{conversationId}/recordings/export': { roles: CONVERSATION_READERS, activity: 'SEND_RECORDING', scope: 'conversation' },
  // Lifecycle changes to a captured conversation.
  'POST /v1/conversations/{conversationId}/tags': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_ADD', scope: 'conversation' },
  'DELETE /v1/conversations/{conversationId}/tags/{name}': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_REMOVE', scope: 'conversation' },
  'POST /v1/conversations/{conversationId}/legal-holds': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_ADD', scope: 'conversation' },
  'POST /v1/conversations/{conversationId}/legal-holds/{holdId}/release': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_RELEASE', scope: 'conversation' },
  'POST /v1/conversations/{conversationId}/retention-extensions': { roles: ['admin', 'compliance-analyst'], activity: 'RETENTION_EXTEND', scope: 'conversation' },
  'POST /v1/conversations/{conversationId}/anonymisation': { roles: ['admin', 'compliance-analyst'], activity: 'CONVERSATION_EVENT_ANONYMIZE_ADD', scope: 'conversation' },
  'GET /v1/conversations/{conversationId}/retention': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'CONVERSATION_BY_ID', scope: 'conversation' },
  'GET /v1/conversations/{conversationId}/trace': { roles: AUDIT_READERS, activity: 'CONVERSATION_TRACE', scope: 'conversation' },
  // Live calls: the telephony integration reports events; the API, agent desktop and supervisors tag.
  'POST /v1/calls/{callId}/events': { roles: ['admin', 'integration'], activity: 'CALL_EVENTS_IMPORT', scope: 'call' },
  'GET /v1/calls/{callId}': { roles: [...CONVERSATION_READERS, 'integration'], activity: 'CONVERSATION_BY_ID', scope: 'call' },
  'POST /v1/calls/{callId}/tags': { roles: ['admin', 'integration', 'agent', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_ADD', scope: 'call' },
  'DELETE /v1/calls/{callId}/tags/{name}': { roles: ['admin', 'integration', 'agent', 'supervisor'], activity: 'CONVERSATION_EVENT_TAG_REMOVE', scope: 'call' },
  // Call recordings: the telephony integration (or an admin) sends each segment's audio.
  'PUT /v1/calls/{callId}/segments/{segmentIndex}/recording': { roles: ['admin', 'integration'], activity: 'RECORDING_STORED', scope: 'call' },
  'PUT /v1/calls/{callId}/recording': { roles: ['admin', 'integration'], activity: 'RECORDING_STORED', scope: 'call' },
  // Administration.
  'POST /v1/tag-definitions': { roles: ['admin'], activity: 'TAG_DEFINITION_CREATE', scope: 'none' },
  'GET /v1/tag-definitions': { roles: [...CONVERSATION_READERS, 'integration'], activity: 'TAG_DEFINITION_CREATE', scope: 'none' },
  'DELETE /v1/tag-definitions/{name}': { roles: ['admin'], activity: 'TAG_DEFINITION_DELETE', scope: 'none' },
  'POST /v1/recording-rules': { roles: ['admin'], activity: 'RECORDING_RULE_CREATE', scope: 'none' },
  'GET /v1/recording-rules': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'RECORDING_RULE_UPDATE', scope: 'none' },
  'PUT /v1/recording-rules/{ruleId}': { roles: ['admin'], activity: 'RECORDING_RULE_UPDATE', scope: 'none' },
  'DELETE /v1/recording-rules/{ruleId}': { roles: ['admin'], activity: 'RECORDING_RULE_DELETE', scope: 'none' },
  'GET /v1/disposals': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE', scope: 'none' },
  'GET /v1/retention/forecast': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE', scope: 'none' },
  'GET /v1/legal-holds': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE', scope: 'none' },
  'GET /v1/legal-holds/{holdGroupId}': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE', scope: 'none' },
  'POST /v1/legal-holds': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_ADD', scope: 'none' },
  'POST /v1/legal-holds/{holdGroupId}/release': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_RELEASE', scope: 'none' },
  // Four eyes: whoever may request a release may approve another person's (src/legal-holds/release-requests.ts).
  'GET /v1/legal-hold-releases': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE', scope: 'none' },
  'GET /v1/legal-hold-releases/{requestId}': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'EXPORT_EXECUTE', scope: 'none' },
  'POST /v1/legal-hold-releases/{requestId}/approve': { roles: ['admin', 'cc-manager', 'compliance-analyst'], activity: 'LEGAL_HOLD_RELEASE_APPROVE', scope: 'none' },
  'POST /v1/archive-tasks': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE', scope: 'none' },
  'GET /v1/archive-tasks': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'ARCHIVE_TASK_CHANGE', scope: 'none' },
  'POST /v1/archive-tasks/{taskId}/runs': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE', scope: 'none' },
  'GET /v1/archive-tasks/{taskId}/runs': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'ARCHIVE_TASK_CHANGE', scope: 'none' },
  'POST /v1/archive-tasks/{taskId}/pause': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE', scope: 'none' },
  'POST /v1/archive-tasks/{taskId}/resume': { roles: ['admin'], activity: 'ARCHIVE_TASK_CHANGE', scope: 'none' },
  'POST /v1/delete-tasks': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'GET /v1/delete-tasks': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'PUT /v1/delete-tasks/{taskId}': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'DELETE /v1/delete-tasks/{taskId}': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'POST /v1/delete-tasks/{taskId}/runs': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'GET /v1/delete-tasks/{taskId}/runs': { roles: ['admin', 'cc-manager', 'compliance-analyst', 'auditor'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'POST /v1/delete-tasks/{taskId}/pause': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  'POST /v1/delete-tasks/{taskId}/resume': { roles: ['admin'], activity: 'DELETE_TASK_CHANGE', scope: 'none' },
  // The Audit Log (the seed: CC Manager and Compliance Analyst; plus auditor).
  'GET /v1/audit': { roles: AUDIT_READERS, activity: 'AUDIT_SEARCH', scope: 'none' },
  'GET /v1/audit/export': { roles: AUDIT_READERS, activity: 'AUDIT_EXPORT', scope: 'none' },
  'GET /v1/audit/verify': { roles: AUDIT_READERS, activity: 'AUDIT_VERIFY', scope: 'none' },
  'POST /v1/audit/checkpoints': { roles: AUDIT_READERS, activity: 'AUDIT_CHECKPOINT', scope: 'none' },
  'GET /v1/audit/checkpoints/latest': { roles: AUDIT_READERS, activity: 'AUDIT_VERIFY', scope: 'none' },
  // Questionnaires (the seed's Questionnaires module): a change to what scores makes a new version.
  'POST /v1/questionnaires': { roles: QUALITY_MANAGERS, activity: 'ADD_QUESTIONAIRE', scope: 'none' },
  'GET /v1/questionnaires': { roles: QUESTIONNAIRE_READERS, activity: 'ADD_QUESTIONAIRE', scope: 'none' },
  'GET /v1/questionnaires/{questionnaireId}': { roles: QUESTIONNAIRE_READERS, activity: 'ADD_QUESTIONAIRE', scope: 'none' },
  'GET /v1/questionnaires/{questionnaireId}/versions/{version}': { roles: QUESTIONNAIRE_READERS, activity: 'ADD_QUESTIONAIRE', scope: 'none' },
  'PUT /v1/questionnaires/{questionnaireId}/definition': { roles: QUALITY_MANAGERS, activity: 'EDIT_QUESTIONAIRE', scope: 'none' },
  'PUT /v1/questionnaires/{questionnaireId}/tiers': { roles: QUALITY_MANAGERS, activity: 'UPDATE_SCORING_TIER', scope: 'none' },
  'PATCH /v1/questionnaires/{questionnaireId}': { roles: QUALITY_MANAGERS, activity: 'EDIT_QUESTIONAIRE_PROPERTIES', scope: 'none' },
  'PUT /v1/questionnaires/{questionnaireId}/permissions': { roles: QUALITY_MANAGERS, activity: 'EDIT_QUESTIONAIRE_PERMISSIONS', scope: 'none' },
  'PUT /v1/questionnaires/{questionnaireId}/selection-rules': { roles: QUALITY_MANAGERS, activity: 'EDIT_QUESTIONAIRE_CALL_SELECTION_RULES', scope: 'none' },
  'DELETE /v1/questionnaires/{questionnaireId}': { roles: QUALITY_MANAGERS, activity: 'REMOVE_QUESTIONAIRE', scope: 'none' },
  // Review plans: periodic monitoring, each plan a Temporal Schedule.
  'POST /v1/review-plans': { roles: QUALITY_MANAGERS, activity: 'REVIEW_PLAN_CHANGE', scope: 'none' },
  'GET /v1/review-plans': { roles: [...QUALITY_MANAGERS, 'admin', 'auditor'], activity: 'REVIEW_PLAN_CHANGE', scope: 'none' },
  'GET /v1/review-plans/{planId}': { roles: [...QUALITY_MANAGERS, 'admin', 'auditor'], activity: 'REVIEW_PLAN_CHANGE', scope: 'none' },
  'PUT /v1/review-plans/{planId}': { roles: QUALITY_MANAGERS, activity: 'REVIEW_PLAN_CHANGE', scope: 'none' },
  'DELETE /v1/review-plans/{planId}': { roles: QUALITY_MANAGERS, activity: 'REVIEW_PLAN_CHANGE', scope: 'none' },
  'POST /v1/review-plans/{planId}/runs': { roles: QUALITY_MANAGERS, activity: 'REVIEW_PLAN_RUN', scope: 'none' },
  'GET /v1/review-plans/{planId}/runs': { roles: [...QUALITY_MANAGERS, 'admin', 'auditor'], activity: 'REVIEW_PLAN_RUN', scope: 'none' },
  // Reviews: the lifecycle of one review, each step the seed's audited activity.
  'GET /v1/reviews': { roles: REVIEW_READERS, activity: 'EVALUATIONS_SEARCH', scope: 'none' },
  'POST /v1/reviews': { roles: [...QUALITY_MANAGERS, 'supervisor', 'evaluator'], activity: 'ADD_PARTICULAR_CALL', scope: 'none' },
  'POST /v1/reviews/reallocations': { roles: QUALITY_MANAGERS, activity: 'REALLOCATE_EVALUATIONS', scope: 'none' },
  'GET /v1/reviews/{reviewId}': { roles: REVIEW_READERS, activity: 'EVALUATIONS_SEARCH', scope: 'review' },
  'GET /v1/reviews/{reviewId}/history': { roles: REVIEW_READERS, activity: 'EVALUATIONS_SEARCH', scope: 'review' },
  'POST /v1/reviews/{reviewId}/start': { roles: ['evaluator'], activity: 'START_EVALUATION', scope: 'review' },
  'PUT /v1/reviews/{reviewId}/answers': { roles: ['evaluator'], activity: 'SAVE_EVALUATION', scope: 'review' },
  'POST /v1/reviews/{reviewId}/complete': { roles: ['evaluator'], activity: 'COMPLETE_EVALUATION', scope: 'review' },
  'POST /v1/reviews/{reviewId}/reopen': { roles: [...QUALITY_MANAGERS, 'supervisor'], activity: 'REOPEN_EVALUATION', scope: 'review' },
  'POST /v1/reviews/{reviewId}/reallocate': { roles: [...QUALITY_MANAGERS, 'supervisor'], activity: 'REALLOCATE_EVALUATIONS', scope: 'review' },
  'POST /v1/reviews/{reviewId}/replace-conversation': { roles: [...QUALITY_MANAGERS, 'supervisor', 'evaluator'], activity: 'REPLACE_CALL', scope: 'review' },
  'DELETE /v1/reviews/{reviewId}': { roles: [...QUALITY_MANAGERS, 'supervisor'], activity: 'DELETE_EVALUATION', scope: 'review' },
  'PUT /v1/reviews/{reviewId}/reveal': { roles: [...QUALITY_MANAGERS, 'supervisor', 'evaluator'], activity: 'REVEAL_TO_AGENT_CHANGED', scope: 'review' },
  'PUT /v1/reviews/{reviewId}/include-in-reports': { roles: QUALITY_MANAGERS, activity: 'INCLUDE_IN_REPORTS_CHANGED', scope: 'review' },
  'POST /v1/reviews/{reviewId}/acknowledgement': { roles: ['agent'], activity: 'REVIEW_ACKNOWLEDGE', scope: 'review' },
  'POST /v1/reviews/{reviewId}/disputes': { roles: ['agent'], activity: 'REVIEW_DISPUTE', scope: 'review' },
  'POST /v1/reviews/{reviewId}/disputes/{disputeId}/resolution': { roles: QUALITY_MANAGERS, activity: 'REVIEW_DISPUTE_RESOLVE', scope: 'review' },
  // Calibration and reports.
  'POST /v1/calibrations': { roles: QUALITY_MANAGERS, activity: 'CALIBRATION_CREATE', scope: 'none' },
  'GET /v1/calibrations/{calibrationId}': { roles: [...QUALITY_MANAGERS, 'auditor'], activity: 'EVALUATION_REPORT', scope: 'none' },
  'GET /v1/review-reports': { roles: [...QUALITY_MANAGERS, 'auditor', 'supervisor'], activity: 'EVALUATION_REPORT', scope: 'none' },
  'GET /v1/review-reports/export': { roles: [...QUALITY_MANAGERS, 'auditor', 'supervisor'], activity: 'EVALUATION_REPORT', scope: 'none' },
  'GET /v1/review-reports/calibration': { roles: [...QUALITY_MANAGERS, 'auditor'], activity: 'EVALUATION_REPORT', scope: 'none' },
  // Data exports (the seed's Data Export module): owners manage theirs; admins, CC managers and auditors read all (src/exports/export-access.ts).
  'POST /v1/data-exports': { roles: DATA_EXPORTERS, activity: 'DATA_EXPORT_CREATE', scope: 'none' },
  'GET /v1/data-exports': { roles: DATA_EXPORT_READERS, activity: 'DATA_EXPORT_CREATE', scope: 'none' },
  'GET /v1/data-exports/{exportId}': { roles: DATA_EXPORT_READERS, activity: 'DATA_EXPORT_CREATE', scope: 'none' },
  'PUT /v1/data-exports/{exportId}': { roles: DATA_EXPORTERS, activity: 'DATA_EXPORT_CHANGED', scope: 'none' },
  'DELETE /v1/data-exports/{exportId}': { roles: DATA_EXPORTERS, activity: 'DATA_EXPORT_DELETE', scope: 'none' },
  'POST /v1/data-exports/{exportId}/runs': { roles: DATA_EXPORTERS, activity: 'DATA_EXPORT_RUN_MANUAL', scope: 'none' },
  'GET /v1/data-exports/{exportId}/runs': { roles: DATA_EXPORT_READERS, activity: 'DATA_EXPORT_RUN_MANUAL', scope: 'none' },
  'GET /v1/data-exports/{exportId}/runs/{runId}/file': { roles: DATA_EXPORT_READERS, activity: 'DATA_EXPORT_DOWNLOAD', scope: 'none' },
  // Training (the seed's eLearning): packs and material by quality managers; coaching also by supervisors for their groups;
  // trainees see and take their own assignments (src/training/training-scope.ts narrows every assignment route).
  'POST /v1/training-packs': { roles: QUALITY_MANAGERS, activity: 'TRAINING_PACK_CHANGE', scope: 'none' },
  'GET /v1/training-packs': { roles: TRAINING_PACK_READERS, activity: 'TRAININGS_SEARCH', scope: 'none' },
  'GET /v1/training-packs/{packId}': { roles: TRAINING_PACK_READERS, activity: 'TRAININGS_SEARCH', scope: 'none' },
  'PUT /v1/training-packs/{packId}': { roles: QUALITY_MANAGERS, activity: 'TRAINING_PACK_CHANGE', scope: 'none' },
  'POST /v1/training-packs/{packId}/versions': { roles: QUALITY_MANAGERS, activity: 'TRAINING_PACK_CHANGE', scope: 'none' },
  'POST /v1/training-packs/{packId}/activate': { roles: QUALITY_MANAGERS, activity: 'TRAINING_PACK_CHANGE', scope: 'none' },
  'DELETE /v1/training-packs/{packId}': { roles: QUALITY_MANAGERS, activity: 'TRAINING_PACK_CHANGE', scope: 'none' },
  'POST /v1/training-materials': { roles: QUALITY_MANAGERS, activity: 'TRAINING_MATERIAL_UPLOAD', scope: 'none' },
  'GET /v1/training-materials/{sha256}': { roles: TRAINEES, activity: 'ACCESS_MEDIA', scope: 'none' },
  'POST /v1/training-assignments': { roles: [...QUALITY_MANAGERS, 'supervisor'], activity: 'TRAINING_ASSIGN', scope: 'none' },
  'GET /v1/training-assignments': { roles: TRAINEES, activity: 'TRAININGS_SEARCH', scope: 'none' },
  'GET /v1/training-assignments/{assignmentId}': { roles: TRAINEES, activity: 'TRAININGS_SEARCH', scope: 'trainingAssignment' },
  'GET /v1/training-assignments/{assignmentId}/history': { roles: TRAINEES, activity: 'TRAININGS_SEARCH', scope: 'trainingAssignment' },
  'POST /v1/training-assignments/{assignmentId}/attempts': { roles: TRAINEES, activity: 'TRAINING_QUIZ_SUBMIT', scope: 'trainingAssignment' },
  'POST /v1/training-assignments/{assignmentId}/cancel': { roles: QUALITY_MANAGERS, activity: 'TRAINING_CANCEL', scope: 'trainingAssignment' },
  'GET /v1/training-reports': { roles: [...QUALITY_MANAGERS, 'auditor', 'supervisor'], activity: 'TRAINING_REPORT', scope: 'none' },
  // Users and API tokens: only admins manage them; every authenticated caller may ask who they are.
  'GET /v1/me': { roles: ROLES, activity: 'VALIDATE_ACCESS_TOKEN', scope: 'none' },
  'PUT /v1/me/notification-delivery': { roles: ROLES, activity: 'EDIT_USER', scope: 'none' },
  'POST /v1/users': { roles: ['admin'], activity: 'REGISTER', scope: 'none' },
  'GET /v1/users': { roles: ['admin'], activity: 'USER_LIST', scope: 'none' },
  'PUT /v1/users/{userId}/roles': { roles: ['admin'], activity: 'UPDATE_CUSTOM_ROLE', scope: 'none' },
  'POST /v1/users/{userId}/disable': { roles: ['admin'], activity: 'EDIT_USER', scope: 'none' },
  'POST /v1/users/{userId}/enable': { roles: ['admin'], activity: 'EDIT_USER', scope: 'none' },
  'PUT /v1/users/{userId}/notification-delivery': { roles: ['admin'], activity: 'EDIT_USER', scope: 'none' },
  'POST /v1/users/{userId}/tokens': { roles: ['admin'], activity: 'CLIENT_REGISTER', scope: 'none' },
  'GET /v1/users/{userId}/tokens': { roles: ['admin'], activity: 'CLIENT_INFO', scope: 'none' },
  'DELETE /v1/users/{userId}/tokens/{tokenId}': { roles: ['admin'], activity: 'REVOKE_GRANT', scope: 'none' },
};
