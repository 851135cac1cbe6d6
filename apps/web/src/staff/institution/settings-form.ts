// The institution settings form: its values, the institution ↔ values mapping, the checks made
// before sending, and the server's field errors (HTTP 400 `details`: field path → message)
// put back on the fields in the reader's language.
import type { Institution, UpdateInstitutionBody } from '@dp/protocol';

export const DAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Day = (typeof DAYS)[number];

export interface DayValues {
  on: boolean;
  start: string;
  end: string;
}

export interface SettingsValues {
  name: string;
  phone: string;
  timeZone: string;
  week: Record<Day, DayValues>;
  lunchOn: boolean;
  lunchStart: string;
  lunchEnd: string;
  daysOff: string[];
}

/** The kind of problem a field has; the screen words it (`institutionSettings.errors.<kind>`). */
export type ErrorKind = 'name' | 'phone' | 'timeZone' | 'time' | 'endBeforeStart' | 'noWorkingDay' | 'lunchEndBeforeStart' | 'daysOff';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function valuesOf(institution: Institution): SettingsValues {
  const c = institution.calendar;
  const week = {} as Record<Day, DayValues>;
  for (const d of DAYS) {
    const hours = c.week[d];
    week[d] = hours ? { on: true, start: hours.start, end: hours.end } : { on: false, start: '09:00', end: '17:00' };
  }
  return {
    name: institution.name,
    phone: institution.phone ?? '',
    timeZone: c.timeZone,
    week,
    lunchOn: c.lunch !== null,
    lunchStart: c.lunch?.start ?? '13:00',
    lunchEnd: c.lunch?.end ?? '14:00',
    daysOff: [...c.daysOff].sort(),
  };
}

/** The PATCH body: every field of the form (the stored extra working days stay as they are). */
export function bodyOf(v: SettingsValues, institution: Institution): UpdateInstitutionBody {
  const week = {} as Record<Day, { start: string; end: string } | null>;
  for (const d of DAYS) week[d] = v.week[d].on ? { start: v.week[d].start, end: v.week[d].end } : null;
  return {
    name: v.name.trim(),
    phone: v.phone.trim() === '' ? null : v.phone.trim(),
    calendar: {
      timeZone: v.timeZone,
      week,
      lunch: v.lunchOn ? { start: v.lunchStart, end: v.lunchEnd } : null,
      daysOff: [...v.daysOff].sort(),
      extraWorkingDays: institution.calendar.extraWorkingDays,
    },
  };
}

/** The same checks as the server's, before sending (field path → kind). */
export function checkValues(v: SettingsValues): Record<string, ErrorKind> {
  const errors: Record<string, ErrorKind> = {};
  if (v.name.trim() === '' || v.name.trim().length > 300) errors.name = 'name';
  if (v.phone.trim() !== '' && !/^\+?[0-9][0-9 ()-]{4,38}$/.test(v.phone.trim())) errors.phone = 'phone';
  if (!v.timeZone) errors.timeZone = 'timeZone';
  for (const d of DAYS) {
    const day = v.week[d];
    if (!day.on) continue;
    if (!HHMM.test(day.start)) errors[`week.${d}.start`] = 'time';
    if (!HHMM.test(day.end)) errors[`week.${d}.end`] = 'time';
    else if (HHMM.test(day.start) && day.end <= day.start) errors[`week.${d}.end`] = 'endBeforeStart';
  }
  if (DAYS.every((d) => !v.week[d].on)) errors['week.1.on'] = 'noWorkingDay';
  if (v.lunchOn) {
    if (!HHMM.test(v.lunchStart)) errors.lunchStart = 'time';
    if (!HHMM.test(v.lunchEnd)) errors.lunchEnd = 'time';
    else if (HHMM.test(v.lunchStart) && v.lunchEnd <= v.lunchStart) errors.lunchEnd = 'lunchEndBeforeStart';
  }
  return errors;
}

/**
 * The server's field paths (UpdateInstitutionBody) → the form's fields and the kind of
 * problem; a path the form has no field for is returned under '' (shown above the button).
 */
export function serverFieldErrors(details: unknown): Record<string, ErrorKind | 'other'> {
  const out: Record<string, ErrorKind | 'other'> = {};
  if (!details || typeof details !== 'object') return out;
  for (const path of Object.keys(details)) {
    const week = /^calendar\.week\.([1-7])\.(start|end)$/.exec(path);
    if (path === 'name') out.name = 'name';
    else if (path === 'phone') out.phone = 'phone';
    else if (path === 'calendar.timeZone') out.timeZone = 'timeZone';
    else if (week) out[`week.${week[1]}.${week[2]}`] = week[2] === 'end' ? 'endBeforeStart' : 'time';
    else if (/^calendar\.week(\.[1-7])?$/.test(path)) out['week.1.on'] = 'noWorkingDay';
    else if (path === 'calendar.lunch.start') out.lunchStart = 'time';
    else if (path === 'calendar.lunch.end' || path === 'calendar.lunch') out.lunchEnd = 'lunchEndBeforeStart';
    else if (path.startsWith('calendar.daysOff')) out.daysOff = 'daysOff';
    else out[''] = 'other';
  }
  return out;
}
