/**
 * Shared validation for every CRM aggregate: zod schemas for the field kinds (names, e-mail, phone, ISO
 * currency, money in integer minor units, dates, ids, tags, linked records) and {@link parseCommandWith}, which
 * turns a zod failure into a `DomainError` with a stable code and a sentence for the user.
 *
 * The same schemas validate untrusted input from the UI later, so every string has an upper bound and every
 * refusal says what to enter instead.
 * @module
 */
import { z } from 'zod';
import { DomainError } from '../../es/errors.js';

/** Upper bounds shared by all aggregates (characters, or entries for lists). */
export const LIMITS = {
  name: 200,
  shortText: 1_000,
  summary: 10_000,
  body: 100_000,
  id: 128,
  tag: 50,
  tags: 100,
  emails: 20,
  phones: 20,
  links: 100,
} as const;

/** A refinement failure carrying a domain code (read back by {@link parseCommandWith}). */
function coded(code: string, message: string): { message: string; params: { code: string } } {
  return { message, params: { code } };
}

/** A required, trimmed, single-line text of at most `max` characters (`label` names it in messages). */
export function requiredText(label: string, max: number = LIMITS.name) {
  return z
    .string()
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `${capitalize(label)} has at most ${max} characters.`);
}

/**
 * An optional text: trimmed, at most `max` characters; an empty string means "no value" and becomes `null`, so
 * clearing a form field clears the value.
 */
export function optionalText(label: string, max: number = LIMITS.name) {
  return z
    .string()
    .trim()
    .max(max, `${capitalize(label)} has at most ${max} characters.`)
    .nullable()
    .transform((s) => (s === null || s === '' ? null : s));
}

/** A record id (a stream folder name): letters, digits, `-`, `_`, `.`; at most 128 characters. */
export const idSchema = z
  .string()
  .min(1, 'Enter an id.')
  .max(LIMITS.id, `An id has at most ${LIMITS.id} characters.`)
  .refine(
    (s) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(s),
    coded(
      'INVALID_ID',
      "An id uses only letters, digits, '-', '_' and '.', and starts with a letter or digit.",
    ),
  );

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** An e-mail address, trimmed and lower-cased (so `Ana@X.com` and `ana@x.com` are one address). */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'An e-mail address has at most 254 characters.')
  .refine(
    (s) => EMAIL.test(s),
    coded('INVALID_EMAIL', 'Enter a valid e-mail address, like ana@example.com.'),
  );

/** Is `s` a valid e-mail address (after trimming)? */
export function isEmail(s: string): boolean {
  return emailSchema.safeParse(s).success;
}

/**
 * A phone number: digits with optional leading `+` and the usual separators (spaces, `-`, `.`, parentheses),
 * 5 to 15 digits (E.164 allows 15). Inner whitespace is collapsed; the number is otherwise kept as typed.
 */
export const phoneSchema = z
  .string()
  .trim()
  .max(40, 'A phone number has at most 40 characters.')
  .transform((s) => s.replace(/\s+/g, ' '))
  .refine((s) => /^\+?[0-9 ().-]+$/.test(s) && digitCount(s) >= 5 && digitCount(s) <= 15, {
    ...coded('INVALID_PHONE', 'Enter a valid phone number (5 to 15 digits), like +1 555 123 4567.'),
  });

function digitCount(s: string): number {
  return s.replace(/\D/g, '').length;
}

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 currency code (3 letters, upper-cased), known to the runtime's `Intl` data. */
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(
    (s) => /^[A-Z]{3}$/.test(s) && CURRENCIES.has(s),
    coded('INVALID_CURRENCY', 'Enter an ISO 4217 currency code of 3 letters, like EUR or USD.'),
  );

/** An amount of money: integer minor units (cents) so sums are exact, and its currency. */
export const moneySchema = z
  .object({
    minor: z
      .number({ invalid_type_error: 'The amount must be a number of minor units (cents).' })
      .refine(
        (n) => Number.isSafeInteger(n),
        coded('AMOUNT_NOT_INTEGER', 'The amount must be a whole number of cents.'),
      )
      .refine((n) => n >= 0, coded('AMOUNT_NEGATIVE', 'The amount cannot be negative.')),
    currency: currencySchema,
  })
  .strict();

/** An amount of money (see {@link moneySchema}). */
export type Money = z.infer<typeof moneySchema>;

/**
 * A web domain (`example.com`): trimmed, lower-cased; a pasted URL is reduced to its host (`https://www.x.com/a`
 * -> `x.com`), so the same company is always written the same way.
 */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(2_000, 'A web domain has at most 253 characters.')
  .transform((s) =>
    s
      .replace(/^[a-z]+:\/\//, '')
      .replace(/^www\./, '')
      .replace(/[/?#].*$/, ''),
  )
  .refine(
    (s) => s.length <= 253 && /^([\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u.test(s),
    coded('INVALID_DOMAIN', 'Enter a web domain, like example.com.'),
  );

/** Is `s` a real calendar date written `YYYY-MM-DD`? */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar date, `YYYY-MM-DD` (no time, no zone: a close date or a birthday is a day, not an instant). */
export const isoDateSchema = z
  .string()
  .trim()
  .refine(isIsoDate, coded('INVALID_DATE', 'Enter a date as YYYY-MM-DD, like 2026-03-31.'));

/** A time of day, `HH:MM` (24 h, local to the user). */
export const timeSchema = z
  .string()
  .trim()
  .refine(
    (s) => /^([01]\d|2[0-3]):[0-5]\d$/.test(s),
    coded('INVALID_TIME', 'Enter a time as HH:MM (24 h), like 09:30.'),
  );

/** An instant: ISO 8601 date-time with a zone (`Z` or an offset), like `2026-03-31T09:30:00Z`. */
export const isoDateTimeSchema = z
  .string()
  .trim()
  .refine(
    (s) => z.string().datetime({ offset: true }).safeParse(s).success,
    coded('INVALID_DATETIME', 'Enter a date and time in ISO 8601 with a zone, like 2026-03-31T09:30:00Z.'),
  );

/** Tags: trimmed, 1 to 50 characters each, at most 100, duplicates (ignoring case) dropped, first spelling kept. */
export const tagsSchema = z
  .array(requiredText('a tag', LIMITS.tag), { invalid_type_error: 'Tags must be a list of texts.' })
  .max(LIMITS.tags, `A record has at most ${LIMITS.tags} tags.`)
  .transform(uniqueIgnoringCase);

/** Keeps the first of the strings equal ignoring case, in order. */
export function uniqueIgnoringCase(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((s) => {
    const key = s.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The kinds of record a note, activity or task can be linked to, and custom fields can be defined for. */
export const recordKindSchema = z.enum(['contact', 'company', 'deal', 'task', 'note', 'activity']);

/** A kind of record. */
export type RecordKind = z.infer<typeof recordKindSchema>;

/**
 * A link to another record. Whether it exists cannot be checked inside one aggregate: the backend checks it
 * before sending the command (and refuses with `LINKED_RECORD_NOT_FOUND`).
 */
export const linkedRecordSchema = z.object({ kind: recordKindSchema, id: idSchema }).strict();

/** A link to another record (see {@link linkedRecordSchema}). */
export type LinkedRecord = z.infer<typeof linkedRecordSchema>;

/** A list of record ids, duplicates dropped, at most `max`. */
export function idListSchema(label: string, max: number = LIMITS.links) {
  return z
    .array(idSchema)
    .max(max, `${capitalize(label)} has at most ${max} entries.`)
    .transform((ids) => [...new Set(ids)]);
}

// ---- turning zod failures into domain errors -------------------------------------------------------------

/** One problem of a refused input, as listed in a `DomainError`'s `details.issues`. */
export interface InputIssue {
  /** Where, e.g. `fields.emails.1`. */
  path: string;
  /** A stable code, e.g. `INVALID_EMAIL`, `REQUIRED_FIELD`. */
  code: string;
  /** A sentence for the user. */
  message: string;
}

/**
 * The outputs of {@link parseCommandWith}, by schema. The store's actor parses a command (`parseCommand`) and hands
 * the result to `decide`, which parses again to check typed callers too: a command that is already such an output
 * is not parsed a second time (zod took about 50 µs a contact command, twice).
 */
const parsedBy = new WeakMap<z.ZodTypeAny, WeakSet<object>>();

/** Parses `input` with `schema`, or throws a `DomainError` whose code is that of the first problem. */
export function parseCommandWith<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const seen = parsedBy.get(schema);
  if (seen && typeof input === 'object' && input !== null && seen.has(input)) return input as z.output<S>;
  const result = schema.safeParse(input, { errorMap });
  if (result.success) {
    const out = result.data as unknown;
    if (typeof out === 'object' && out !== null) {
      if (seen) seen.add(out);
      else parsedBy.set(schema, new WeakSet([out]));
    }
    return out as z.output<S>;
  }
  const issues: InputIssue[] = result.error.issues.map((i) => ({
    path: i.path.join('.'),
    code: codeOf(i),
    message: i.message,
  }));
  const first = issues[0] ?? { path: '', code: 'INVALID_INPUT', message: 'The command is invalid.' };
  const more = issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new DomainError(first.code, first.message + more, { issues });
}

function codeOf(issue: z.ZodIssue): string {
  if (issue.code === 'custom') {
    const code = (issue.params as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? code : 'INVALID_INPUT';
  }
  if (issue.code === 'invalid_type' && (issue.received === 'undefined' || issue.received === 'null')) {
    return 'REQUIRED_FIELD';
  }
  if (issue.code === 'too_small' && issue.type === 'string' && issue.minimum === 1) return 'REQUIRED_FIELD';
  if (issue.code === 'too_big')
    return issue.type === 'string' ? 'TOO_LONG' : issue.type === 'array' ? 'TOO_MANY' : 'OUT_OF_RANGE';
  if (issue.code === 'too_small') return issue.type === 'array' ? 'TOO_FEW' : 'OUT_OF_RANGE';
  if (issue.code === 'invalid_union_discriminator') return 'UNKNOWN_COMMAND';
  if (issue.code === 'unrecognized_keys') return 'UNEXPECTED_FIELD';
  if (issue.code === 'invalid_enum_value') return 'INVALID_CHOICE';
  return 'INVALID_INPUT';
}

// Default messages, used where a schema did not give its own.
const errorMap: z.ZodErrorMap = (issue, ctx) => {
  const field = fieldLabel(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return {
        message:
          issue.received === 'undefined' || issue.received === 'null'
            ? `${field} is required.`
            : `${field} must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}.`,
      };
    case 'unrecognized_keys':
      return { message: `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}.` };
    case 'invalid_union_discriminator':
      return { message: `Unknown command type. Expected one of: ${issue.options.map(String).join(', ')}.` };
    case 'invalid_union':
      return { message: `${field} has a value of the wrong type.` };
    case 'invalid_literal':
      return { message: `${field} must be ${JSON.stringify(issue.expected)}.` };
    case 'invalid_enum_value':
      return { message: `${field} must be one of: ${issue.options.map(String).join(', ')}.` };
    case 'too_big':
      return {
        message: `${field} is too ${issue.type === 'array' ? 'long' : 'large'} (at most ${issue.maximum}).`,
      };
    case 'too_small':
      return {
        message: `${field} is too ${issue.type === 'array' ? 'short' : 'small'} (at least ${issue.minimum}).`,
      };
    default:
      return { message: ctx.defaultError };
  }
};

/** `['fields', 'firstName']` -> `First name`; the command itself when the path is empty. */
function fieldLabel(path: readonly (string | number)[]): string {
  const last = [...path].reverse().find((p): p is string => typeof p === 'string');
  if (last === undefined) return 'The command';
  return capitalize(last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
