import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RequestContext } from '../../audit/write/actor.js';

/** What keeps or frees a conversation: legal holds, authority extensions, policy changes, anonymisation. */
export interface PlaceLegalHoldArgs {
  context: RequestContext;
  holdId: string;
  reason: string;
  reference: string | null;
  scope: Record<string, unknown> | null;
}
export interface ReleaseLegalHoldArgs {
  context: RequestContext;
  holdId: string;
  reason: string;
}
export interface LegalHoldResult {
  conversationId: string;
  holdId: string;
  status: 'active' | 'released';
  activeHolds: number;
}
export const placeLegalHoldUpdate = defineUpdate<LegalHoldResult, [PlaceLegalHoldArgs]>('placeLegalHold');
export const releaseLegalHoldUpdate = defineUpdate<LegalHoldResult, [ReleaseLegalHoldArgs]>('releaseLegalHold');

export interface LegalHoldChange {
  holdId: string;
  change: 'placed' | 'released';
  reason: string;
}
/**
 * A hold placed or released in bulk (a search hold) directly in PostgreSQL, where deletion re-checks it
 * under the row lock: the lifecycle records the step and re-plans its retention.
 */
export const legalHoldChangedSignal = defineSignal<[LegalHoldChange]>('legalHoldChanged');

export interface ExtendRetentionArgs {
  context: RequestContext;
  until: string;
  reason: string;
  authorityReference: string | null;
}
export interface ExtendRetentionResult {
  conversationId: string;
  protectedUntil: string;
  extended: boolean;
}
/** An authority's request: protection moves later, never earlier. */
export const extendRetentionUpdate = defineUpdate<ExtendRetentionResult, [ExtendRetentionArgs]>('extendRetention');

/** Delete tasks or tag protections changed: re-plan retention now rather than at the next periodic wake. */
export const retentionPolicyChangedSignal = defineSignal('retentionPolicyChanged');

export interface AnonymiseArgs {
  context: RequestContext;
  reason: string;
  requestReference: string | null;
}
export type AnonymiseResult =
  | { conversationId: string; anonymised: true; destroyed: number }
  | { conversationId: string; anonymised: false; refusal: 'legal-hold' | 'protected'; detail: string };
/** GDPR erasure: personal data goes, the regulatory skeleton stays; refused under a hold or MiFID protection. */
export const anonymiseUpdate = defineUpdate<AnonymiseResult, [AnonymiseArgs]>('anonymise');
