import { z } from 'zod';
import { HoursRange, Instant, LocalDate, TimeZone, Uuid, text } from './common.ts';

// Institutions (учреждения) and their working calendar. The calendar maps 1:1 onto the
// scheduling package's InstitutionCalendar; the server also runs its `calendarProblems`.

const day = HoursRange.nullable();

/** Hours per weekday, 1 = Monday … 7 = Sunday (Luxon's numbering); null = not a working day. */
export const Week = z
  .object({ '1': day, '2': day, '3': day, '4': day, '5': day, '6': day, '7': day })
  .refine((w) => Object.values(w).some((h) => h !== null), { message: 'at least one weekday needs working hours' })
  .meta({ id: 'Week' });
export type Week = z.infer<typeof Week>;

const dates = z.array(LocalDate).max(400);

export const InstitutionCalendar = z
  .object({
    timeZone: TimeZone,
    week: Week,
    /** The same every working day; null = no lunch break. */
    lunch: HoursRange.nullable(),
    /** Holidays and other local days off; they win over everything else. */
    daysOff: dates,
    /** Days off by the weekly pattern that are worked (a transferred Saturday), with Monday's hours. */
    extraWorkingDays: dates,
  })
  .meta({ id: 'InstitutionCalendar' });
export type InstitutionCalendar = z.infer<typeof InstitutionCalendar>;

export const Institution = z
  .object({
    id: Uuid,
    departmentId: Uuid,
    name: z.string(),
    /** Runs webinars for other institutions' staff and consolidates their reports. */
    resourceCentre: z.boolean(),
    /** For clients whose connection fails. */
    phone: z.string().nullable(),
    calendar: InstitutionCalendar,
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Institution' });
export type Institution = z.infer<typeof Institution>;

/** A phone number as people write it: digits, spaces, +, (), -. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{4,38}$/, 'a phone number: digits, spaces, +, (, ), -')
  .meta({ id: 'Phone' });

export const InstitutionList = z.object({ institutions: z.array(Institution) });
export type InstitutionList = z.infer<typeof InstitutionList>;

export const InstitutionParams = z.object({ institutionId: Uuid });
export type InstitutionParams = z.infer<typeof InstitutionParams>;

/** POST /institutions: an institution of the admin's own department (departments are made with `pnpm admin:create`). */
export const CreateInstitutionBody = z.object({
  /** Defaults to the admin's department; another department's id answers 404. */
  departmentId: Uuid.optional(),
  name: text(300),
  resourceCentre: z.boolean().default(false),
  phone: Phone.nullable().optional(),
  calendar: InstitutionCalendar,
});
export type CreateInstitutionBody = z.infer<typeof CreateInstitutionBody>;

/** PATCH /institutions/:id: any of the fields; calendar parts replace the stored ones. */
export const UpdateInstitutionBody = z
  .object({
    name: text(300).optional(),
    resourceCentre: z.boolean().optional(),
    /** null clears it. */
    phone: Phone.nullable().optional(),
    calendar: InstitutionCalendar.partial().optional(),
  })
  .refine(
    (v) =>
      v.name !== undefined || v.resourceCentre !== undefined || v.phone !== undefined || (v.calendar && Object.keys(v.calendar).length > 0),
    {
      message: 'nothing to change',
    },
  );
export type UpdateInstitutionBody = z.infer<typeof UpdateInstitutionBody>;

// --- the production calendar in force (GET /institutions/:id/calendar?year=) ---------------

const CalendarYear = z.coerce.number().int().min(2000).max(2200);

export const CalendarYearQuery = z.object({ year: CalendarYear });
export type CalendarYearQuery = z.infer<typeof CalendarYearQuery>;

export const CalendarYearParams = z.object({ institutionId: Uuid, year: CalendarYear });
export type CalendarYearParams = z.infer<typeof CalendarYearParams>;

/**
 * One year of the calendar in force: the national production calendar (Labour Code art. 112
 * holidays, the decree's transferred days off, worked Saturdays, shortened pre-holiday days)
 * and the institution's own days of that year. The national days are never stored with the
 * institution; the server adds them to every working-day computation.
 */
export const InstitutionCalendarYear = z
  .object({
    year: z.number().int(),
    /** The year's decree is shipped with the product (else only the art. 112 holidays are known). */
    shipped: z.boolean(),
    /** The decree cited, when shipped. */
    decree: z.string().nullable(),
    /** For a year not shipped: whether the admin or head confirmed its days off. */
    confirmed: z.boolean(),
    /** The art. 112 holidays of the year. */
    holidays: z.array(LocalDate),
    /** Every national non-working date besides ordinary weekends: holidays and transferred days off. */
    nationalDaysOff: z.array(LocalDate),
    /** Saturdays and Sundays worked by the decree. */
    workedWeekendDays: z.array(LocalDate),
    /** Shortened pre-holiday days: they close an hour earlier. */
    shortDays: z.array(LocalDate),
    /** The institution's own days off of the year (stored). */
    ownDaysOff: z.array(LocalDate),
    /** The institution's own extra working days of the year (stored). */
    ownExtraWorkingDays: z.array(LocalDate),
  })
  .meta({ id: 'InstitutionCalendarYear' });
export type InstitutionCalendarYear = z.infer<typeof InstitutionCalendarYear>;
