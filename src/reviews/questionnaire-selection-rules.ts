import { z } from 'zod';
import type { CallSelectionRules } from '../db/schema/index.js';

const name = z.string().min(1).max(128).regex(/^[^\u0000-\u001f]+$/, 'no control characters');
const names = z.array(name).max(100);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM, 00:00 to 23:59');
const seconds = z.number().int().min(0).max(7 * 24 * 3600);

/**
 * Which conversations suit a questionnaire (and narrow a review plan): every given criterion must hold.
 * The one validation of `CallSelectionRules`, for questionnaires and plans alike.
 */
export const callSelectionRulesSchema = z
  .strictObject({
    channels: z.array(z.enum(['VOICE', 'CHAT', 'TASK', 'EMAIL'])).max(4).optional(),
    queues: names.optional(),
    agentGroups: names.optional(),
    tags: z.array(z.strictObject({ name, value: z.string().max(256).nullable().optional() })).max(50).optional(),
    minDurationSeconds: seconds.optional(),
    maxDurationSeconds: seconds.optional(),
    directions: names.optional(),
    metadataKeys: names.optional(),
    timeOfDay: z.strictObject({ from: clock, to: clock }).optional(),
  })
  .superRefine((rules, ctx) => {
    const { minDurationSeconds: min, maxDurationSeconds: max, timeOfDay } = rules;
    if (min !== undefined && max !== undefined && min > max) {
      ctx.addIssue({ code: 'custom', path: ['maxDurationSeconds'], message: `the longest duration (${max} s) is shorter than the shortest (${min} s)` });
    }
    // A window may wrap midnight (22:00 to 06:00); one that starts where it ends says nothing.
    if (timeOfDay && timeOfDay.from === timeOfDay.to) ctx.addIssue({ code: 'custom', path: ['timeOfDay', 'to'], message: 'the window ends where it starts' });
  }) satisfies z.ZodType<CallSelectionRules>;
