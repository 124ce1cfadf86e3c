import type { Hono } from 'hono';
import { CAPTURE_FLAGS, CONTACT_CHANNELS } from '../../domain/contact-record.js';
import { callApi, problemText, queryString } from '../api-bridge.js';
import type { ConsoleDeps, ConsoleEnv } from '../console-env.js';
import { CONSOLE_PAGES } from '../console-pages.js';
import { FilterReset, fromInstant, readFilters, toInstant, type Filters as FilterSet } from '../filter-form.js';
import { Layout, NextPageLink, Notice, Time } from '../layout.js';
import { renderPage, refusePageUnlessAllowed, viewerLayoutProps } from '../page-kit.js';
import { registerConversationPage } from './conversation-page.js';

interface ConversationHit {
  id: string;
  source: string;
  channel: string;
  lifecycleState: string;
  startedAt: string | null;
  endedAt: string | null;
  agentUsername: string | null;
  queueName: string | null;
  customerAddress: string | null;
  systemAddress: string | null;
  email: { from: string | null; to: string[]; cc: string[]; subject: string | null } | null;
}

/** The Explorer's filters, each a query parameter of the page so a search can be bookmarked and shared. */
const FILTERS = ['channel', 'flag', 'from', 'to', 'agent', 'queue', 'phone', 'emailFrom', 'emailTo', 'cc', 'subject', 'q', 'tags', 'state', 'attrKey', 'attrValue'] as const;
type Filters = FilterSet<(typeof FILTERS)[number]>;
const PATH = '/console/conversations';

const PAGE_SIZE = 50;
const STATES = ['open', 'captured', 'deleted'];

/**
 * The API's query for the page's filters: local times in the viewer's zone become instants, the tag list
 * (comma separated, each `name` or `name=value`) becomes repeated `tag`, the attribute pair `attr.<key>`.
 */
function apiQuery(filters: Filters, timeZone: string): Record<string, string | string[] | undefined> {
  const { tags, attrKey, attrValue, from, to, ...plain } = filters;
  const query: Record<string, string | string[] | undefined> = {
    ...plain,
    from: fromInstant(from, timeZone),
    to: toInstant(to, timeZone),
    tag: tags
      ? tags
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean)
      : undefined,
  };
  // An attribute value without its key is sent as is, so the API names the mistake rather than the page hiding it.
  if (attrKey || attrValue) query[`attr.${attrKey ?? ''}`] = attrValue ?? '';
  return query;
}

function TextFilter(props: { filters: Filters; name: keyof Filters; label: string; placeholder?: string; type?: string }) {
  return (
    <div class="field">
      <label for={`filter-${props.name}`}>{props.label}</label>
      <input id={`filter-${props.name}`} name={props.name} type={props.type ?? 'text'} value={props.filters[props.name] ?? ''} placeholder={props.placeholder} />
      <FilterReset path={PATH} filters={props.filters} names={[props.name]} label={props.label.toLowerCase()} />
    </div>
  );
}

/** Who or what the conversation was with, as the Explorer's list shows it. */
function Counterpart(props: { hit: ConversationHit }) {
  const { hit } = props;
  if (hit.email) {
    return (
      <>
        <span>{hit.email.subject ?? '(no subject)'}</span>
        <br />
        <span class="muted">{`${hit.email.from ?? '?'} → ${hit.email.to.join(', ')}${hit.email.cc.length ? ` (cc ${hit.email.cc.join(', ')})` : ''}`}</span>
      </>
    );
  }
  return <span>{hit.customerAddress ?? <span class="muted">—</span>}</span>;
}

export function registerConversationsPages(app: Hono<ConsoleEnv>, deps: ConsoleDeps) {
  const page = CONSOLE_PAGES.conversations;

  app.get('/console/conversations', async (c) => {
    const refused = await refusePageUnlessAllowed(deps, c, page);
    if (refused) return refused;
    const timeZone = c.var.viewer.principal.timeZone;
    const filters = readFilters(c, FILTERS);
    const cursor = c.req.query('cursor');
    const search = await callApi<{ items: ConversationHit[]; nextCursor: string | null }>(
      deps,
      c,
      'GET',
      `/v1/conversations${queryString({ ...apiQuery(filters, timeZone), limit: String(PAGE_SIZE), cursor })}`,
    );
    const nextHref = search.ok && search.body.nextCursor ? `/console/conversations${queryString({ ...filters, cursor: search.body.nextCursor })}` : null;

    return renderPage(
      c,
      <Layout title="Conversations" viewer={viewerLayoutProps(c)} current={page}>
        <form class="filters" method="get" action="/console/conversations" aria-label="Conversation search">
          <div class="field">
            <label for="filter-channel">Channel</label>
            <select id="filter-channel" name="channel">
              <option value="">Any channel</option>
              {[...CONTACT_CHANNELS, ...(filters.channel && !(CONTACT_CHANNELS as readonly string[]).includes(filters.channel) ? [filters.channel] : [])].map((channel) => (
                <option value={channel} selected={filters.channel === channel}>
                  {channel}
                </option>
              ))}
            </select>
            <FilterReset path={PATH} filters={filters} names={['channel']} label="channel" />
          </div>
          <TextFilter filters={filters} name="from" label="Started from" type="datetime-local" />
          <TextFilter filters={filters} name="to" label="Started before" type="datetime-local" />
          <TextFilter filters={filters} name="agent" label="Agent" placeholder="username" />
          <TextFilter filters={filters} name="queue" label="Queue" />
          <TextFilter filters={filters} name="phone" label="Phone" placeholder="any party of the call" />
          <TextFilter filters={filters} name="emailFrom" label="Email from" />
          <TextFilter filters={filters} name="emailTo" label="Email to" />
          <TextFilter filters={filters} name="cc" label="Email cc" />
          <TextFilter filters={filters} name="subject" label="Subject" placeholder='words, "phrase", -word' />
          <TextFilter filters={filters} name="q" label="Text" placeholder="messages, addresses, body" />
          <TextFilter filters={filters} name="tags" label="Tags" placeholder="NAME or NAME=value, comma separated" />
          <div class="field">
            <label for="filter-attrKey">Attribute</label>
            <input id="filter-attrKey" name="attrKey" type="text" value={filters.attrKey ?? ''} placeholder="key" />
            <label for="filter-attrValue">Attribute value</label>
            <input id="filter-attrValue" name="attrValue" type="text" value={filters.attrValue ?? ''} />
            <FilterReset path={PATH} filters={filters} names={['attrKey', 'attrValue']} label="attribute" />
          </div>
          <div class="field">
            <label for="filter-state">State</label>
            <select id="filter-state" name="state">
              <option value="">Any state</option>
              {STATES.map((state) => (
                <option value={state} selected={filters.state === state}>
                  {state}
                </option>
              ))}
            </select>
            <FilterReset path={PATH} filters={filters} names={['state']} label="state" />
          </div>
          <div class="field">
            <label for="filter-flag">Capture flag</label>
            <select id="filter-flag" name="flag">
              <option value="">Any, or none</option>
              {Object.entries(CAPTURE_FLAGS).map(([code, description]) => (
                <option value={code} selected={filters.flag === code}>
                  {`${code} — ${description}`}
                </option>
              ))}
            </select>
            <FilterReset path={PATH} filters={filters} names={['flag']} label="capture flag" />
          </div>
          <div class="actions">
            <button type="submit">Search</button>
            <a class="button secondary" href="/console/conversations">
              Reset all
            </a>
          </div>
        </form>
        <p class="help">Times are in {timeZone}; hover over a time for UTC. Every filter given must match; newest first. You see only the conversations your roles allow.</p>

        <section aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          {!search.ok ? (
            <Notice kind="error">{problemText(search.body)}</Notice>
          ) : search.body.items.length === 0 ? (
            <p>No conversations match these filters.</p>
          ) : (
            <table>
              <caption class="muted">{`${search.body.items.length} shown${cursor ? ' (continued)' : ''}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Queue</th>
                  <th scope="col">Customer or email</th>
                  <th scope="col">State</th>
                  <th scope="col">Conversation</th>
                </tr>
              </thead>
              <tbody>
                {search.body.items.map((hit) => (
                  <tr>
                    <td>
                      <Time at={hit.startedAt} timeZone={timeZone} />
                    </td>
                    <td>{hit.channel}</td>
                    <td>{hit.agentUsername ?? <span class="muted">—</span>}</td>
                    <td>{hit.queueName ?? <span class="muted">—</span>}</td>
                    <td>
                      <Counterpart hit={hit} />
                    </td>
                    <td>
                      <span class="badge">{hit.lifecycleState}</span>
                    </td>
                    <td>
                      <a href={`/console/conversations/${hit.id}`} title={hit.id}>
                        {`Open ${hit.id.slice(0, 8)}`}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <NextPageLink href={nextHref} firstHref={cursor ? `/console/conversations${queryString(filters)}` : null} />
        </section>
      </Layout>,
      search.ok || search.status >= 500 ? 200 : 422,
    );
  });

  registerConversationPage(app, deps);
}
