// The one place where wall-clock times meet instants. Everything goes through luxon's
// IANA zone data, never a fixed offset: Russia has changed its offsets several times
// (2011, 2014, 2016 …) and may bring DST back; institutions elsewhere already have it.
import { DateTime, IANAZone } from 'luxon';
import { addDays, formatLocalDate, parseLocalDate, type LocalDate } from './local-date.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * True for IANA names that Intl knows ('Asia/Omsk'). Offset strings ('+06:00'), which
 * newer Intl versions accept as time zones, are refused: they would freeze today's offset.
 */
export function isIanaZone(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !/^[+-]/.test(name) && IANAZone.create(name).isValid;
}

function zone(name: string): IANAZone {
  const z = IANAZone.create(name);
  if (!z.isValid || /^[+-]/.test(name)) throw new RangeError(`not an IANA time zone: ${JSON.stringify(name)}`);
  return z;
}

/** The institution's calendar day on which an instant falls. */
export function localDateOf(zoneName: string, instantMs: number): LocalDate {
  // Offsets lie within ±14 h, so the local date is the UTC date or a neighbour; the cached
  // day clocks tell which without asking Intl for an offset.
  let date = formatLocalDate(Math.floor(instantMs / DAY_MS) * DAY_MS);
  for (let i = 0; i < 2; i++) {
    const clock = dayClock(zoneName, date);
    if (instantMs < clock.startMs) date = addDays(date, -1);
    else if (instantMs >= clock.endMs) date = addDays(date, 1);
    else return date;
  }
  // Only a zone that skipped a whole day (Pacific/Apia, 30 December 2011) gets here.
  const offsetMinutes = zone(zoneName).offset(instantMs);
  return formatLocalDate(Math.floor((instantMs + offsetMinutes * MINUTE_MS) / DAY_MS) * DAY_MS);
}

/** Converts wall-clock minutes of one local day to instants. */
export interface DayClock {
  readonly zone: string;
  readonly date: LocalDate;
  /** The instant the local day begins (its midnight, or the first existing minute after a gap). */
  readonly startMs: number;
  /** The instant the next local day begins. */
  readonly endMs: number;
  /** The instant of wall-clock `minuteOfDay` (0…1439) on this day, as luxon resolves gaps and overlaps. */
  at(minuteOfDay: number): number;
}

function wallTime(zoneName: string, date: LocalDate, minuteOfDay: number): DateTime {
  const c = parseLocalDate(date)!;
  return DateTime.fromObject(
    { year: c.year, month: c.month, day: c.day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
    { zone: zoneName },
  );
}

/**
 * The first instant of a local date. Not simply luxon's instant for 00:00: where clocks go
 * back at midnight (America/Havana), 00:00 happens twice and luxon picks one of the two, while
 * the day begins at the earlier; where they jump forward at midnight, the day begins at the
 * jump (luxon's 00:00 resolves there too). Both candidate offsets around midnight are tried.
 */
function firstInstantOf(zoneName: string, date: LocalDate): number {
  const z = zone(zoneName);
  const c = parseLocalDate(date)!;
  const wallAsUtc = Date.UTC(c.year, c.month - 1, c.day);
  // Local midnight lies within [wallAsUtc − 14 h, wallAsUtc + 12 h] for every real offset.
  const offsets = new Set([z.offset(wallAsUtc - 14 * 3_600_000), z.offset(wallAsUtc + 12 * 3_600_000)]);
  let first = Number.POSITIVE_INFINITY;
  for (const o of offsets) {
    const t = wallAsUtc - o * MINUTE_MS;
    if (z.offset(t) === o) first = Math.min(first, t);
  }
  return Number.isFinite(first) ? first : wallTime(zoneName, date, 0).toMillis();
}

function makeDayClock(zoneName: string, date: LocalDate): DayClock {
  const z = zone(zoneName);
  if (!parseLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const start = firstInstantOf(zoneName, date);
  const end = Math.max(start, firstInstantOf(zoneName, addDays(date, 1)));
  // A day that begins at wall-clock 00:00 and lasts exactly 24 h with the same offset at both
  // ends has one offset throughout (tz data has no day with a transition and its reversal), so
  // each wall minute is a plain addition. Transition days (about two a year where DST exists)
  // ask luxon for every minute, which resolves a spring-forward gap by moving later.
  const offset = z.offset(start);
  const uniform = end - start === DAY_MS && z.offset(end) === offset && (start + offset * MINUTE_MS) % DAY_MS === 0;
  if (uniform) return { zone: zoneName, date, startMs: start, endMs: end, at: (m) => start + m * MINUTE_MS };
  const memo = new Map<number, number>();
  return {
    zone: zoneName,
    date,
    startMs: start,
    endMs: end,
    at(m) {
      let ms = memo.get(m);
      if (ms === undefined) memo.set(m, (ms = wallTime(zoneName, date, m).toMillis()));
      return ms;
    },
  };
}

// Zone conversions cost luxon ~5–20 µs each, the rest of a slot search is arithmetic; days
// are shared by every specialist of an institution, so they are memoised. The map is a
// pure function's cache (time-zone data does not change while the process runs), bounded
// so that a long-lived server does not grow it without limit.
const DAY_CLOCK_CACHE_LIMIT = 20_000;
const dayClocks = new Map<string, DayClock>();

export function dayClock(zoneName: string, date: LocalDate): DayClock {
  const key = `${zoneName} ${date}`;
  let clock = dayClocks.get(key);
  if (clock === undefined) {
    clock = makeDayClock(zoneName, date);
    if (dayClocks.size >= DAY_CLOCK_CACHE_LIMIT) dayClocks.clear();
    dayClocks.set(key, clock);
  }
  return clock;
}

/** Empties the day cache (for benchmarks that measure a cold start; never needed for correctness). */
export function clearDayClockCache(): void {
  dayClocks.clear();
}
