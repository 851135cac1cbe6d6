// Rows ⇄ the scheduling package's plain types. The shapes are declared here structurally
// (identical to @dp/scheduling's InstitutionCalendar and SpecialistMonthSchedule), so this
// package does not depend on the rules and the rules do not depend on the database.
import type { Institution, Prisma, ScheduleBlock, SpecialistMonthSchedule } from '../dist/prisma/client.ts';

export type WeekdayNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export interface HoursRangeData {
  start: string;
  end: string;
}

/** = @dp/scheduling InstitutionCalendar */
export interface InstitutionCalendarData {
  timeZone: string;
  week: Record<WeekdayNumber, HoursRangeData | null>;
  lunch: HoursRangeData | null;
  daysOff: string[];
  extraWorkingDays?: string[];
}

/** = @dp/scheduling SpecialistMonthSchedule */
export interface MonthScheduleData {
  specialistId: string;
  month: string;
  status: 'draft' | 'approved';
  blocks: { date: string; start: string; end: string }[];
}

const WEEKDAYS: readonly WeekdayNumber[] = [1, 2, 3, 4, 5, 6, 7];

type CalendarColumns = Pick<Institution, 'timeZone' | 'week' | 'lunchStart' | 'lunchEnd' | 'daysOff' | 'extraWorkingDays'>;

function isHoursRange(v: unknown): v is HoursRangeData {
  return (
    typeof v === 'object' && v !== null && typeof (v as HoursRangeData).start === 'string' && typeof (v as HoursRangeData).end === 'string'
  );
}

/** An institution row's calendar. Throws if `week` is not the stored shape (the CHECK keeps it so). */
export function institutionCalendar(row: CalendarColumns): InstitutionCalendarData {
  const stored = row.week as Record<string, unknown> | null;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new TypeError('institutions.week is not an object');
  }
  const week = {} as Record<WeekdayNumber, HoursRangeData | null>;
  for (const d of WEEKDAYS) {
    const hours = stored[String(d)];
    if (hours !== null && !isHoursRange(hours)) throw new TypeError(`institutions.week["${d}"] is neither null nor {start, end}`);
    week[d] = hours === null ? null : { start: hours.start, end: hours.end };
  }
  return {
    timeZone: row.timeZone,
    week,
    lunch: row.lunchStart !== null && row.lunchEnd !== null ? { start: row.lunchStart, end: row.lunchEnd } : null,
    daysOff: [...row.daysOff],
    extraWorkingDays: [...row.extraWorkingDays],
  };
}

/** The columns that store a calendar (for create/update data). */
export function institutionCalendarColumns(calendar: InstitutionCalendarData): {
  timeZone: string;
  week: Prisma.InputJsonObject;
  lunchStart: string | null;
  lunchEnd: string | null;
  daysOff: string[];
  extraWorkingDays: string[];
} {
  const week: Record<string, { start: string; end: string } | null> = {};
  for (const d of WEEKDAYS) {
    const hours = calendar.week[d];
    week[String(d)] = hours ? { start: hours.start, end: hours.end } : null;
  }
  return {
    timeZone: calendar.timeZone,
    week,
    lunchStart: calendar.lunch?.start ?? null,
    lunchEnd: calendar.lunch?.end ?? null,
    daysOff: [...calendar.daysOff],
    extraWorkingDays: [...(calendar.extraWorkingDays ?? [])],
  };
}

/** A schedule row with its blocks, as the rules see it. */
export function monthSchedule(row: SpecialistMonthSchedule & { blocks: ScheduleBlock[] }): MonthScheduleData {
  return {
    specialistId: row.specialistId,
    month: row.month,
    status: row.status,
    blocks: [...row.blocks]
      .sort((a, b) => (a.date + a.start < b.date + b.start ? -1 : 1))
      .map((b) => ({ date: b.date, start: b.start, end: b.end })),
  };
}
