// The specialists' monthly schedules and the free slots they offer.
import { institutionCalendar, monthSchedule, type ScheduleBlock, type SpecialistMonthSchedule as ScheduleRow } from '@dp/db';
import { contract, FieldErrors, MonthSchedule } from '@dp/protocol';
import { addDays, freeSlots, localDateOf, monthOf } from '@dp/scheduling';
import { audit } from './audit.ts';
import { badRequest, notFound } from './errors.ts';
import { bookingsOf, schedulesOf, staffOfInstitution } from './records.ts';
import { defineRoute, routeTable } from './route.ts';

function scheduleView(row: ScheduleRow & { blocks: ScheduleBlock[] }): MonthSchedule {
  return {
    id: row.id,
    specialistId: row.specialistId,
    month: row.month,
    status: row.status,
    approvedById: row.approvedById,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    blocks: monthSchedule(row).blocks,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The local months that [from, to) touches in `zone`. */
function monthsBetween(zone: string, from: Date, to: Date): string[] {
  const months = new Set<string>();
  const last = localDateOf(zone, to.getTime() - 1);
  for (let d = localDateOf(zone, from.getTime()); d <= last; d = addDays(d, 1)) months.add(monthOf(d));
  return [...months];
}

export const scheduleRoutes = routeTable([
  defineRoute(contract['schedules.get'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params }) => [params.specialistId],
    handler: async ({ params, institution, deps }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const row = await deps.prisma.specialistMonthSchedule.findUnique({
        where: { specialistId_month: { specialistId: params.specialistId, month: params.month } },
        include: { blocks: true },
      });
      if (!row) throw notFound('schedule');
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.put'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params }) => [params.specialistId],
    handler: async ({ params, body, institution, deps, actor }) => {
      const outside: FieldErrors = {};
      body.blocks.forEach((b, i) => {
        if (monthOf(b.date) !== params.month) outside[`blocks.${i}.date`] = `not a date of ${params.month}`;
      });
      if (Object.keys(outside).length > 0) throw badRequest(outside);
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const row = await deps.prisma.$transaction(async (tx) => {
        const key = { specialistId_month: { specialistId: params.specialistId, month: params.month } };
        const reset = { status: 'draft' as const, approvedById: null, approvedAt: null };
        const schedule = await tx.specialistMonthSchedule.upsert({
          where: key,
          create: { specialistId: params.specialistId, month: params.month, ...reset },
          update: reset,
        });
        await tx.scheduleBlock.deleteMany({ where: { scheduleId: schedule.id } });
        await tx.scheduleBlock.createMany({ data: body.blocks.map((b) => ({ scheduleId: schedule.id, ...b })) });
        await audit(tx, actor, {
          action: 'schedule.updated',
          targetType: 'specialist_month_schedule',
          targetId: schedule.id,
          institutionId: institution.id,
          details: { month: params.month, blocks: body.blocks.length },
        });
        return tx.specialistMonthSchedule.findUniqueOrThrow({ where: key, include: { blocks: true } });
      });
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.approve'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, institution, deps, actor, access }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      // Whoever the matrix let through (a head of this institution, an admin of its department).
      const approver = { id: access.caller!.user.id };
      const row = await deps.prisma.$transaction(async (tx) => {
        const key = { specialistId_month: { specialistId: params.specialistId, month: params.month } };
        const existing = await tx.specialistMonthSchedule.findUnique({ where: key, select: { id: true } });
        if (!existing) throw notFound('schedule');
        const approved = await tx.specialistMonthSchedule.update({
          where: key,
          data: { status: 'approved', approvedById: approver.id, approvedAt: deps.now() },
          include: { blocks: true },
        });
        await audit(tx, actor, {
          action: 'schedule.approved',
          targetType: 'specialist_month_schedule',
          targetId: approved.id,
          institutionId: institution.id,
          details: { month: params.month, approvedById: approver.id },
        });
        return approved;
      });
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.free_slots'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params }) => [params.specialistId],
    handler: async ({ params, query, institution, deps }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const calendar = institutionCalendar(institution);
      const from = new Date(query.from);
      const to = new Date(query.to);
      const [schedules, bookings] = await Promise.all([
        schedulesOf(deps.prisma, [params.specialistId], monthsBetween(calendar.timeZone, from, to)),
        bookingsOf(deps.prisma, [params.specialistId], from, to),
      ]);
      const now = deps.now();
      // freeSlots searches one month's schedule; a range across months asks each.
      const slots = schedules
        .flatMap((schedule) =>
          freeSlots({
            calendar,
            schedule,
            bookings,
            from,
            to,
            durationMinutes: query.durationMinutes,
            now,
            ...(query.stepMinutes ? { stepMinutes: query.stepMinutes } : {}),
          }),
        )
        .sort((a, b) => a.getTime() - b.getTime());
      return {
        specialistId: params.specialistId,
        durationMinutes: query.durationMinutes,
        timeZone: calendar.timeZone,
        slots: slots.map((s) => s.toISOString()),
      };
    },
  }),
]);
