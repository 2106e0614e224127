import { z } from 'zod';

/** Longest name baton stores; longer names are refused with a clear message instead of bloating indexes. */
export const MAX_NAME_LENGTH = 255;

const FORBIDDEN_NAME_CHARS = /^[^/%&><]+$/;

/** Prefect's `Name`: non-empty, without `/ % & > <`. */
export const nameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(FORBIDDEN_NAME_CHARS, 'must not contain any of / % & > <');

/** Prefect's `NonEmptyishName`, used for work pools: not empty once quotes and spaces are stripped. */
export const poolNameSchema = nameSchema.refine((s) => s.replace(/['"\s]/g, '').length > 0, {
  message: 'must not be empty or only quotes and spaces',
});

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

const ISO_DATETIME =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 date-time. A value without an offset is UTC (as Prefect treats naive datetimes).
 * Parsed to epoch milliseconds.
 */
export const dateTimeSchema = z
  .string()
  .regex(ISO_DATETIME, 'must be an ISO-8601 date-time such as 2026-01-31T09:00:00Z')
  .transform((value, ctx) => {
    const ms = parseIsoDateTime(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date-time' });
      return z.NEVER;
    }
    return ms;
  });

export function parseIsoDateTime(value: string): number | null {
  if (!ISO_DATETIME.test(value)) return null;
  let normalized = value.replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(normalized)) {
    if (!normalized.includes('T')) normalized += 'T00:00:00';
    normalized += 'Z';
  }
  // JS Date keeps milliseconds only; drop extra fraction digits so Date.parse accepts them.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? null : ms;
}

/** A JSON object (not an array, not null). */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

export const tagsSchema = z.array(z.string().min(1).max(MAX_NAME_LENGTH)).max(100);
export const labelsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Default and maximum page size, as Prefect's PREFECT_SERVER_API_DEFAULT_LIMIT. */
export const MAX_LIMIT = 200;

export const limitSchema = z
  .number()
  .int('must be an integer')
  .min(0, 'Invalid limit: must be greater than or equal to 0.')
  .max(MAX_LIMIT, `Invalid limit: must be less than or equal to ${MAX_LIMIT}.`)
  .default(MAX_LIMIT);
export const offsetSchema = z.number().int('must be an integer').min(0, 'must be greater than or equal to 0').default(0);

/** Paging fields every `filter` body takes. */
export const pageFields = { limit: limitSchema, offset: offsetSchema };

/** Fields every stored object has. */
export const objectFields = {
  id: z.string(),
  created: z.string(),
  updated: z.string(),
};

/** A 4xx body. */
export const errorResponseSchema = z.object({ detail: z.string() });

// Messages people understand: a missing field says so, like Prefect's "Field required".
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'Field required';
    return undefined;
  },
});
