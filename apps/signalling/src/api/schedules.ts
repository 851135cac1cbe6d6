// The specialists' monthly schedules and the free slots they offer.
import { monthSchedule, type Prisma } from '@dp/db';
import {
  contract,
  type FieldErrors,
  type MonthSchedule,
  type ScheduleBlock as ScheduleBlockData,
  type ScheduleCorrection,
} from '@dp/protocol';
import { addDays, freeSlots, localDateOf, monthOf } from '@dp/scheduling';
import { audit } from './audit.ts';
import { badRequest, notFound } from './errors.ts';
import { bookingsOf, lockSpecialists, schedulesOf, staffOfInstitution } from './records.ts';
import { defineRoute, routeTable } from './route.ts';
import { workingCalendar } from './working-calendar.ts';

/** What a schedule answer needs besides the row: the blocks, the names, the corrections. */
export const SCHEDULE_INCLUDE = {
  blocks: true,
  approvedBy: { select: { displayName: true } },
  corrections: {
    orderBy: [{ proposedAt: 'desc' }, { id: 'desc' }],
    take: 21,
    include: { proposedBy: { select: { displayName: true } }, decidedBy: { select: { displayName: true } } },
  },
} satisfies Prisma.SpecialistMonthScheduleInclude;

type ScheduleWithAll = Prisma.SpecialistMonthScheduleGetPayload<{ include: typeof SCHEDULE_INCLUDE }>;
type CorrectionWithNames = ScheduleWithAll['corrections'][number];

/** A correction's stored blocks (written by this API only, from validated input). */
export function correctionBlocks(json: Prisma.JsonValue): ScheduleBlockData[] {
  return (Array.isArray(json) ? json : []).map((b) => {
    const o = b as { date: string; start: string; end: string };
    return { date: o.date, start: o.start, end: o.end };
  });
}

function correctionView(c: CorrectionWithNames): ScheduleCorrection {
  return {
    id: c.id,
    status: c.status,
    blocks: correctionBlocks(c.blocks),
    proposedById: c.proposedById,
    proposedByName: c.proposedBy.displayName,
    proposedAt: c.proposedAt.toISOString(),
    decidedById: c.decidedById,
    decidedByName: c.decidedBy?.displayName ?? null,
    decidedAt: c.decidedAt?.toISOString() ?? null,
  };
}

export function scheduleView(row: ScheduleWithAll): MonthSchedule {
  const pending = row.corrections.find((c) => c.status === 'pending');
  return {
    id: row.id,
    specialistId: row.specialistId,
    month: row.month,
    status: row.status,
    approvedById: row.approvedById,
    approvedByName: row.approvedBy?.displayName ?? null,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    blocks: monthSchedule(row).blocks,
    correction: pending ? correctionView(pending) : null,
    history: row.corrections
      .filter((c) => c.status !== 'pending')
      .slice(0, 20)
      .map(correctionView),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const scheduleKey = (specialistId: string, month: string) => ({ specialistId_month: { specialistId, month } });

/** 400 for blocks outside the month (the schema cannot know the month of the path). */
export function checkBlocksInMonth(blocks: readonly { date: string }[], month: string): void {
  const outside: FieldErrors = {};
  blocks.forEach((b, i) => {
    if (monthOf(b.date) !== month) outside[`blocks.${i}.date`] = `not a date of ${month}`;
  });
  if (Object.keys(outside).length > 0) throw badRequest(outside);
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
        where: scheduleKey(params.specialistId, params.month),
        include: SCHEDULE_INCLUDE,
      });
      if (!row) throw notFound('schedule');
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.put'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params }) => [params.specialistId],
    handler: async ({ params, body, institution, deps, actor, access }) => {
      checkBlocksInMonth(body.blocks, params.month);
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const proposer = access.caller!.user.id;
      const row = await deps.prisma.$transaction(async (tx) => {
        await lockSpecialists(tx, [params.specialistId]);
        const key = scheduleKey(params.specialistId, params.month);
        const existing = await tx.specialistMonthSchedule.findUnique({ where: key, select: { id: true, status: true } });
        if (existing?.status === 'approved') {
          // The approved blocks stay in force: the new ones wait for a head as the correction.
          const blocks = body.blocks.map((b) => ({ date: b.date, start: b.start, end: b.end }));
          const pending = await tx.scheduleCorrection.findFirst({
            where: { scheduleId: existing.id, status: 'pending' },
            select: { id: true },
          });
          const data = { blocks, proposedById: proposer, proposedAt: deps.now() };
          if (pending) await tx.scheduleCorrection.update({ where: { id: pending.id }, data });
          else await tx.scheduleCorrection.create({ data: { scheduleId: existing.id, ...data } });
          await audit(tx, actor, {
            action: 'schedule.correction_proposed',
            targetType: 'specialist_month_schedule',
            targetId: existing.id,
            institutionId: institution.id,
            details: { month: params.month, blocks: blocks.length },
          });
          return tx.specialistMonthSchedule.findUniqueOrThrow({ where: key, include: SCHEDULE_INCLUDE });
        }
        const schedule = await tx.specialistMonthSchedule.upsert({
          where: key,
          create: { specialistId: params.specialistId, month: params.month, status: 'draft' },
          update: { status: 'draft', approvedById: null, approvedAt: null },
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
        return tx.specialistMonthSchedule.findUniqueOrThrow({ where: key, include: SCHEDULE_INCLUDE });
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
          include: SCHEDULE_INCLUDE,
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
      const from = new Date(query.from);
      const to = new Date(query.to);
      const calendar = workingCalendar(institution, from, to);
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
            ...(query.form === 'phone' ? { precheck: false } : {}),
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
