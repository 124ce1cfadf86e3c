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

/**
 * A confirmed action on the conversation that names its reason and, optionally, a reference (a case, an
 * authority, a request): placing a hold, extending retention, anonymising. `children` are fields asked first.
 */
function ReasonedActionForm(props: {
  conversationId: string;
  csrf: string;
  path: string;
  confirm: string;
  heading: { id: string; text: string };
  reason: { id: string; label: string };
  reference: { id: string; name: string; label: string };
  submit: { text: string; class?: string };
  children?: unknown;
}) {
  return (
    <form method="post" action={actionPath(props.conversationId, props.path)} data-confirm={props.confirm} aria-labelledby={props.heading.id}>
      <h3 id={props.heading.id}>{props.heading.text}</h3>
      <Csrf token={props.csrf} />
      {props.children}
      <label for={props.reason.id}>{props.reason.label}</label>
      <input id={props.reason.id} name="reason" type="text" required maxlength={2000} />
      <label for={props.reference.id}>{props.reference.label}</label>
      <input id={props.reference.id} name={props.reference.name} type="text" maxlength={200} />
      <p>
        <button type="submit" class={props.submit.class}>
          {props.submit.text}
        </button>
      </p>
    </form>
  );
}

export function PlaceHoldForm(props: { conversationId: string; csrf: string }) {
  return (
    <ReasonedActionForm
      {...props}
      path="legal-holds"
      confirm="Place a legal hold? The conversation will not be deleted or anonymised until the hold is released."
      heading={{ id: 'hold-heading', text: 'Place a legal hold' }}
      reason={{ id: 'hold-reason', label: 'Reason for the hold' }}
      reference={{ id: 'hold-reference', name: 'reference', label: 'Case reference (optional)' }}
      submit={{ text: 'Place hold' }}
    />
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
    <ReasonedActionForm
      conversationId={props.conversationId}
      csrf={props.csrf}
      path="retention-extensions"
      confirm="Extend this conversation's protection? It can never be moved earlier."
      heading={{ id: 'extend-heading', text: 'Extend retention' }}
      reason={{ id: 'extend-reason', label: 'Reason for the extension' }}
      reference={{ id: 'extend-authority', name: 'authorityReference', label: 'Authority reference (optional)' }}
      submit={{ text: 'Extend retention' }}
    >
      <label for="extend-until">{`Protect until (${props.timeZone})`}</label>
      <input id="extend-until" name="until" type="datetime-local" required />
    </ReasonedActionForm>
  );
}

export function AnonymiseForm(props: { conversationId: string; csrf: string }) {
  return (
    <ReasonedActionForm
      {...props}
      path="anonymisation"
      confirm="Anonymise this conversation? Its personal data is erased for good."
      heading={{ id: 'anonymise-heading', text: 'Anonymise (GDPR)' }}
      reason={{ id: 'anonymise-reason', label: 'Reason for anonymising' }}
      reference={{ id: 'anonymise-reference', name: 'requestReference', label: 'Request reference (optional)' }}
      submit={{ text: 'Anonymise', class: 'danger' }}
    />
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
