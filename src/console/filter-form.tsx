import type { Context } from 'hono';
import { queryString } from './api-bridge.js';
import type { ConsoleEnv } from './console-env.js';
import { fromLocalInput } from './form-time.js';

/**
 * The filters of a list screen: each a query parameter, so a filtered view can be bookmarked and shared,
 * with a reset link per filter and one for all.
 */
export type Filters<Name extends string> = Partial<Record<Name, string>>;

export function readFilters<Name extends string>(c: Context<ConsoleEnv>, names: readonly Name[]): Filters<Name> {
  const filters: Filters<Name> = {};
  for (const name of names) {
    const value = c.req.query(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

/** The screen's URL without these filters (a pair such as an attribute's key and value resets together). */
export function withoutFilters<Name extends string>(path: string, filters: Filters<Name>, names: readonly Name[]): string {
  const rest = { ...filters };
  for (const name of names) delete rest[name];
  return `${path}${queryString(rest)}`;
}

export function FilterReset<Name extends string>(props: { path: string; filters: Filters<Name>; names: readonly Name[]; label: string }) {
  if (!props.names.some((name) => props.filters[name])) return null;
  return (
    <a class="reset" href={withoutFilters(props.path, props.filters, props.names)} aria-label={`Reset ${props.label}`}>
      Reset
    </a>
  );
}

/** A `from` typed in the viewer's zone, as the instant the API wants (left as typed when it is not a time: the API names the field). */
export function fromInstant(value: string | undefined, timeZone: string): string | undefined {
  return value ? (fromLocalInput(value, timeZone) ?? value) : undefined;
}

/** A `to` typed to the minute includes that whole minute. */
export function toInstant(value: string | undefined, timeZone: string): string | undefined {
  if (!value) return undefined;
  const instant = fromLocalInput(value, timeZone);
  return instant ? new Date(Date.parse(instant) + 59_999).toISOString() : value;
}
