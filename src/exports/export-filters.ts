import { z } from 'zod';

/** What an export selects: interaction metadata, or completed reviews and their scores. */
export const EXPORT_SOURCES = ['conversations', 'review-scores'] as const;
export type ExportSource = (typeof EXPORT_SOURCES)[number];

export const EXPORT_DELIVERIES = ['download', 'email'] as const;
export type ExportDelivery = (typeof EXPORT_DELIVERIES)[number];

const instant = z.iso.datetime({ offset: true });
const name = z.string().min(1).max(200);

/**
 * A time range: fixed (`from`/`to`, either end open), or `lastDays`, the days before each run's nominal
 * time (what a scheduled export wants: each run exports the period just ended).
 */
const range = z
  .object({ from: instant.optional(), to: instant.optional(), lastDays: z.number().int().min(1).max(3660).optional() })
  .strict()
  .superRefine((value, ctx) => {
    if (value.lastDays !== undefined && (value.from !== undefined || value.to !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['lastDays'], message: 'give either from/to or lastDays, not both' });
    }
    if (value.from && value.to && Date.parse(value.from) >= Date.parse(value.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range ends before it starts' });
  });

export const conversationExportFiltersSchema = z
  .object({
    startedAt: range.optional(),
    channel: z.string().min(1).max(64).optional(),
    queue: name.optional(),
    agent: name.optional(),
    tag: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a tag name: letters, digits, _ . : - only, at most 64').optional(),
  })
  .strict();

export const reviewScoreExportFiltersSchema = z
  .object({
    completedAt: range.optional(),
    questionnaireId: z.uuid().optional(),
    agent: name.optional(),
    agentGroup: name.optional(),
    tier: name.optional(),
  })
  .strict();

export type ConversationExportFilters = z.infer<typeof conversationExportFiltersSchema>;
export type ReviewScoreExportFilters = z.infer<typeof reviewScoreExportFiltersSchema>;
export type TimeRange = NonNullable<ConversationExportFilters['startedAt']>;

export const EXPORT_FILTER_SCHEMAS = {
  conversations: conversationExportFiltersSchema,
  'review-scores': reviewScoreExportFiltersSchema,
} as const;

/** The filters of a source, parsed (the API names the offending field from the issues). */
export function parseExportFilters(source: ExportSource, filters: unknown) {
  return EXPORT_FILTER_SCHEMAS[source].safeParse(filters ?? {});
}

/** The range's bounds for a run at `nominal`: `lastDays` counts back from it. */
export function rangeBounds(value: TimeRange | undefined, nominal: Date): { from: Date | null; to: Date | null } {
  if (!value) return { from: null, to: null };
  if (value.lastDays !== undefined) return { from: new Date(nominal.getTime() - value.lastDays * 24 * 3600 * 1000), to: nominal };
  return { from: value.from ? new Date(value.from) : null, to: value.to ? new Date(value.to) : null };
}
