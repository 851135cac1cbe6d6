// THE calendar every working-day computation uses on the server (booking and move checks,
// free slots, answer deadlines): the institution's own stored days combined with the Russian
// production calendar — art. 112 holidays, the decree's transferred days off, worked
// Saturdays and shortened pre-holiday days (an hour shorter). The national days are added
// here, on every read, and never written into the institution's stored daysOff: a corrected
// decree or a new year's data takes effect without touching any row.
import { institutionCalendar } from '@dp/db';
import { localDateOf, withProductionCalendar, type InstitutionCalendar } from '@dp/scheduling';

type CalendarRow = Parameters<typeof institutionCalendar>[0];

const yearOf = (timeZone: string, at: Date) => Number(localDateOf(timeZone, at.getTime()).slice(0, 4));

/**
 * The institution's working calendar for computations between `from` and `to` (instants).
 * The following year is merged too: a deadline counted from late December runs into January.
 * A year without shipped decree data gets the art. 112 holidays only (the settings screen
 * asks the admin or head to confirm that year's days off).
 */
export function workingCalendar(row: CalendarRow, from: Date, to: Date = from): InstitutionCalendar {
  const own = institutionCalendar(row);
  const first = yearOf(own.timeZone, from);
  const last = Math.max(first, yearOf(own.timeZone, to)) + 1;
  const years: number[] = [];
  for (let y = first; y <= last; y++) years.push(y);
  return withProductionCalendar(own, years).calendar;
}
