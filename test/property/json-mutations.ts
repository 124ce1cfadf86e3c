import { fc } from './support.js';

/**
 * Hostile variations of a valid JSON body: wrong types, missing and extra fields, huge strings, any
 * Unicode (lone surrogates and NUL included), nulls and numbers out of any sensible range, at any depth.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-1, 0, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '💥', 'e\u0301', '\u202e', "'; drop table users; --", '../../etc/passwd', '2026-02-30T25:61:00Z', 'not-a-uuid'),
  fc.integer({ min: 10_000, max: 300_000 }).map((length) => 'x'.repeat(length)),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
);

type Mutation =
  | { kind: 'none' }
  | { kind: 'replace-body'; value: Json }
  | { kind: 'drop'; pick: number }
  | { kind: 'set'; pick: number; value: Json }
  | { kind: 'extra'; pick: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace-body' as const), value: hostileValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'id', '$where')), value: hostileValue }) },
);

/** One to three mutations, applied in order. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

function pathsOf(value: Json, prefix: Path = [], depth = 0): Path[] {
  if (depth > 5 || value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key], depth + 1)]);
}

function containersOf(value: Json, prefix: Path = [], depth = 0): Path[] {
  if (depth > 5 || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => containersOf(child, [...prefix, key], depth + 1))];
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } {
  let parent = root;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[key]!;
  return { parent, key: path[path.length - 1]! };
}

function applyMutation(body: Json, change: Mutation): Json {
  switch (change.kind) {
    case 'none':
      return body;
    case 'replace-body':
      return change.value;
    case 'drop':
    case 'set': {
      const paths = pathsOf(body);
      if (paths.length === 0) return change.kind === 'set' ? change.value : body;
      const { parent, key } = parentOf(body, paths[change.pick % paths.length]!);
      if (change.kind === 'set') (parent as Record<string | number, Json>)[key] = change.value;
      else if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, Json>)[key as string];
      return body;
    }
    case 'extra': {
      const containers = containersOf(body);
      if (containers.length === 0) return body;
      const path = containers[change.pick % containers.length]!;
      const target = path.length === 0 ? body : parentOf(body, path).parent;
      const container = path.length === 0 ? target : (target as Record<string | number, Json>)[path[path.length - 1]!];
      // defineProperty, so that a key like __proto__ becomes a plain key of the JSON text, as a client could send it.
      Object.defineProperty(container, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
      return body;
    }
  }
}

/** The body with the mutations applied (the valid body itself is left alone). */
export function mutate(valid: unknown, changes: readonly Mutation[]): Json {
  return changes.reduce<Json>((body, change) => applyMutation(body, change), structuredClone(valid) as Json);
}
