import type { Context, Hono } from 'hono';
import { callApi, problemText, queryString, type ApiAnswer } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES, mayOpen } from '../console-pages.js';
import { fromLocalInput } from '../form-time.js';
import { Layout, Notice, Time } from '../layout.js';
import { checkedForm, refuseForgedForm, refusePageUnlessAllowed, renderPage, renderRefusal, viewerLayoutProps } from '../page-kit.js';
import {
  ACTION_ROUTES,
  AddTagForm,
  AnonymiseForm,
  ApproveReleaseForm,
  ExportRecordingsForm,
  ExtendRetentionForm,
  mayCall,
  PlaceHoldForm,
  ReleaseHoldForm,
  RemoveTagForms,
} from './conversation/conversation-actions.js';
import { ChatView, ConversationFacts, EmailView, LegTable, MediaTable, SegmentTable, TagTable } from './conversation/content-views.js';
import type { Conversation, DigestStatus, MediaItem, PendingRelease, Retention, ReviewSummary } from './conversation/conversation-types.js';

type PageStatus = 200 | 400 | 403 | 404 | 409 | 422 | 500;

/** What an action's redirect (?done=…) tells the viewer. */
const DONE_MESSAGES: Record<string, string> = {
  'tag-added': 'Tag added.',
  'tag-unchanged': 'The conversation already had this tag with this value.',
  'tag-removed': 'Tag removed.',
  'hold-placed': 'Legal hold placed.',
  'release-requested': 'Release requested. The hold stays in force until a second person approves the release.',
  'hold-released': 'Legal hold released.',
  'retention-extended': 'Retention extended.',
  'retention-unchanged': 'The conversation was already protected at least that long; nothing changed.',
  anonymised: 'Personal data erased.',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;

function statusOf(apiStatus: number): PageStatus {
  if (apiStatus === 400 || apiStatus === 403 || apiStatus === 404 || apiStatus === 409 || apiStatus === 422) return apiStatus;
  if (apiStatus === 410) return 409;
  return apiStatus >= 500 ? 500 : 400;
}

/** Checks each file against its digest: the API verifies the whole file before it serves even one byte. */
async function digestsOf(deps: ConsoleDeps, c: Context<ConsoleEnv>, conversationId: string, items: MediaItem[]): Promise<Map<string, DigestStatus>> {
  const statuses = new Map<string, DigestStatus>();
  for (const item of items) {
    const response = await deps.api(
      new Request(`http://console.internal/v1/conversations/${conversationId}/media/${item.sha256}`, {
        headers: { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId, range: 'bytes=0-0' },
      }),
    );
    const body = response.ok ? (await response.body?.cancel(), undefined) : await response.json().catch(() => undefined);
    if (response.ok) statuses.set(item.sha256, { state: 'verified' });
    else if (response.status === 500) statuses.set(item.sha256, { state: 'mismatch', detail: problemText(body) });
    else statuses.set(item.sha256, { state: 'unavailable', detail: problemText(body) });
  }
  return statuses;
}

export function registerConversationPage(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.conversation;

  async function renderConversation(c: Context<ConsoleEnv>, conversationId: string, notice?: { kind: 'ok' | 'error'; text: string }, status: PageStatus = 200): Promise<Response> {
    const { principal, csrfToken } = c.var.viewer;
    const roles = principal.roles;
    const timeZone = principal.timeZone;
    const messagesAfter = c.req.query('messagesAfter');
    const read = await callApi<Conversation>(deps, c, 'GET', `/v1/conversations/${encodeURIComponent(conversationId)}${queryString({ messagesAfter })}`);
    if (!read.ok) {
      // The API answers a conversation outside the viewer's scope exactly like a missing one.
      const title = read.status === 404 ? 'Conversation not found' : 'Conversation unavailable';
      const back = { href: '/console/conversations', text: 'Back to the conversations' };
      return renderRefusal(c, { title, current: CONSOLE_PAGES.conversations, refusal: problemText(read.body), back }, statusOf(read.status));
    }
    const conversation = read.body;
    const none = Promise.resolve(undefined);
    const [media, retention, reviews, tagDefinitions, releases] = await Promise.all([
      callApi<{ items: MediaItem[] }>(deps, c, 'GET', `/v1/conversations/${conversation.id}/media`),
      mayCall(ACTION_ROUTES.retention, roles) ? callApi<Retention>(deps, c, 'GET', `/v1/conversations/${conversation.id}/retention`) : none,
      callApi<{ items: ReviewSummary[]; nextCursor: string | null }>(deps, c, 'GET', `/v1/reviews${queryString({ conversationId: conversation.id })}`),
      mayCall(ACTION_ROUTES.tag, roles) ? callApi<{ items: { name: string }[] }>(deps, c, 'GET', '/v1/tag-definitions') : none,
      mayCall(ACTION_ROUTES.pendingReleases, roles) ? callApi<{ items: PendingRelease[] }>(deps, c, 'GET', '/v1/legal-hold-releases?limit=500') : none,
    ]);
    const pendingReleases = releases?.ok ? releases.body.items.filter((request) => request.conversationId === conversation.id && request.status === 'pending') : [];
    const mediaItems = media.ok ? media.body.items : [];
    // Checking digests reads every file (and is audited as access): on request, not on every view.
    const digests = c.req.query('verify') === 'media' && media.ok ? await digestsOf(deps, c, conversation.id, mediaItems) : undefined;
    const done = c.req.query('done');
    const shownNotice = notice ?? (done && DONE_MESSAGES[done] ? { kind: 'ok' as const, text: DONE_MESSAGES[done]! } : undefined);
    const tags = conversation.tags ?? [];
    const deleted = conversation.lifecycleState === 'deleted';
    const hasRecordings = mediaItems.some((item) => item.kind === 'recording');
    const here = `/console/conversations/${conversation.id}`;
    const laterHref = conversation.chat?.nextMessagesCursor ? `${here}${queryString({ messagesAfter: conversation.chat.nextMessagesCursor })}` : null;
    const may = (route: string) => !deleted && mayCall(route, roles);
    const actions = [
      may(ACTION_ROUTES.tag) ? <AddTagForm conversationId={conversation.id} csrf={csrfToken} tagNames={tagDefinitions?.ok ? tagDefinitions.body.items.map((tag) => tag.name) : []} /> : null,
      may(ACTION_ROUTES.untag) ? <RemoveTagForms conversationId={conversation.id} csrf={csrfToken} tags={tags} /> : null,
      may(ACTION_ROUTES.hold) ? <PlaceHoldForm conversationId={conversation.id} csrf={csrfToken} /> : null,
      may(ACTION_ROUTES.extend) ? <ExtendRetentionForm conversationId={conversation.id} csrf={csrfToken} timeZone={timeZone} /> : null,
      may(ACTION_ROUTES.anonymise) ? <AnonymiseForm conversationId={conversation.id} csrf={csrfToken} /> : null,
      may(ACTION_ROUTES.exportRecordings) && hasRecordings ? <ExportRecordingsForm conversationId={conversation.id} csrf={csrfToken} /> : null,
    ].filter((action) => action !== null);

    return renderPage(
      c,
      <Layout title={`${conversation.channel} conversation`} viewer={viewerLayoutProps(c)} current={CONSOLE_PAGES.conversations}>
        {shownNotice ? <Notice kind={shownNotice.kind}>{shownNotice.text}</Notice> : null}
        <p>
          <a href="/console/conversations">Back to the conversations</a>
          {mayOpen(CONSOLE_PAGES.timeline, roles) ? (
            <>
              {' · '}
              <a href={`${here}/timeline`}>Lifecycle timeline</a>
            </>
          ) : null}
        </p>
        <ConversationFacts conversation={conversation} timeZone={timeZone} />

        {conversation.segments.length > 0 ? (
          <section aria-labelledby="segments-heading">
            <h2 id="segments-heading">Call segments</h2>
            <SegmentTable conversationId={conversation.id} segments={conversation.segments} timeZone={timeZone} />
            {conversation.transferTargets.length > 0 ? (
              <p>{`Transferred to: ${conversation.transferTargets.map((target) => target.address).join(', ')}`}</p>
            ) : null}
          </section>
        ) : null}

        <section aria-labelledby="tags-heading">
          <h2 id="tags-heading">Tags</h2>
          <TagTable tags={tags} segments={conversation.segments} timeZone={timeZone} />
        </section>

        {conversation.email ? (
          <section aria-labelledby="email-heading">
            <h2 id="email-heading">Email</h2>
            <EmailView conversationId={conversation.id} email={conversation.email} timeZone={timeZone} />
          </section>
        ) : null}
        {conversation.chat ? (
          <section aria-labelledby="chat-heading">
            <h2 id="chat-heading">Chat</h2>
            <ChatView chat={conversation.chat} timeZone={timeZone} laterHref={laterHref} />
          </section>
        ) : null}
        {conversation.legs.length > 0 ? (
          <section aria-labelledby="legs-heading">
            <h2 id="legs-heading">Contact records</h2>
            <LegTable legs={conversation.legs} timeZone={timeZone} />
          </section>
        ) : null}

        <section aria-labelledby="media-heading">
          <h2 id="media-heading">Media</h2>
          {media.ok ? (
            <MediaTable conversationId={conversation.id} items={mediaItems} digests={digests} />
          ) : (
            <Notice kind="error">{`Media unavailable: ${problemText(media.body)}`}</Notice>
          )}
          {media.ok && mediaItems.length > 0 && !digests ? (
            <form method="get" action={here}>
              <input type="hidden" name="verify" value="media" />
              <button type="submit" class="secondary">
                Check every file against its digest
              </button>
            </form>
          ) : null}
        </section>

        {retention ? (
          <RetentionSection
            retention={retention}
            conversationId={conversation.id}
            csrf={csrfToken}
            timeZone={timeZone}
            mayRelease={may(ACTION_ROUTES.release)}
            mayApprove={may(ACTION_ROUTES.approveRelease)}
            pendingReleases={pendingReleases}
            viewerId={principal.userId}
          />
        ) : null}

        <section aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">Reviews</h2>
          {!reviews.ok ? (
            <Notice kind="error">{`Reviews unavailable: ${problemText(reviews.body)}`}</Notice>
          ) : reviews.body.items.length === 0 ? (
            <p class="muted">No reviews of this conversation that you may see.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Questionnaire</th>
                  <th scope="col">Status</th>
                  <th scope="col">Evaluator</th>
                  <th scope="col" class="num">Score</th>
                  <th scope="col">Due</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {reviews.body.items.map((review) => (
                  <tr>
                    <td>
                      <a href={`/console/reviews/${review.id}`}>{`${review.questionnaire.name} (v${review.questionnaire.version})`}</a>
                    </td>
                    <td>{review.status}</td>
                    <td>{review.evaluator?.username ?? '—'}</td>
                    <td class="num">{review.scorePercent === null ? '—' : `${review.scorePercent}%${review.tier ? ` · ${review.tier.name}` : ''}`}</td>
                    <td>
                      <Time at={review.dueAt} timeZone={timeZone} />
                    </td>
                    <td>
                      <Time at={review.completedAt} timeZone={timeZone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        {actions.length > 0 ? (
          <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">Actions</h2>
            <div class="actions-row">{actions}</div>
          </section>
        ) : null}
      </Layout>,
      status,
    );
  }

  app.get('/console/conversations/:conversationId', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    return renderConversation(c, c.req.param('conversationId'));
  });

  // The audio player's source: the API's verified download, passed through with its Range answer (206) so it can seek.
  app.get('/console/conversations/:conversationId/media/:sha256', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const { conversationId, sha256 } = c.req.param();
    if (!UUID.test(conversationId) || !SHA256.test(sha256)) return c.text('Not found', 404);
    const headers: Record<string, string> = { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId };
    const range = c.req.header('range');
    if (range) headers.range = range;
    const response = await deps.api(new Request(`http://console.internal/v1/conversations/${conversationId}/media/${sha256}`, { headers }));
    return new Response(response.body, { status: response.status, headers: new Headers(response.headers) });
  });

  /** Runs one action's API call for a CSRF-checked form and redirects back with a notice, or re-renders with the refusal. */
  function action(path: string, activity: string, call: (c: Context<ConsoleEnv>, conversationId: string, form: Record<string, string | string[]>) => Promise<{ answer: ApiAnswer<unknown>; done: string }>) {
    app.post(`/console/conversations/:conversationId/${path}`, async (c) => {
      const refused = await refusePageUnlessAllowed(deps, c, page);
      if (refused) return refused;
      const form = await checkedForm(c);
      if (!form) return refuseForgedForm(deps, c, activity);
      const conversationId = c.req.param('conversationId');
      const { answer, done } = await call(c, conversationId, form);
      if (!answer.ok) return renderConversation(c, conversationId, { kind: 'error', text: problemText(answer.body) }, statusOf(answer.status));
      return c.redirect(`/console/conversations/${conversationId}${queryString({ done })}`, 303);
    });
  }

  const text = (form: Record<string, string | string[]>, name: string): string => {
    const value = form[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  };
  const optional = (form: Record<string, string | string[]>, name: string) => text(form, name) || null;

  action('tags', 'CONVERSATION_EVENT_TAG_ADD', async (c, id, form) => {
    const answer = await callApi<{ change?: string }>(deps, c, 'POST', `/v1/conversations/${id}/tags`, { name: text(form, 'name'), value: optional(form, 'value') });
    return { answer, done: answer.ok && answer.body.change === 'unchanged' ? 'tag-unchanged' : 'tag-added' };
  });
  action('tags/remove', 'CONVERSATION_EVENT_TAG_REMOVE', async (c, id, form) => ({
    answer: await callApi(deps, c, 'DELETE', `/v1/conversations/${id}/tags/${encodeURIComponent(text(form, 'name'))}`),
    done: 'tag-removed',
  }));
  action('legal-holds', 'LEGAL_HOLD_ADD', async (c, id, form) => ({
    answer: await callApi(deps, c, 'POST', `/v1/conversations/${id}/legal-holds`, { reason: text(form, 'reason'), reference: optional(form, 'reference') }),
    done: 'hold-placed',
  }));
  app.post('/console/conversations/:conversationId/legal-holds/:holdId/release', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const form = await checkedForm(c);
    if (!form) return refuseForgedForm(deps, c, 'LEGAL_HOLD_RELEASE');
    const { conversationId, holdId } = c.req.param();
    const answer = await callApi(deps, c, 'POST', `/v1/conversations/${conversationId}/legal-holds/${encodeURIComponent(holdId)}/release`, { reason: text(form, 'reason') });
    if (!answer.ok) return renderConversation(c, conversationId, { kind: 'error', text: problemText(answer.body) }, statusOf(answer.status));
    // 202: asked for, awaiting a second person's approval (four eyes).
    return c.redirect(`/console/conversations/${conversationId}?done=${answer.status === 202 ? 'release-requested' : 'hold-released'}`, 303);
  });
  app.post('/console/conversations/:conversationId/legal-hold-releases/:requestId/approve', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const form = await checkedForm(c);
    if (!form) return refuseForgedForm(deps, c, 'LEGAL_HOLD_RELEASE_APPROVE');
    const { conversationId, requestId } = c.req.param();
    const answer = await callApi(deps, c, 'POST', `/v1/legal-hold-releases/${encodeURIComponent(requestId)}/approve`);
    if (!answer.ok) return renderConversation(c, conversationId, { kind: 'error', text: problemText(answer.body) }, statusOf(answer.status));
    return c.redirect(`/console/conversations/${conversationId}?done=hold-released`, 303);
  });
  action('retention-extensions', 'RETENTION_EXTEND', async (c, id, form) => {
    const until = text(form, 'until');
    // A local time the viewer typed, in their zone; anything else goes to the API as typed, which names the field.
    const instant = fromLocalInput(until, c.var.viewer.principal.timeZone) ?? until;
    const answer = await callApi<{ extended?: boolean }>(deps, c, 'POST', `/v1/conversations/${id}/retention-extensions`, {
      until: instant,
      reason: text(form, 'reason'),
      authorityReference: optional(form, 'authorityReference'),
    });
    return { answer, done: answer.ok && answer.body.extended === false ? 'retention-unchanged' : 'retention-extended' };
  });
  action('anonymisation', 'CONVERSATION_EVENT_ANONYMIZE_ADD', async (c, id, form) => ({
    answer: await callApi(deps, c, 'POST', `/v1/conversations/${id}/anonymisation`, { reason: text(form, 'reason'), requestReference: optional(form, 'requestReference') }),
    done: 'anonymised',
  }));

  // The export is the API's (verified and audited SEND_RECORDING there); the console passes the package through as a download.
  app.post('/console/conversations/:conversationId/recordings/export', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const form = await checkedForm(c);
    if (!form) return refuseForgedForm(deps, c, 'SEND_RECORDING');
    const conversationId = c.req.param('conversationId');
    const response = await deps.api(
      new Request(`http://console.internal/v1/conversations/${encodeURIComponent(conversationId)}/recordings/export`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.var.viewer.sessionSecret}`, 'x-request-id': c.var.requestId },
      }),
    );
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      return renderConversation(c, conversationId, { kind: 'error', text: problemText(body) }, statusOf(response.status));
    }
    const headers = new Headers(response.headers);
    headers.set('content-disposition', `attachment; filename="recordings-${conversationId}.tar"`);
    return new Response(response.body, { status: response.status, headers });
  });
}

function RetentionSection(props: {
  retention: ApiAnswer<Retention>;
  conversationId: string;
  csrf: string;
  timeZone: string;
  mayRelease: boolean;
  mayApprove: boolean;
  pendingReleases: PendingRelease[];
  viewerId: string;
}) {
  if (!props.retention.ok) {
    return (
      <section aria-labelledby="retention-heading">
        <h2 id="retention-heading">Holds and retention</h2>
        <Notice kind="error">{`Retention unavailable: ${problemText(props.retention.body)}`}</Notice>
      </section>
    );
  }
  const retention = props.retention.body;
  return (
    <section aria-labelledby="retention-heading">
      <h2 id="retention-heading">Holds and retention</h2>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class="badge">{retention.status}</span>
        </dd>
        <dt>Deletion due</dt>
        <dd>{retention.deleteAt ? <Time at={retention.deleteAt} timeZone={props.timeZone} /> : <span class="muted">not planned</span>}</dd>
        <dt>Delete task</dt>
        <dd>{retention.deleteTask?.name ?? '—'}</dd>
        <dt>Protected until</dt>
        <dd>{retention.protectedUntil ? <Time at={retention.protectedUntil} timeZone={props.timeZone} /> : <span class="muted">no protection</span>}</dd>
        <dt>Protecting tags</dt>
        <dd>{retention.protectingTags.length ? retention.protectingTags.map((tag) => `${tag.name} (${tag.protectionYears} years)`).join(', ') : '—'}</dd>
      </dl>
      <h3>Why it is kept</h3>
      {retention.reasons.length === 0 ? (
        <p class="muted">Nothing keeps it.</p>
      ) : (
        <ol>
          {retention.reasons.map((reason) => (
            <li>
              <span class="badge">{reason.code}</span> {reason.text}
            </li>
          ))}
        </ol>
      )}
      <h3>Legal holds</h3>
      {retention.activeHolds.length === 0 ? (
        <p class="muted">No active legal hold.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Placed</th>
              <th scope="col">By</th>
              {props.mayRelease ? <th scope="col">Release</th> : null}
            </tr>
          </thead>
          <tbody>
            {retention.activeHolds.map((hold) => (
              <tr class="hold">
                <td>{hold.reason}</td>
                <td>
                  <Time at={hold.placedAt} timeZone={props.timeZone} />
                </td>
                <td>{hold.placedBy}</td>
                {props.mayRelease ? (
                  <td>
                    <HoldRelease {...props} hold={hold} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A hold's release: asked for here, approved by someone else before the request expires. */
function HoldRelease(props: { conversationId: string; csrf: string; timeZone: string; mayApprove: boolean; pendingReleases: PendingRelease[]; viewerId: string; hold: Retention['activeHolds'][number] }) {
  const pending = props.pendingReleases.find((request) => request.holdGroupId === props.hold.id);
  if (!pending) return <ReleaseHoldForm conversationId={props.conversationId} csrf={props.csrf} hold={props.hold} />;
  const own = pending.requestedBy === props.viewerId;
  return (
    <>
      <p class="release-pending">
        {`Release requested${own ? ' by you' : ` by ${pending.requestedBy}`} (“${pending.reason}”), awaiting approval until `}
        <Time at={pending.expiresAt} timeZone={props.timeZone} />.
      </p>
      {props.mayApprove && !own ? <ApproveReleaseForm conversationId={props.conversationId} csrf={props.csrf} request={pending} /> : null}
      {own ? <p class="help">Another person with the legal hold role has to approve it.</p> : null}
    </>
  );
}
