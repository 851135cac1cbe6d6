// Rule 6: answer deadlines counted in working days of the institution.
//
// Interpretation (as in civil-law counting, ГК РФ ст. 191: a period runs from the day
// after the event): a request has a *counting day* — the local date it arrived, if that is
// a working day and it arrived before closing time (early-morning mail is read at opening),
// otherwise the next working day. The deadline is the closing time of the n-th working day
// after the counting day, so exactly n working days lie after it, up to and including the
// deadline's day. E-mail on Monday 11:00 with 3 days → Thursday at closing; the same mail
// on Monday 18:00 → counts from Tuesday → Friday at closing.
import { compileCalendar, hoursOn, type CompiledCalendar, type InstitutionCalendar } from './calendar.ts';
import { addDays, type LocalDate } from './local-date.ts';
import { dayClock, localDateOf } from './zone-clock.ts';

export const REQUEST_CHANNELS = ['email', 'phone', 'sms', 'messenger', 'visit'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/**
 * Working days to give the client a date and time. The seeds: e-mail 3, phone/SMS 1–2
 * (the upper bound is the deadline). Messengers (Viber/WhatsApp/Telegram) are short
 * messages to a phone, like SMS; a visit is a spoken request like a phone call: both 2.
 */
export const ANSWER_WORKING_DAYS: Readonly<Record<RequestChannel, number>> = {
  email: 3,
  phone: 2,
  sms: 2,
  messenger: 2,
  visit: 2,
};

/** The first working day strictly after `date`. */
export function nextWorkingDay(cal: CompiledCalendar, date: LocalDate): LocalDate {
  // The calendar has a working weekday (compileCalendar insists), so each week has one
  // unless a listed day off takes it — and a day off can cost a whole week when the
  // institution works one weekday only (or a shortened day that short has no hours left).
  // The bound only guards against a bug.
  const limit = 7 * (cal.daysOff.size + cal.shortDays.size + 1) + 1;
  let d = addDays(date, 1);
  for (let i = 0; i < limit; i++, d = addDays(d, 1)) if (hoursOn(cal, d)) return d;
  throw new RangeError(`no working day after ${date} within ${limit} days`);
}

/** The working day a request received at `receivedAt` counts from (see the file comment). */
export function countingDay(calendar: InstitutionCalendar, receivedAt: Date): LocalDate {
  return countingDayOf(compileCalendar(calendar), receivedAt);
}

function countingDayOf(cal: CompiledCalendar, receivedAt: Date): LocalDate {
  const at = receivedAt.getTime();
  if (!Number.isFinite(at)) throw new RangeError('receivedAt is not a valid instant');
  const date = localDateOf(cal.zone, at);
  const hours = hoursOn(cal, date);
  if (hours && at < dayClock(cal.zone, date).at(hours.end)) return date;
  return nextWorkingDay(cal, date);
}

/** The closing time of the n-th working day after the counting day of `from` (n = 0: that day's closing). */
export function addWorkingDays(calendar: InstitutionCalendar, from: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number of working days ≥ 0, not ${n}`);
  const cal = compileCalendar(calendar);
  let date = countingDayOf(cal, from);
  for (let i = 0; i < n; i++) date = nextWorkingDay(cal, date);
  return new Date(dayClock(cal.zone, date).at(hoursOn(cal, date)!.end));
}

/** When the client must have been given the date and time of the consultation. */
export function answerDeadline(calendar: InstitutionCalendar, receivedAt: Date, channel: RequestChannel): Date {
  const days = ANSWER_WORKING_DAYS[channel];
  if (days === undefined) throw new RangeError(`unknown request channel ${JSON.stringify(channel)}`);
  return addWorkingDays(calendar, receivedAt, days);
}
