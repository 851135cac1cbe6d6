// Institutions and their working calendar.
import { institutionCalendar, institutionCalendarColumns, type Institution as InstitutionRow } from '@dp/db';
import { contract, Institution, type InstitutionCalendar, type InstitutionCalendarYear } from '@dp/protocol';
import { calendarProblems, productionCalendar, type InstitutionCalendar as RulesCalendar } from '@dp/scheduling';
import { audit } from './audit.ts';
import { HttpError, apiViolation, fieldRuleViolation, notFound } from './errors.ts';
import { visibleInstitutions } from '../auth/access.ts';
import { defineRoute, routeTable } from './route.ts';

export function institutionView(row: InstitutionRow): Institution {
  const calendar = institutionCalendar(row);
  return {
    id: row.id,
    departmentId: row.departmentId,
    name: row.name,
    resourceCentre: row.resourceCentre,
    phone: row.phone,
    calendar: {
      timeZone: calendar.timeZone,
      week: {
        '1': calendar.week[1],
        '2': calendar.week[2],
        '3': calendar.week[3],
        '4': calendar.week[4],
        '5': calendar.week[5],
        '6': calendar.week[6],
        '7': calendar.week[7],
      },
      lunch: calendar.lunch,
      daysOff: calendar.daysOff,
      extraWorkingDays: calendar.extraWorkingDays ?? [],
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** One year of the calendar in force: the national production calendar beside the institution's own days. */
export function calendarYearView(row: InstitutionRow, year: number): InstitutionCalendarYear {
  const national = productionCalendar(year);
  const own = institutionCalendar(row);
  const ofYear = (dates: readonly string[]) => dates.filter((d) => d.startsWith(`${year}-`)).sort();
  return {
    year,
    shipped: national.known,
    decree: national.decree,
    confirmed: row.calendarConfirmedYears.includes(year),
    holidays: national.holidays,
    nationalDaysOff: national.daysOff,
    workedWeekendDays: national.workedWeekendDays,
    shortDays: national.shortDays,
    ownDaysOff: ofYear(own.daysOff),
    ownExtraWorkingDays: ofYear(own.extraWorkingDays ?? []),
  };
}

/** The wire calendar as the rules see it (week keys '1'…'7' are the same property names as 1…7). */
export function rulesCalendar(c: InstitutionCalendar): RulesCalendar {
  return {
    timeZone: c.timeZone,
    week: { 1: c.week['1'], 2: c.week['2'], 3: c.week['3'], 4: c.week['4'], 5: c.week['5'], 6: c.week['6'], 7: c.week['7'] },
    lunch: c.lunch,
    daysOff: c.daysOff,
    extraWorkingDays: c.extraWorkingDays,
  };
}

/** The rules' own check, after zod: the last word on whether the calendar can be used (422 with calendar_invalid). */
function checkCalendar(calendar: RulesCalendar): void {
  const problems = calendarProblems(calendar);
  if (problems.length > 0) {
    throw new HttpError(422, 'rule_violation', 'the calendar cannot be used', { violations: problems.map((p) => apiViolation(p)) });
  }
}

export const institutionRoutes = routeTable([
  defineRoute(contract['institutions.list'], {
    handler: async ({ deps, access }) => {
      const rows = await deps.prisma.institution.findMany({ where: visibleInstitutions(access.caller!.user), orderBy: { name: 'asc' } });
      return { institutions: rows.map(institutionView) };
    },
  }),

  defineRoute(contract['institutions.create'], {
    handler: async ({ body, deps, actor, access }) => {
      const departmentId = access.caller!.user.departmentId;
      if (body.departmentId !== undefined && body.departmentId !== departmentId) {
        throw notFound('department', { departmentId: 'no such department' });
      }
      const calendar = rulesCalendar(body.calendar);
      checkCalendar(calendar);
      const row = await deps.prisma.$transaction(async (tx) => {
        const created = await tx.institution.create({
          data: {
            departmentId,
            name: body.name,
            resourceCentre: body.resourceCentre,
            phone: body.phone ?? null,
            ...institutionCalendarColumns(calendar),
          },
        });
        await audit(tx, actor, {
          action: 'institution.created',
          targetType: 'institution',
          targetId: created.id,
          institutionId: created.id,
        });
        return created;
      });
      return institutionView(row);
    },
  }),

  defineRoute(contract['institutions.get'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ institution }) => institutionView(institution),
  }),

  defineRoute(contract['institutions.calendar'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ query, institution }) => calendarYearView(institution, query.year),
  }),

  defineRoute(contract['institutions.confirm_calendar_year'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, institution, deps, actor }) => {
      const year = params.year;
      if (productionCalendar(year).known) {
        throw fieldRuleViolation({ 'params.year': 'this year’s production calendar is shipped: there is nothing to confirm' });
      }
      if (institution.calendarConfirmedYears.includes(year)) return calendarYearView(institution, year);
      const row = await deps.prisma.$transaction(async (tx) => {
        const updated = await tx.institution.update({
          where: { id: institution.id },
          data: { calendarConfirmedYears: { push: year } },
        });
        await audit(tx, actor, {
          action: 'institution.calendar_confirmed',
          targetType: 'institution',
          targetId: institution.id,
          institutionId: institution.id,
          details: { year },
        });
        return updated;
      });
      return calendarYearView(row, year);
    },
  }),

  defineRoute(contract['institutions.update'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ body, institution, deps, actor }) => {
      const current = institutionView(institution).calendar;
      const merged = rulesCalendar({ ...current, ...body.calendar });
      if (body.calendar) checkCalendar(merged);
      const row = await deps.prisma.$transaction(async (tx) => {
        const updated = await tx.institution.update({
          where: { id: institution.id },
          data: {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.resourceCentre !== undefined ? { resourceCentre: body.resourceCentre } : {}),
            ...(body.phone !== undefined ? { phone: body.phone } : {}),
            ...(body.calendar ? institutionCalendarColumns(merged) : {}),
          },
        });
        await audit(tx, actor, {
          action: 'institution.updated',
          targetType: 'institution',
          targetId: institution.id,
          institutionId: institution.id,
          details: {
            fields: [...Object.keys(body).filter((k) => k !== 'calendar'), ...Object.keys(body.calendar ?? {}).map((k) => `calendar.${k}`)],
          },
        });
        return updated;
      });
      return institutionView(row);
    },
  }),
]);
