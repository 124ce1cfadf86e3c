import { ROUTE_PERMISSIONS } from '../../../api/permissions.js';
import type { Role } from '../../../domain/roles.js';
import { Csrf } from '../../layout.js';
import type { ConversationTag, PendingRelease, Retention } from './conversation-types.js';

/** The API routes behind the page's actions; the page offers an action only where the route's roles include the viewer's. */
export const ACTION_ROUTES = {
  tag: 'POST /v1/conversations/{conversationId}/tags',
  untag: 'DELETE /v1/conversations/{conversationId}/tags/{name}',
  hold: 'POST /v1/conversations/{conversationId}/legal-holds',
  release: 'POST /v1/conversations/{conversationId}/legal-holds/{holdId}/release',
  extend: 'POST /v1/conversations/{conversationId}/retention-extensions',
  anonymise: 'POST /v1/conversations/{conversationId}/anonymisation',
  exportRecordings: 'POST /v1/conversations/{conversationId}/recordings/export',
  retention: 'GET /v1/conversations/{conversationId}/retention',
  pendingReleases: 'GET /v1/legal-hold-releases',
  approveRelease: 'POST /v1/legal-hold-releases/{requestId}/approve',
} as const;

/** Hides what the API would refuse by role; the API still decides (and scopes) every call. */
export function mayCall(route: string, roles: readonly Role[]): boolean {
  const permission = ROUTE_PERMISSIONS[route];
  if (!permission) return false;
  if (permission.roles === 'public') return true;
  return roles.some((role) => (permission.roles as readonly Role[]).includes(role));
}

const actionPath = (conversationId: string, action: string) => `/console/conversations/${conversationId}/${action}`;

export function AddTagForm(props: { conversationId: string; csrf: string; tagNames: string[] }) {
  return (
    <form method="post" action={actionPath(props.conversationId, 'tags')} data-confirm="Add this tag to the whole conversation? A protecting tag extends its retention." aria-labelledby="add-tag-heading">
      <h3 id="add-tag-heading">Add a tag</h3>
      <Csrf token={props.csrf} />
      <label for="tag-name">Tag</label>
      {props.tagNames.length > 0 ? (
        <select id="tag-name" name="name" required>
          {props.tagNames.map((name) => (
            <option value={name}>{name}</option>
          ))}
        </select>
      ) : (
        <input id="tag-name" name="name" type="text" required />
      )}
      <label for="tag-value">Value (optional)</label>
      <input id="tag-value" name="value" type="text" maxlength={256} />
      <p>
        <button type="submit">Add tag</button>
      </p>
    </form>
  );
}

/** Conversation-level tags (the API's, segment 0) are the ones a person may remove. */
export function RemoveTagForms(props: { conversationId: string; csrf: string; tags: ConversationTag[] }) {
  const removable = props.tags.filter((tag) => tag.segmentIndex === 0 && tag.source === 'api');
  if (removable.length === 0) return null;
  return (
    <div class="remove-tags">
      <h3>Remove a tag</h3>
      <ul>
        {removable.map((tag) => (
          <li>
            <form method="post" action={actionPath(props.conversationId, 'tags/remove')} data-confirm={`Remove the tag ${tag.name}? A protection it already granted is kept.`}>
              <Csrf token={props.csrf} />
              <input type="hidden" name="name" value={tag.name} />
              <button type="submit" class="secondary">{`Remove tag ${tag.name}`}</button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PlaceHoldForm(props: { conversationId: string; csrf: string }) {
  return (
    <form method="post" action={actionPath(props.conversationId, 'legal-holds')} data-confirm="Place a legal hold? The conversation will not be deleted or anonymised until the hold is released." aria-labelledby="hold-heading">
      <h3 id="hold-heading">Place a legal hold</h3>
      <Csrf token={props.csrf} />
      <label for="hold-reason">Reason for the hold</label>
      <input id="hold-reason" name="reason" type="text" required maxlength={2000} />
      <label for="hold-reference">Case reference (optional)</label>
      <input id="hold-reference" name="reference" type="text" maxlength={200} />
      <p>
        <button type="submit">Place hold</button>
      </p>
    </form>
  );
}

/** Releasing takes four eyes: one person asks, another approves (then retention applies again). */
export function ReleaseHoldForm(props: { conversationId: string; csrf: string; hold: Retention['activeHolds'][number] }) {
  const field = `release-reason-${props.hold.id}`;
  return (
    <form method="post" action={actionPath(props.conversationId, `legal-holds/${props.hold.id}/release`)} data-confirm="Ask to release this legal hold? A second person has to approve it.">
      <Csrf token={props.csrf} />
      <label for={field}>{`Reason to release the hold “${props.hold.reason}”`}</label>
      <input id={field} name="reason" type="text" required maxlength={2000} />
      <button type="submit" class="secondary">
        Request release
      </button>
    </form>
  );
}

export function ApproveReleaseForm(props: { conversationId: string; csrf: string; request: PendingRelease }) {
  return (
    <form
      method="post"
      action={actionPath(props.conversationId, `legal-hold-releases/${props.request.requestId}/approve`)}
      data-confirm={`Approve the release asked for with “${props.request.reason}”? The hold ends and retention applies again.`}
    >
      <Csrf token={props.csrf} />
      <button type="submit" class="danger">
        Approve release
      </button>
    </form>
  );
}

export function ExtendRetentionForm(props: { conversationId: string; csrf: string; timeZone: string }) {
  return (
    <form method="post" action={actionPath(props.conversationId, 'retention-extensions')} data-confirm="Extend this conversation's protection? It can never be moved earlier." aria-labelledby="extend-heading">
      <h3 id="extend-heading">Extend retention</h3>
      <Csrf token={props.csrf} />
      <label for="extend-until">{`Protect until (${props.timeZone})`}</label>
      <input id="extend-until" name="until" type="datetime-local" required />
      <label for="extend-reason">Reason for the extension</label>
      <input id="extend-reason" name="reason" type="text" required maxlength={2000} />
      <label for="extend-authority">Authority reference (optional)</label>
      <input id="extend-authority" name="authorityReference" type="text" maxlength={200} />
      <p>
        <button type="submit">Extend retention</button>
      </p>
    </form>
  );
}

export function AnonymiseForm(props: { conversationId: string; csrf: string }) {
  return (
    <form method="post" action={actionPath(props.conversationId, 'anonymisation')} data-confirm="Anonymise this conversation? Its personal data is erased for good." aria-labelledby="anonymise-heading">
      <h3 id="anonymise-heading">Anonymise (GDPR)</h3>
      <Csrf token={props.csrf} />
      <label for="anonymise-reason">Reason for anonymising</label>
      <input id="anonymise-reason" name="reason" type="text" required maxlength={2000} />
      <label for="anonymise-reference">Request reference (optional)</label>
      <input id="anonymise-reference" name="requestReference" type="text" maxlength={200} />
      <p>
        <button type="submit" class="danger">
          Anonymise
        </button>
      </p>
    </form>
  );
}

export function ExportRecordingsForm(props: { conversationId: string; csrf: string }) {
  return (
    <form method="post" action={actionPath(props.conversationId, 'recordings/export')} data-confirm="Export the recordings? The export is audited." aria-labelledby="export-heading">
      <h3 id="export-heading">Export recordings</h3>
      <Csrf token={props.csrf} />
      <p class="help">One tar package with a manifest of every recording's digest, each verified before it is sent.</p>
      <button type="submit">Export recordings</button>
    </form>
  );
}
