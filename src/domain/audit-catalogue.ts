/**
 * Every auditable activity: the seed's Quality Management and User Management catalogues, plus the
 * engine's own lifecycle, capture and retention steps. Asynchronous activities write two entries
 * (BEGIN when the request is received, END with its result); synchronous ones write one (SYNC).
 */
export type ActivityKind = 'async' | 'sync';

export interface ActivityDefinition {
  name: string;
  module: string;
  description: string;
  kind: ActivityKind;
}

type Row = readonly [name: string, description: string];

function group(module: string, kind: ActivityKind, rows: readonly Row[]): ActivityDefinition[] {
  return rows.map(([name, description]) => ({ name, module, description, kind }));
}

const definitions: ActivityDefinition[] = [
  ...group('Conversation Explorer', 'async', [
    ['CONVERSATION_EVENT_ANONYMIZE_ADD', 'Anonymization of the conversation'],
    ['CONVERSATION_BY_ID', 'Interaction lookup by ID'],
    ['CONVERSATION_EVENT_CHAT_CHANGE', 'Chat updated'],
    ['CONVERSATION_CLIENT_SEARCH', 'Interaction(s) searched for'],
    ['CONVERSATION_EVENT_EMAIL_CHANGE', 'Email updated'],
    ['EXPORT_EXECUTE', 'Interaction metadata exported'],
    ['CONVERSATION_EVENT_METADATA_CHANGE', 'Metadata updated'],
    ['CONVERSATION_EVENT_REVIEW_ADD', 'Review added'],
    ['CONVERSATION_EVENT_REVIEW_CHANGE', 'Review changed'],
    ['CONVERSATION_SEARCH', 'Interaction(s) searched for'],
    ['CONVERSATION_EVENT_SURVEY_ADD', 'Survey added'],
    ['CONVERSATION_EVENT_SURVEY_CHANGE', 'Survey changed'],
    ['CONVERSATION_EVENT_TAG_ADD', 'Interaction tag added'],
    ['CONVERSATION_EVENT_TAG_REMOVE', 'Interaction tag removed'],
    ['CONVERSATION_EVENT_TAG_UPDATE', 'Interaction tag updated'],
  ]),
  ...group('Automated Quality Management', 'async', [
    ['AUTOMATED_RULE_CREATED', 'Rule created'],
    ['AUTOMATED_RULE_MODIFIED', 'Rule updated'],
    ['AUTOMATED_RULE_DELETED', 'Draft rule deleted'],
  ]),
  ...group('Administration', 'async', [
    ['AUDIT_SEARCH', 'Audit page search used'],
    ['FIELD_CONFIG_LIST', 'Configuration field list showed'],
    ['FIELD_CONFIG_UPDATE', 'Configuration field updated'],
    ['LABEL_CREATE', 'User label created'],
    ['LABEL_DELETE', 'User label deleted'],
    ['LABEL_UPDATE', 'User label updated'],
    ['METADATA_KEY_UPDATE', 'Metadata key for search updated'],
    ['PASSWORD_CREATE', 'Password created'],
    ['SEARCH_TEMPLATE_UPDATE', 'Search template updated'],
    ['SAVED_FILTER_SEARCH', 'Saved Filters searched by name, or displayed'],
    ['SAVED_FILTER_ASSIGNMENT_MODIFIED', 'Assignment of users to a saved filter modified'],
    ['USER_LIST', 'User list displayed'],
    ['EDIT_AUDIT_REASON', 'Replace reason changed'],
    ['MERGE_AUDIT_REASON', 'Replace reason merged'],
  ]),
  ...group('Reviews', 'sync', [
    ['CREATE_EVALUATION', 'Review created'],
    ['START_EVALUATION', 'Review started'],
    ['COMPLETE_EVALUATION', 'Review completed'],
    ['DELETE_EVALUATION', 'Review deleted'],
    ['DELETE_FINISHED_EVALUATION', 'Finished review deleted'],
    ['EVALUATION_REPORT', 'Review report viewed'],
    ['EVALUATIONS_SEARCH', 'Searched for review'],
    ['REALLOCATE_EVALUATIONS', 'Reviews reallocated'],
    ['REPLACE_CALL', 'Call replaced in review'],
    ['REOPEN_EVALUATION', 'Review reopened'],
    ['ADD_INTERACTION_TYPE', 'Interaction type added to review'],
    ['ADD_PARTICULAR_CALL', 'Particular call added to review'],
    ['EDIT_EVALUATORS_GROUP', 'Evaluators group edited'],
    ['EDIT_GROUP', 'Group edited'],
    ['EDIT_INTERACTION_TYPE', 'Interaction type edited'],
    ['EDIT_OPTIONS', 'Options edited'],
    ['REVEAL_TO_AGENT_CHANGED', 'Reveal to agent state changed'],
    ['SAVE_EVALUATION', 'Evaluation saved'],
  ]),
  ...group('Questionnaires', 'sync', [
    ['ADD_QUESTIONAIRE', 'Questionnaire added'],
    ['REMOVE_QUESTIONAIRE', 'Questionnaire removed'],
    ['EDIT_QUESTIONAIRE', 'Questionnaire edited'],
    ['EDIT_QUESTIONAIRE_CALL_SELECTION_RULES', 'Questionnaire call selection rules edited'],
    ['EDIT_QUESTIONAIRE_PROPERTIES', 'Questionnaire details edited'],
    ['EDIT_QUESTIONAIRE_PERMISSIONS', 'Questionnaire permissions edited'],
    ['ADD_SCORING_TIER', 'Scoring Tier created'],
    ['UPDATE_SCORING_TIER', 'Scoring Tier updated'],
    ['REMOVE_SCORING_TIERS', 'Scoring Tiers removed'],
  ]),
  // The engine's own review steps, beside the seed's: plans, their runs, the agent's answer and calibration.
  ...group('Reviews', 'sync', [
    ['REVIEW_PLAN_CHANGE', 'Review plan created, changed or removed'],
    ['REVIEW_PLAN_RUN', 'Review plan run: conversations selected and assigned'],
    ['REVIEW_REMINDER', 'Reminder that a review is due soon'],
    ['REVIEW_OVERDUE', 'Review overdue'],
    ['REVIEW_ACKNOWLEDGE', 'Review acknowledged by its agent'],
    ['REVIEW_DISPUTE', 'Review disputed by its agent'],
    ['REVIEW_DISPUTE_RESOLVE', 'Review dispute resolved'],
    ['CALIBRATION_CREATE', 'Calibration sent to evaluators'],
  ]),
  ...group('Surveys', 'sync', [['SURVEYS_SEARCH', 'Survey(s) searched for']]),
  ...group('Training', 'sync', [
    ['TRAININGS_SEARCH', 'Trainings searched for'],
    // The engine's own training steps, beside the seed's search: packs, assignments, attempts and their outcome.
    ['TRAINING_PACK_CHANGE', 'Training pack created, changed or retired'],
    ['TRAINING_MATERIAL_UPLOAD', 'Training presentation file stored'],
    ['TRAINING_ASSIGN', 'Training assigned'],
    ['TRAINING_REMINDER', 'Reminder that a training is due soon'],
    ['TRAINING_OVERDUE', 'Training overdue'],
    ['TRAINING_QUIZ_SUBMIT', 'Training quiz attempt submitted and scored'],
    ['TRAINING_FAILED', 'Training failed: every allowed attempt used'],
    ['TRAINING_CANCEL', 'Training follow-up cancelled'],
    ['TRAINING_REPORT', 'Training report viewed'],
  ]),
  ...group('Speech Recognition', 'sync', [
    ['ADD_SPEECH_TAG', 'Speech tag added'],
    ['EDIT_SPEECH_TAG', 'Speech tag edited'],
    ['REMOVE_SPEECH_TAG', 'Speech tag deleted'],
  ]),
  ...group('Data Export', 'sync', [
    ['DATA_EXPORT_CREATE', 'Data Export Created'],
    ['DATA_EXPORT_DELETE', 'Data Export Deleted'],
    ['DATA_EXPORT_CHANGED', 'Data Export Updated'],
    ['DATA_EXPORT_DOWNLOAD', 'Output file downloaded'],
    ['DATA_EXPORT_EMAILED', 'Output file emailed'],
    ['DATA_EXPORT_RUN_MANUAL', 'Task Execution Manual'],
    ['DATA_EXPORT_RUN_SCHEDULED', 'Data Export scheduled execution'],
  ]),
  ...group('Misc', 'sync', [
    ['ACCESS_MEDIA', 'Media accessed'],
    ['ADD_GROUP', 'Group added'],
    ['DELETE_CALL', 'Call deleted'],
    ['REMOVE_INTERACTION_TYPE', 'Interaction type removed'],
    ['REMOVE_GROUP', 'Group removed'],
    ['SEND_FEEDBACK', 'Agent feedback sent'],
    ['SEND_RECORDING', 'Recording sent'],
    ['SYNCHRONIZE_NOW', 'Remote user synchronization forced'],
    ['INCLUDE_IN_REPORTS_CHANGED', 'Include in reports review status changed'],
    ['EDIT_USER', 'User edited'],
    ['USER_LOGIN', 'User logged in'],
    ['USER_LOGOUT', 'User logged out'],
    ['USER_PROFILE_CHANGE_DELEGATE', 'User profile delegation changed'],
  ]),
  // User Management events that apply to an API engine: token issue, use and revocation, role changes.
  ...group('User Management', 'sync', [
    ['LOGIN', 'User logged in'],
    ['LOGIN_ERROR', 'Error on user login'],
    ['LOGOUT', 'User logged out'],
    ['VALIDATE_ACCESS_TOKEN', 'Access token validated'],
    ['VALIDATE_ACCESS_TOKEN_ERROR', 'Error on validating access token'],
    ['CLIENT_REGISTER', 'API token issued'],
    ['REVOKE_GRANT', 'Token grant revoked'],
    ['UPDATE_CUSTOM_ROLE', 'Custom role updated'],
    ['CREATE_CUSTOM_ROLE_MAPPING', 'Role mapping to custom role created'],
    ['DELETE_CUSTOM_ROLE_MAPPING', 'Role mapping to custom role deleted'],
    ['REGISTER', 'User registered'],
    ['CLIENT_INFO', 'API tokens of a user listed'],
    ['ACCESS_DENIED', 'Request to a route without a permission rule refused'],
  ]),
  // The engine's own steps, performed by integrations and by each conversation's lifecycle workflow.
  ...group('Capture', 'async', [
    ['CONTACT_RECORDS_IMPORT', 'Contact records received from the contact center'],
    ['CALL_EVENTS_IMPORT', 'Live call events received'],
    ['CHAT_IMPORT', 'Chat transcript imported'],
    ['EMAIL_IMPORT', 'Email imported'],
    ['MEETING_MINUTES_IMPORT', 'Minutes of a face-to-face or video meeting with a client recorded'],
  ]),
  ...group('Lifecycle', 'sync', [
    ['CONVERSATION_CAPTURED', 'Conversation captured'],
    ['RECORDING_STORED', 'Call recording stored for a segment'],
    ['RECORDING_REMOVED', 'Call recording of a segment removed: its consent was refused'],
    ['CONTACT_RECORD_UPDATED', 'Newer copy of a contact record stored'],
    ['CONVERSATION_ARCHIVED', 'Conversation archived'],
    ['CONVERSATION_DELETED', 'Conversation deleted after its retention window'],
    ['MEDIA_DESTROYED', 'Media file of a disposed conversation removed from the media store'],
    ['MEDIA_LOCK_APPLIED', 'Object Lock of a stored media object extended, or its legal hold set or cleared'],
    ['CONVERSATION_DELETION_WITHHELD', 'Due deletion withheld: a hold or protection found under the row lock'],
    ['LEGAL_HOLD_ADD', 'Legal hold placed'],
    ['LEGAL_HOLD_RELEASE', 'Legal hold released'],
    ['LEGAL_HOLD_RELEASE_REQUEST', 'Release of a legal hold requested; awaits a second approver'],
    ['LEGAL_HOLD_RELEASE_APPROVE', 'Release of a legal hold approved by a second person'],
    ['LEGAL_HOLD_RUN_START', 'Placing of a legal hold over a search started (a durable run)'],
    ['LEGAL_HOLD_RUN_FINISH', 'Placing of a legal hold over a search finished: in force for every matched conversation, or failed'],
    ['RETENTION_EXTEND', 'Retention protection extended'],
    ['CONVERSATION_DISCLOSED', 'Conversation included in a copy for its client (MiFID II Art. 16(7))'],
  ]),
  ...group('Retention', 'async', [
    ['RECORDING_RULE_CREATE', 'Recording rule created'],
    ['RECORDING_RULE_UPDATE', 'Recording rule updated'],
    ['RECORDING_RULE_DELETE', 'Recording rule deleted'],
    ['TAG_DEFINITION_CREATE', 'Tag defined'],
    ['TAG_DEFINITION_DELETE', 'Tag definition removed'],
    ['ARCHIVE_TASK_CHANGE', 'Archive task created or changed'],
    ['DELETE_TASK_CHANGE', 'Delete task created or changed'],
  ]),
  ...group('Audit', 'async', [
    ['AUDIT_VERIFY', 'Audit chain verified'],
    ['AUDIT_EXPORT', 'Audit log exported'],
    ['CLIENT_COPY_EXPORT', 'Copy of everything kept for one client assembled for hand-over'],
    ['CONVERSATION_TRACE', 'Conversation lifecycle trace viewed'],
  ]),
  // Written in the transaction that records the chain head, so the checkpoint covers its own entry.
  ...group('Audit', 'sync', [['AUDIT_CHECKPOINT', 'Audit chain head checkpointed']]),
];

export const ACTIVITIES: ReadonlyMap<string, ActivityDefinition> = new Map(definitions.map((definition) => [definition.name, definition]));

export type ActivityName = string & { readonly __activity?: never };

export function activityDefinition(name: string): ActivityDefinition {
  const definition = ACTIVITIES.get(name);
  if (!definition) throw new Error(`Unknown audit activity ${name}: add it to the catalogue`);
  return definition;
}
