import { Time } from '../../layout.js';
import type { ChatContent, Conversation, ConversationTag, DigestStatus, EmailContent, MediaItem, Segment } from './conversation-types.js';

/** The console route that passes a media file through from the API (Range included, so the player can seek). */
export const mediaHref = (conversationId: string, sha256: string) => `/console/conversations/${conversationId}/media/${sha256}`;

/** The seed's call-flow tables name their columns by where a tag came from. */
const SOURCE_TITLES: Record<string, string> = {
  'recording-rule': 'Recording rules',
  api: 'API',
  'agent-desktop': 'Agent desktop',
  'external-data': 'Contact-center data',
};
const SOURCE_ORDER = Object.keys(SOURCE_TITLES);

const tagText = (tag: ConversationTag) => (tag.value === null ? tag.name : `${tag.name}=${tag.value}`);

function ordinal(index: number): string {
  const suffix = index % 100 >= 11 && index % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[index % 10] ?? 'th';
  return `${index}${suffix}`;
}

/**
 * Tags laid out like the seed's call-flow tables: one row per segment in call order (plus the conversation
 * as a whole, segment 0), one column per source, "—" where a source tagged nothing.
 */
export function TagTable(props: { tags: ConversationTag[]; segments: Segment[]; timeZone: string }) {
  const sources = [...new Set([...SOURCE_ORDER, ...props.tags.map((tag) => tag.source)])];
  const rows = [...new Set([...(props.tags.some((tag) => tag.segmentIndex === 0) ? [0] : []), ...props.segments.map((segment) => segment.segmentIndex), ...props.tags.map((tag) => tag.segmentIndex)])].sort(
    (a, b) => a - b,
  );
  if (rows.length === 0) return <p class="muted">No tags.</p>;
  return (
    <table class="call-flow">
      <caption class="muted">Tags per segment and source</caption>
      <thead>
        <tr>
          <th scope="col">Segment</th>
          {sources.map((source) => (
            <th scope="col">{SOURCE_TITLES[source] ?? source}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((segmentIndex) => (
          <tr>
            <th scope="row">{segmentIndex === 0 ? 'Whole conversation' : `${ordinal(segmentIndex)} segment`}</th>
            {sources.map((source) => {
              const here = props.tags.filter((tag) => tag.segmentIndex === segmentIndex && tag.source === source);
              return (
                <td>
                  {here.length === 0 ? (
                    <span class="muted">—</span>
                  ) : (
                    here.map((tag, position) => (
                      <>
                        {position > 0 ? ', ' : ''}
                        <span class="tag" title={`applied ${new Date(tag.appliedAt).toISOString()}`}>
                          {tagText(tag)}
                        </span>
                      </>
                    ))
                  )}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A call's segments in call order, each with its recordings playable in place. */
export function SegmentTable(props: { conversationId: string; segments: Segment[]; timeZone: string }) {
  if (props.segments.length === 0) return <p class="muted">No recorded segments.</p>;
  return (
    <table>
      <caption class="muted">Segments in call order</caption>
      <thead>
        <tr>
          <th scope="col">Segment</th>
          <th scope="col">Kind</th>
          <th scope="col">Parties</th>
          <th scope="col">Started</th>
          <th scope="col">Ended</th>
          <th scope="col">Recorded</th>
          <th scope="col">Consent</th>
          <th scope="col">Recording</th>
        </tr>
      </thead>
      <tbody>
        {props.segments.map((segment) => (
          <tr>
            <th scope="row">{ordinal(segment.segmentIndex)}</th>
            <td>{segment.kind}</td>
            <td>{`${segment.partyA} ↔ ${segment.partyB}`}</td>
            <td>
              <Time at={segment.startedAt} timeZone={props.timeZone} />
            </td>
            <td>
              <Time at={segment.endedAt} timeZone={props.timeZone} />
            </td>
            <td>{segment.recorded ? 'yes' : 'no'}</td>
            <td>{`${segment.consent}${segment.mediaKept ? '' : ' (media not kept)'}`}</td>
            <td>
              {segment.recordings.length === 0 ? (
                <span class="muted">—</span>
              ) : (
                segment.recordings.map((recording) => (
                  <audio
                    controls
                    preload="metadata"
                    src={mediaHref(props.conversationId, recording.sha256)}
                    aria-label={`Recording of the ${ordinal(segment.segmentIndex)} segment`}
                    title={`sha256 ${recording.sha256}`}
                  >
                    <a href={mediaHref(props.conversationId, recording.sha256)}>Download the recording</a>
                  </audio>
                ))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EmailView(props: { conversationId: string; email: EmailContent; timeZone: string }) {
  const { email } = props;
  return (
    <>
      <dl class="facts">
        <dt>From</dt>
        <dd>{email.from ?? '—'}</dd>
        <dt>To</dt>
        <dd>{email.to.join(', ') || '—'}</dd>
        <dt>Cc</dt>
        <dd>{email.cc.join(', ') || '—'}</dd>
        <dt>Subject</dt>
        <dd>{email.subject ?? '(no subject)'}</dd>
        <dt>Sent</dt>
        <dd>
          <Time at={email.sentAt} timeZone={props.timeZone} />
        </dd>
        <dt>Message-ID</dt>
        <dd>{email.messageId ?? '—'}</dd>
      </dl>
      <h3>Body</h3>
      {email.bodyExcerpt === null ? <p class="muted">No text body.</p> : <pre class="email-body">{email.bodyExcerpt}</pre>}
      {email.bodyTruncated ? (
        <p class="help">
          The first 4,000 characters. The whole message is its <a href={mediaHref(props.conversationId, email.originalSha256)}>original</a>.
        </p>
      ) : null}
    </>
  );
}

export function ChatView(props: { chat: ChatContent; timeZone: string; laterHref: string | null }) {
  const { chat } = props;
  return (
    <>
      <h3>Participants</h3>
      <ul>
        {chat.participants.map((participant) => (
          <li>{`${participant.displayName ?? participant.participantId ?? 'unknown'}${participant.role ? ` (${participant.role})` : ''}`}</li>
        ))}
      </ul>
      <h3>Messages</h3>
      <ol class="chat">
        {chat.messages.map((message) => (
          <li>
            <p>
              <strong>{message.displayName ?? message.participantRole ?? 'system'}</strong>{' '}
              <span class="muted">
                <Time at={message.sentAt} timeZone={props.timeZone} />
                {message.type === 'MESSAGE' ? '' : ` · ${message.type}`}
              </span>
            </p>
            <p>{message.body ?? <span class="muted">(no text)</span>}</p>
          </li>
        ))}
      </ol>
      {props.laterHref ? (
        <p class="paging">
          <a href={props.laterHref} rel="next">
            Later messages
          </a>
        </p>
      ) : null}
    </>
  );
}

function DigestBadge(props: { status: DigestStatus | undefined }) {
  if (!props.status) return <span class="muted">not checked</span>;
  if (props.status.state === 'verified') return <span class="badge badge-ok">verified</span>;
  if (props.status.state === 'mismatch') return <span class="badge badge-fail" title={props.status.detail}>does not match its digest</span>;
  return <span class="badge" title={props.status.detail}>{`unavailable: ${props.status.detail}`}</span>;
}

/** Every file of the conversation with its digest and, once checked, whether its bytes still hash to it. */
export function MediaTable(props: { conversationId: string; items: MediaItem[]; digests: Map<string, DigestStatus> | undefined }) {
  if (props.items.length === 0) return <p class="muted">No media files.</p>;
  return (
    <table>
      <caption class="muted">Media files</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">File</th>
          <th scope="col">Type</th>
          <th scope="col" class="num">Bytes</th>
          <th scope="col">SHA-256</th>
          <th scope="col">Digest</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <tr>
            <td>{item.kind === 'recording' && item.segmentIndex !== null ? `recording (${ordinal(item.segmentIndex)} segment)` : item.kind}</td>
            <td>
              <a href={mediaHref(props.conversationId, item.sha256)} download>
                {item.fileName ?? `${item.kind} ${item.sha256.slice(0, 12)}`}
              </a>
            </td>
            <td>{item.contentType}</td>
            <td class="num">{item.sizeBytes}</td>
            <td>
              <code title={item.sha256}>{`${item.sha256.slice(0, 16)}…`}</code>
            </td>
            <td>
              <DigestBadge status={props.digests?.get(item.sha256)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The conversation's facts: who, when, where, and what the engine flagged on capture. */
export function ConversationFacts(props: { conversation: Conversation; timeZone: string }) {
  const { conversation } = props;
  const attributes = Object.entries(conversation.attributes);
  return (
    <dl class="facts">
      <dt>Channel</dt>
      <dd>{conversation.channel}</dd>
      <dt>State</dt>
      <dd>
        <span class="badge">{conversation.lifecycleState}</span>
      </dd>
      <dt>Started</dt>
      <dd>
        <Time at={conversation.startedAt} timeZone={props.timeZone} />
      </dd>
      <dt>Ended</dt>
      <dd>
        <Time at={conversation.endedAt} timeZone={props.timeZone} />
      </dd>
      <dt>Agent</dt>
      <dd>{conversation.agentUsername ?? '—'}</dd>
      <dt>Queue</dt>
      <dd>{conversation.queueName ?? '—'}</dd>
      <dt>Customer</dt>
      <dd>{conversation.customerAddress ?? '—'}</dd>
      <dt>System</dt>
      <dd>{conversation.systemAddress ?? '—'}</dd>
      <dt>Source</dt>
      <dd>{`${conversation.source} · ${conversation.externalKey}`}</dd>
      <dt>Id</dt>
      <dd>
        <code>{conversation.id}</code>
      </dd>
      {attributes.length > 0 ? (
        <>
          <dt>Attributes</dt>
          <dd>{attributes.map(([key, value]) => `${key}=${value}`).join(', ')}</dd>
        </>
      ) : null}
      {conversation.captureFlags.length > 0 ? (
        <>
          <dt>Capture flags</dt>
          <dd>{conversation.captureFlags.map((flag) => `${flag.code} (${flag.description})`).join('; ')}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function LegTable(props: { legs: Conversation['legs']; timeZone: string }) {
  if (props.legs.length === 0) return null;
  return (
    <table>
      <caption class="muted">Contact records in order</caption>
      <thead>
        <tr>
          <th scope="col">Contact</th>
          <th scope="col">Channel</th>
          <th scope="col">Initiation</th>
          <th scope="col">Started</th>
          <th scope="col">Disconnected</th>
        </tr>
      </thead>
      <tbody>
        {props.legs.map((leg) => (
          <tr>
            <td>
              <code>{leg.contactId}</code>
            </td>
            <td>{leg.channel}</td>
            <td>{leg.initiationMethod ?? '—'}</td>
            <td>
              <Time at={leg.initiationTimestamp} timeZone={props.timeZone} />
            </td>
            <td>
              <Time at={leg.disconnectTimestamp} timeZone={props.timeZone} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
