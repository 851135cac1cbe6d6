import { z } from 'zod';

// Building blocks of the staff REST API's schemas. The browser imports them too, so nothing
// here may need Node: time zones are checked with Intl, which every browser has.
//
// Wire conventions: instants are ISO 8601 strings with an offset (the server answers in UTC,
// `…Z`); the institution's calendar values stay local strings exactly as the scheduling
// package and the database keep them: dates 'YYYY-MM-DD', months 'YYYY-MM', times 'HH:mm'.

/** Row ids (UUIDv7 from the database; any RFC 9562 UUID is accepted). */
export const Uuid = z.uuid();
export type Uuid = z.infer<typeof Uuid>;

/** An e-mail address as the server takes it (stored lower-case); the web's forms check with the same schema. */
export const Email = z.email().max(320).toLowerCase();

/** Instants the database's timestamp columns take as sent: years 1 … 9999 in UTC (year 0 answered 500). */
const INSTANT_MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const INSTANT_MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An instant, e.g. '2026-03-03T09:30:00+06:00' or '2026-03-03T03:30:00.000Z'. */
export const Instant = z.iso
  .datetime({ offset: true })
  .refine((v) => !(Date.parse(v) < INSTANT_MIN_MS || Date.parse(v) > INSTANT_MAX_MS), {
    message: 'an instant in the years 1 to 9999 (UTC)',
  })
  .meta({ description: 'ISO 8601 instant with Z or an offset' });
export type Instant = z.infer<typeof Instant>;

/** A real calendar day ('2026-02-30' is refused), local to the institution. */
export const LocalDate = z.iso.date().meta({ description: "'YYYY-MM-DD' in the institution's time zone" });
export type LocalDate = z.infer<typeof LocalDate>;

/** 'YYYY-MM' (a schedule's month). */
export const LocalMonth = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected a month 'YYYY-MM'")
  .meta({ description: "'YYYY-MM'" });
export type LocalMonth = z.infer<typeof LocalMonth>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Wall-clock 'HH:mm', 00:00 … 23:59. */
export const LocalTime = z.string().regex(HHMM, "expected a time 'HH:mm'").meta({ description: "'HH:mm' in the institution's time zone" });
export type LocalTime = z.infer<typeof LocalTime>;

// The database's CHECK on institutions.time_zone: 'Area/Location', no Etc/… fixed offsets.
const ZONE_NAME = /^[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/;

/**
 * True for IANA zone names such as 'Asia/Omsk' that this JavaScript engine knows. Offsets
 * ('+06:00'), 'UTC' and 'Etc/GMT-6' are refused: a fixed offset freezes today's rule, and
 * Russia has changed its offsets several times. Intl accepts the legacy aliases as well
 * ('Europe/Kiev'), which `Intl.supportedValuesOf` would not list.
 */
export function isIanaTimeZone(name: string): boolean {
  if (!ZONE_NAME.test(name) || name.startsWith('Etc/')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .refine(isIanaTimeZone, { message: "expected an IANA time zone such as 'Asia/Omsk' (not an offset)" })
  .meta({ description: "IANA time zone, e.g. 'Asia/Omsk'", examples: ['Asia/Omsk', 'Europe/Moscow'] });

/**
 * For refinements over two times: 'HH:mm' strings compare like the times they name. False
 * when either is malformed, which its own field already reports (zod runs object
 * refinements after format issues, which do not abort parsing).
 */
export function endsBeforeStart(h: { start: string; end: string }): boolean {
  return HHMM.test(h.start) && HHMM.test(h.end) && h.end <= h.start;
}

/** Hours of a day: 'HH:mm' start strictly before end, the same day. */
export const HoursRange = z
  .object({ start: LocalTime, end: LocalTime })
  .refine((h) => !endsBeforeStart(h), { path: ['end'], message: 'end must be after start' })
  .meta({ id: 'HoursRange' });
export type HoursRange = z.infer<typeof HoursRange>;

/** An online consultation lasts at most 60 minutes (DOMAIN.md). */
export const MAX_DURATION_MINUTES = 60;
export const DurationMinutes = z.number().int().min(1).max(MAX_DURATION_MINUTES);

/** Query strings carry text; these coerce it. */
export const DurationMinutesQuery = z.coerce.number().int().min(1).max(MAX_DURATION_MINUTES);

/**
 * C0 and C1 control characters and DEL, except line feed and tab. PostgreSQL refuses NUL in
 * text (a 500 before this check), and none of them belongs in anything a person types: a
 * textarea gives '\n' for a line break, never '\r'.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$/;
export const CONTROL_CHARACTERS_MESSAGE = 'control characters are not allowed (only line breaks and tabs)';

/**
 * Free text as typed (chat, notes, reasons, names), possibly empty: trimmed, at most `max`
 * characters, no control characters. Every free-text field of a REST body or a socket event
 * is built from this or `text`, so the rule lives here once.
 */
export function plainText(max: number) {
  return z.string().trim().max(max).regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE);
}

/** Free text typed by staff or a participant: trimmed, never empty, no control characters. */
export function text(max: number) {
  return plainText(max).min(1);
}

/** PostgreSQL's integer (Prisma's Int) and bigint (BigInt) ranges: input bound for those columns is checked against them. */
export const INT4_MAX = 2_147_483_647;
export const INT8_MAX = 9_223_372_036_854_775_807n;

/** A bigint row id as a URL or query string carries it: digits, 0 … INT8_MAX (a larger one answers 400, not a database error). */
export const BigIntIdString = z
  .string()
  .regex(/^\d{1,19}$/, 'an id: digits')
  .refine((v) => !/^\d+$/.test(v) || BigInt(v) <= INT8_MAX, { message: `an id at most ${INT8_MAX}` });

/** Refines an object with `from`/`to` instants: from < to, at most `maxDays` apart. */
export function instantRange(maxDays: number) {
  return (v: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) => {
    // Only two well-formed instants are compared; a malformed one is reported on its own field.
    if (!Instant.safeParse(v.from).success || !Instant.safeParse(v.to).success) return;
    const span = Date.parse(v.to!) - Date.parse(v.from!);
    if (!(span > 0)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (span > maxDays * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${maxDays} days after from` });
  };
}

/** A POST that takes no input: no body, or an empty object. */
export const NoBody = z.object({}).strict().optional();
