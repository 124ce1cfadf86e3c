import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from '../../src/console/form-time.js';

describe('console time inputs in the viewer’s zone', () => {
  it('reads a datetime-local value as wall-clock time in the zone, with or without seconds', () => {
    expect(fromLocalInput('2026-07-01T09:30', 'Europe/Prague')).toBe('2026-07-01T07:30:00.000Z');
    expect(fromLocalInput('2026-12-01T09:30:15', 'Europe/Prague')).toBe('2026-12-01T08:30:15.000Z');
    expect(fromLocalInput('2026-12-01T09:30', 'UTC')).toBe('2026-12-01T09:30:00.000Z');
  });

  it('gives nothing for an empty or malformed value, so the API default applies or the API names the field', () => {
    expect(fromLocalInput('', 'UTC')).toBeUndefined();
    expect(fromLocalInput('yesterday', 'UTC')).toBeUndefined();
  });

  it('writes an instant back as the same wall-clock reading', () => {
    expect(toLocalInput('2026-07-01T07:30:00.000Z', 'Europe/Prague')).toBe('2026-07-01T09:30');
    expect(fromLocalInput(toLocalInput('2026-03-29T00:59:00.000Z', 'Europe/Prague'), 'Europe/Prague')).toBe('2026-03-29T00:59:00.000Z');
  });
});
