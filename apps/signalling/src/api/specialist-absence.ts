// «Специалист заболел»: the head hands every consultation of a specialist's day (not finished)
// to free colleagues of the same profession, or moves them to the same local times of another
// date. One transaction holds every specialist's lock: all of them change, or none (a preview
// runs the same steps and rolls them back, so that it says exactly what the change would do).
// After the commit: the timetable's jobs, the clients' e-mails («по болезни специалиста»; no
// address → a skipped row, so the day board lists the family to phone), the bell for the new
// specialists.
import type { Institution, TransactionClient } from '@dp/db';
import { contract, mayMove, type AbsenceItem, type ConsultationState, type SpecialistAbsenceBody } from '@dp/protocol';
import { dayClock } from '@dp/scheduling';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError } from './errors.ts';
import { lockSpecialists, staffOfInstitution } from './records.ts';
import { defineRoute, routeTable } from './route.ts';
import { workingCalendar } from './working-calendar.ts';
import { consultationView, withParts, type ConsultationRow, type Viewer } from '../consultations/consultation-records.ts';
import { moveWithin } from '../consultations/move.ts';
import { timetableChanged, timetableViolations } from '../consultations/timetable-check.ts';
import { addressNotice } from '../timetable/staff-notices.ts';

const MOVABLE: ConsultationState[] = (['planned', 'precheck', 'open', 'failed'] as const).filter((s) => mayMove(s));
/** Thrown to roll a preview (or a refused batch) back. */
class RollBack extends Error {}

interface Colleague {
  id: string;
  displayName: string;
}

/** The wall-clock minute of an instant in the zone (the same time on another date). */
function minuteOfDay(zone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    at,
  );
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return n('hour') * 60 + n('minute');
}

/** Hands one consultation from `ill` to `to`: its specialist row, the staff participant, the reason category, an audit row. */
async function reassign(tx: TransactionClient, institution: Institution, actor: Actor, c: ConsultationRow, illId: string, to: Colleague) {
  await tx.consultationSpecialist.delete({ where: { consultationId_specialistId: { consultationId: c.id, specialistId: illId } } });
  await tx.consultationSpecialist.create({ data: { consultationId: c.id, specialistId: to.id } });
  await tx.participant.updateMany({
    where: { consultationId: c.id, staffUserId: illId },
    data: { staffUserId: to.id, displayName: to.displayName },
  });
  await tx.consultation.update({ where: { id: c.id }, data: { changeReason: 'specialist_ill', version: { increment: 1 } } });
  await audit(tx, actor, {
    action: 'consultation.reassigned',
    targetType: 'consultation',
    targetId: c.id,
    institutionId: institution.id,
    details: { from: illId, to: to.id, reasonCategory: 'specialist_ill' },
  });
}

async function handOver(
  deps: ApiDeps,
  institution: Institution,
  actor: Actor,
  body: SpecialistAbsenceBody,
  viewer: Viewer,
): Promise<{ applied: boolean; items: AbsenceItem[] }> {
  const zone = institution.timeZone;
  const [ill] = await staffOfInstitution(deps.prisma, institution.id, [{ id: body.specialistId, field: 'specialistId' }]);
  const profile = await deps.prisma.specialistProfile.findUnique({ where: { userId: ill!.id }, select: { profession: true } });
  const day = dayClock(zone, body.date);
  const rows = await deps.prisma.consultation.findMany({
    where: {
      institutionId: institution.id,
      start: { gte: new Date(day.startMs), lt: new Date(day.endMs) },
      state: { in: MOVABLE },
      specialists: { some: { specialistId: ill!.id } },
    },
    include: withParts,
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
  });
  const colleagues: Colleague[] =
    body.mode === 'reassign' && profile
      ? await deps.prisma.staffUser.findMany({
          where: {
            institutionId: institution.id,
            role: 'specialist',
            active: true,
            id: { not: ill!.id },
            specialistProfile: { profession: profile.profession },
          },
          select: { id: true, displayName: true },
          orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
        })
      : [];
  const items: AbsenceItem[] = [];
  const apply = !body.preview;
  const notices: { to: string; consultationId: string }[] = [];
  try {
    await deps.prisma.$transaction(
      async (tx) => {
        await lockSpecialists(tx, [
          ill!.id,
          ...colleagues.map((c) => c.id),
          ...rows.flatMap((r) => r.specialists.map((s) => s.specialistId)),
        ]);
        for (const c of rows) {
          const item: AbsenceItem = {
            consultation: consultationView(c, viewer),
            newSpecialist: null,
            newStart: null,
            problem: null,
            violations: [],
          };
          items.push(item);
          const others = c.specialists.map((s) => s.specialistId).filter((id) => id !== ill!.id);
          if (body.mode === 'reassign') {
            for (const candidate of colleagues) {
              if (others.includes(candidate.id)) continue;
              const violations = await timetableViolations(
                tx,
                workingCalendar(institution, c.start),
                { specialistIds: [candidate.id], start: c.start, durationMinutes: c.durationMinutes },
                deps.now(),
              );
              // The consultation exists already: its pre-check may have begun, a colleague still takes it.
              if (violations.some((v) => v.code !== 'starts_too_soon')) continue;
              item.newSpecialist = candidate;
              // Taken now, so that the next consultation of the day sees this one in the colleague's day.
              await reassign(tx, institution, actor, c, ill!.id, candidate);
              notices.push({ to: candidate.id, consultationId: c.id });
              break;
            }
            if (!item.newSpecialist) item.problem = 'nobody_free';
          } else {
            const start = new Date(dayClock(zone, body.toDate!).at(minuteOfDay(zone, c.start)));
            item.newStart = start.toISOString();
            const specialistIds = c.specialists.map((s) => s.specialistId);
            const violations = await timetableViolations(
              tx,
              workingCalendar(institution, start),
              { existing: { id: c.id, state: c.state, start: c.start }, specialistIds, start, durationMinutes: c.durationMinutes },
              deps.now(),
            );
            if (violations.length > 0) {
              item.problem = 'time_not_free';
              item.violations = [...new Set(violations.map((v) => v.code))];
              continue;
            }
            await moveWithin(tx, deps, institution, actor, c.id, specialistIds, {
              start,
              reasonCategory: 'specialist_ill',
              auditDetails: { absentSpecialistId: ill!.id },
            });
          }
        }
        if (!apply || items.some((i) => i.problem !== null)) throw new RollBack();
      },
      { timeout: 30_000 },
    );
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
    if (apply) {
      // Per consultation (keyed by its id): why it cannot be handed over.
      const problems = Object.fromEntries(
        items
          .filter((i) => i.problem !== null)
          .map((i) => [
            i.consultation.id,
            i.problem === 'nobody_free'
              ? `nobody of the profession is free at ${i.consultation.start}`
              : `${i.newStart} breaks timetable rules: ${i.violations.join(', ')}`,
          ]),
      );
      throw new HttpError(409, 'conflict', 'not every consultation of the day can be handed over: nothing was changed', problems);
    }
    return { applied: false, items };
  }
  for (const n of notices) await addressNotice(deps.prisma, 'reassigned', [n.to], institution.id, n.consultationId);
  for (const c of rows) {
    await timetableChanged(deps, c.id);
    deps.notifier?.bookingChanged(body.mode === 'reassign' ? 'reassigned' : 'rescheduled', c.id);
  }
  return { applied: true, items };
}

export const specialistAbsenceRoutes = routeTable([
  defineRoute(contract['consultations.specialist_absence'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ body, institution, deps, actor, access }) => handOver(deps, institution, actor, body, access.caller?.user ?? null),
  }),
]);
