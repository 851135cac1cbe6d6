// GET /api/institutions/:id/day: the head's day board and the specialist's own day. The
// consultations of one local day with their latest pre-check and — from the live health
// monitor — the room's phase and alerts, plus the families to phone: clients whom an e-mail
// about a consultation of that day (or one sent that day) did not reach.
import { contract, type DayAnswer, type DayBoardRow, type FamilyToCall } from '@dp/protocol';
import { dayClock, localDateOf } from '@dp/scheduling';
import { takesPart } from '../consultations/consultation-records.ts';
import { defineRoute, routeTable } from './route.ts';

const MINUTE = 60_000;
const CLIENT_ROLES = ['client', 'attendee'] as const;

export const dayBoardRoutes = routeTable([
  defineRoute(contract['day.board'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ query, institution, deps, access }) => {
      const zone = institution.timeZone;
      const date = query.date ?? localDateOf(zone, deps.now().getTime());
      const day = dayClock(zone, date);
      const from = new Date(day.startMs);
      const to = new Date(day.endMs);
      const own = access.ownerId ? [takesPart(access.ownerId)] : [];

      const rows = await deps.prisma.consultation.findMany({
        where: { institutionId: institution.id, start: { gte: from, lt: to }, AND: own },
        orderBy: [{ start: 'asc' }, { id: 'asc' }],
        select: {
          id: true,
          start: true,
          durationMinutes: true,
          kind: true,
          form: true,
          state: true,
          request: { select: { contact: true, client: { select: { phone: true } } } },
          specialists: { select: { specialist: { select: { id: true, displayName: true } } } },
          participants: { where: { role: { in: [...CLIENT_ROLES] } }, select: { displayName: true } },
          prechecks: { orderBy: { at: 'desc' }, take: 1, select: { passed: true } },
        },
      });
      const snapshot = deps.health?.latest ?? null;
      const viewer = access.caller?.user ?? null;
      const consultations: DayBoardRow[] = rows.map((r) => {
        const room = snapshot?.rooms.find((x) => x.roomId === r.id);
        // The number to call: for a consultation by telephone, to its specialists and the head.
        const calls = viewer !== null && (viewer.role === 'head' || r.specialists.some((s) => s.specialist.id === viewer.id));
        return {
          id: r.id,
          start: r.start.toISOString(),
          end: new Date(r.start.getTime() + r.durationMinutes * MINUTE).toISOString(),
          kind: r.kind,
          form: r.form,
          state: r.state,
          clientPhone: r.form === 'phone' && calls ? (r.request?.client?.phone ?? r.request?.contact ?? null) : null,
          specialists: r.specialists.map((s) => s.specialist),
          clients: r.kind === 'webinar' ? [] : r.participants.map((p) => p.displayName),
          precheck: r.prechecks[0] ? (r.prechecks[0].passed ? 'passed' : 'failed') : null,
          room: room
            ? {
                phase: room.phase,
                clientsIn: room.participants.filter((p) => p.role === 'client' || p.role === 'attendee').length,
                alerts: [...new Set(snapshot!.alerts.filter((a) => a.roomId === r.id).map((a) => a.kind))],
              }
            : null,
        };
      });

      // The notices that did not go out: about this day's consultations, or sent today.
      const missed = await deps.prisma.notification.findMany({
        where: {
          status: { in: ['skipped', 'failed'] },
          participantId: { not: null },
          consultation: { institutionId: institution.id, AND: own },
          OR: [{ createdAt: { gte: from, lt: to } }, { consultation: { start: { gte: from, lt: to } } }],
        },
        orderBy: { createdAt: 'asc' },
        select: {
          kind: true,
          status: true,
          createdAt: true,
          participantId: true,
          consultation: { select: { id: true, start: true, state: true, request: { select: { contact: true } } } },
        },
      });
      const names = new Map(
        (
          await deps.prisma.participant.findMany({
            where: { id: { in: missed.map((m) => m.participantId!) } },
            select: { id: true, displayName: true },
          })
        ).map((p) => [p.id, p.displayName]),
      );
      // One line per client and consultation: the latest notice that did not reach them.
      const latest = new Map<string, FamilyToCall>();
      for (const m of missed) {
        const c = m.consultation!;
        latest.set(`${c.id} ${m.participantId}`, {
          consultationId: c.id,
          start: c.start.toISOString(),
          state: c.state,
          clientName: names.get(m.participantId!) ?? null,
          // A client's contact goes to those who phone the families (not a specialist's own day).
          contact: access.ownerId ? null : (c.request?.contact ?? null),
          about: m.kind,
          status: m.status === 'failed' ? 'failed' : 'skipped',
          at: m.createdAt.toISOString(),
        });
      }
      const answerRows = await deps.prisma.clientAnswer.findMany({
        where: {
          consultation: { institutionId: institution.id, AND: own },
          OR: [{ createdAt: { gte: from, lt: to } }, { consultation: { start: { gte: from, lt: to } } }],
        },
        orderBy: { createdAt: 'asc' },
        select: {
          kind: true,
          note: true,
          createdAt: true,
          participant: { select: { displayName: true } },
          consultation: { select: { id: true, start: true, state: true, request: { select: { contact: true } } } },
        },
      });
      const answers: DayAnswer[] = answerRows.map((a) => ({
        consultationId: a.consultation.id,
        start: a.consultation.start.toISOString(),
        state: a.consultation.state,
        clientName: a.participant.displayName,
        contact: access.ownerId ? null : (a.consultation.request?.contact ?? null),
        kind: a.kind,
        note: a.note,
        at: a.createdAt.toISOString(),
      }));
      return { date, timeZone: zone, consultations, toCall: [...latest.values()], answers };
    },
  }),
]);
