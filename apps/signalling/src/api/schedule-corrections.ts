// Changes to an approved month: a pending correction approved or rejected by a head, an
// urgent change made at once, and the blocks a new month can start from. A change that would
// leave a booked consultation outside the schedule is refused with the consultations named.
import { institutionCalendar, type TransactionClient } from '@dp/db';
import { contract } from '@dp/protocol';
import type { ScheduleBlock } from '@dp/scheduling';
import { audit } from './audit.ts';
import { HttpError, notFound } from './errors.ts';
import { bookingsOf, lockSpecialists, schedulesOf, staffOfInstitution } from './records.ts';
import { defineRoute, routeTable } from './route.ts';
import { copiedBlocks, monthSpan, previousMonth, uncoveredBookings, workingHoursBlocks } from './schedule-drafts.ts';
import { workingCalendar } from './working-calendar.ts';
import { checkBlocksInMonth, correctionBlocks, SCHEDULE_INCLUDE, scheduleKey, scheduleView } from './schedules.ts';

interface Place {
  specialistId: string;
  month: string;
  zone: string;
}

/** 409 when `blocks` would take booked time away (the caller holds the specialist's lock). */
async function refuseUncovered(tx: TransactionClient, place: Place, blocks: readonly ScheduleBlock[], now: Date): Promise<void> {
  const span = monthSpan(place.zone, place.month);
  const bookings = await bookingsOf(tx, [place.specialistId], span.from, span.to);
  const lost = uncoveredBookings(place.zone, place.month, blocks, bookings, now).sort((a, b) => a.start.getTime() - b.start.getTime());
  if (lost.length === 0) return;
  throw new HttpError(409, 'conflict', `${lost.length} booked consultation(s) would fall outside the schedule: move or cancel them first`, {
    consultations: lost.map((b) => ({ id: b.id, start: b.start.toISOString(), durationMinutes: b.durationMinutes })),
  });
}

async function replaceBlocks(tx: TransactionClient, scheduleId: string, blocks: readonly ScheduleBlock[]): Promise<void> {
  await tx.scheduleBlock.deleteMany({ where: { scheduleId } });
  await tx.scheduleBlock.createMany({ data: blocks.map((b) => ({ scheduleId, date: b.date, start: b.start, end: b.end })) });
}

const notApproved = () => new HttpError(409, 'conflict', 'the month is not approved: save and approve it instead');

export const scheduleCorrectionRoutes = routeTable([
  defineRoute(contract['schedules.change_urgently'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, body, institution, deps, actor, access }) => {
      checkBlocksInMonth(body.blocks, params.month);
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const zone = institutionCalendar(institution).timeZone;
      const row = await deps.prisma.$transaction(async (tx) => {
        await lockSpecialists(tx, [params.specialistId]);
        const key = scheduleKey(params.specialistId, params.month);
        const existing = await tx.specialistMonthSchedule.findUnique({ where: key, select: { id: true, status: true } });
        if (!existing) throw notFound('schedule');
        if (existing.status !== 'approved') throw notApproved();
        await refuseUncovered(tx, { specialistId: params.specialistId, month: params.month, zone }, body.blocks, deps.now());
        await replaceBlocks(tx, existing.id, body.blocks);
        await tx.specialistMonthSchedule.update({
          where: key,
          data: { approvedById: access.caller!.user.id, approvedAt: deps.now() },
        });
        await audit(tx, actor, {
          action: 'schedule.changed_urgently',
          targetType: 'specialist_month_schedule',
          targetId: existing.id,
          institutionId: institution.id,
          details: { month: params.month, blocks: body.blocks.length },
        });
        return tx.specialistMonthSchedule.findUniqueOrThrow({ where: key, include: SCHEDULE_INCLUDE });
      });
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.approve_correction'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, institution, deps, actor, access }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const zone = institutionCalendar(institution).timeZone;
      const approver = access.caller!.user.id;
      const row = await deps.prisma.$transaction(async (tx) => {
        await lockSpecialists(tx, [params.specialistId]);
        const key = scheduleKey(params.specialistId, params.month);
        const existing = await tx.specialistMonthSchedule.findUnique({ where: key, select: { id: true } });
        if (!existing) throw notFound('schedule');
        const pending = await tx.scheduleCorrection.findFirst({ where: { scheduleId: existing.id, status: 'pending' } });
        if (!pending) throw notFound('correction');
        const blocks = correctionBlocks(pending.blocks);
        await refuseUncovered(tx, { specialistId: params.specialistId, month: params.month, zone }, blocks, deps.now());
        await replaceBlocks(tx, existing.id, blocks);
        const now = deps.now();
        await tx.specialistMonthSchedule.update({ where: key, data: { status: 'approved', approvedById: approver, approvedAt: now } });
        await tx.scheduleCorrection.update({
          where: { id: pending.id },
          data: { status: 'approved', decidedById: approver, decidedAt: now },
        });
        await audit(tx, actor, {
          action: 'schedule.correction_approved',
          targetType: 'specialist_month_schedule',
          targetId: existing.id,
          institutionId: institution.id,
          details: { month: params.month, blocks: blocks.length },
        });
        return tx.specialistMonthSchedule.findUniqueOrThrow({ where: key, include: SCHEDULE_INCLUDE });
      });
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.reject_correction'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, institution, deps, actor, access }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      const row = await deps.prisma.$transaction(async (tx) => {
        const key = scheduleKey(params.specialistId, params.month);
        const existing = await tx.specialistMonthSchedule.findUnique({ where: key, select: { id: true } });
        if (!existing) throw notFound('schedule');
        const decided = await tx.scheduleCorrection.updateMany({
          where: { scheduleId: existing.id, status: 'pending' },
          data: { status: 'rejected', decidedById: access.caller!.user.id, decidedAt: deps.now() },
        });
        if (decided.count === 0) throw notFound('correction');
        await audit(tx, actor, {
          action: 'schedule.correction_rejected',
          targetType: 'specialist_month_schedule',
          targetId: existing.id,
          institutionId: institution.id,
          details: { month: params.month },
        });
        return tx.specialistMonthSchedule.findUniqueOrThrow({ where: key, include: SCHEDULE_INCLUDE });
      });
      return scheduleView(row);
    },
  }),

  defineRoute(contract['schedules.suggest'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ params }) => [params.specialistId],
    handler: async ({ params, query, institution, deps }) => {
      await staffOfInstitution(deps.prisma, institution.id, [{ id: params.specialistId, field: 'params.specialistId' }]);
      // The working calendar (holidays, transferred and shortened days) over this month and the last.
      const zone = institutionCalendar(institution).timeZone;
      const span = monthSpan(zone, params.month);
      const calendar = workingCalendar(institution, monthSpan(zone, previousMonth(params.month)).from, span.to);
      if (query.source === 'working_hours') {
        return { month: params.month, source: query.source, blocks: workingHoursBlocks(calendar, params.month) };
      }
      const [previous] = await schedulesOf(deps.prisma, [params.specialistId], [previousMonth(params.month)]);
      return { month: params.month, source: query.source, blocks: copiedBlocks(calendar, previous?.blocks ?? [], params.month) };
    },
  }),
]);
