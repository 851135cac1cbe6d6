// Calendars and helpers shared by the tests (not exported from the package).
import { DateTime } from 'luxon';
import type { Booking } from '../booking.ts';
import type { InstitutionCalendar } from '../calendar.ts';
import type { SpecialistMonthSchedule } from '../schedule.ts';

/** The seeds' Sedelnikovo (Omsk oblast, UTC+6): Mon–Thu 09:00–16:00, Fri 09:00–15:00, lunch 13:00–14:00. */
export function sedelnikovo(timeZone = 'Asia/Omsk', extra: Partial<InstitutionCalendar> = {}): InstitutionCalendar {
  const day = { start: '09:00', end: '16:00' };
  return {
    timeZone,
    week: { 1: day, 2: day, 3: day, 4: day, 5: { start: '09:00', end: '15:00' }, 6: null, 7: null },
    lunch: { start: '13:00', end: '14:00' },
    daysOff: ['2026-11-04', '2026-12-31'],
    ...extra,
  };
}

/** The instant of a wall-clock time 'YYYY-MM-DD HH:mm' in a zone. */
export function local(zone: string, wall: string): Date {
  const dt = DateTime.fromFormat(wall, 'yyyy-MM-dd HH:mm', { zone });
  if (!dt.isValid) throw new Error(`bad wall time ${wall}`);
  return dt.toJSDate();
}

/** An instant shown as wall-clock 'YYYY-MM-DD HH:mm' in a zone. */
export function wall(zone: string, instant: Date): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

/** An approved schedule with the same block on each listed date. */
export function approved(specialistId: string, month: string, dates: string[], start = '09:00', end = '16:00'): SpecialistMonthSchedule {
  return { specialistId, month, status: 'approved', blocks: dates.map((date) => ({ date, start, end })) };
}

export function booking(id: string, specialistId: string, start: Date, durationMinutes = 30, state: Booking['state'] = 'planned'): Booking {
  return { id, specialistId, start, durationMinutes, state };
}

/** Every date of a month, 'YYYY-MM-DD'. */
export function datesOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}
