import type { Harness, HttpAnswer } from './harness.js';

/**
 * Releases a legal hold the four-eyes way: the harness's admin requests the release at `path` (a hold's or a
 * hold group's `/release`), a compliance analyst approves it. Answers the approval, or the refused request.
 */
export async function releaseHold(harness: Harness, path: string, reason: string): Promise<HttpAnswer> {
  const requested = await harness.http('POST', path, { reason });
  if (requested.status !== 202) return requested;
  const approver = harness.as(await harness.tokenFor('compliance-analyst'));
  return approver.http('POST', `/v1/legal-hold-releases/${requested.body.requestId}/approve`);
}
