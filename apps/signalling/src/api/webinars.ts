// Webinars (тематический план-график): a series of the same consultation at several dates,
// booked all or nothing, and clients added to a planned webinar afterwards — each new
// participant is sent an invitation with a personal link (notify/), the others are not mailed again.
import { contract, MAX_CLIENTS, type ConsultationState } from '@dp/protocol';
import { audit } from './audit.ts';
import { fieldRuleViolation, HttpError, notFound } from './errors.ts';
import { staffOfInstitution } from './records.ts';
import { defineRoute, routeTable, type RouteAccess } from './route.ts';
import {
  consultationView,
  institutionOfConsultation,
  loadConsultationView,
  staffOfConsultation,
  withParts,
} from '../consultations/consultation-records.ts';
import { bookSeries, resolveClients } from '../consultations/booking.ts';
import { timetableChanged } from '../consultations/timetable-check.ts';

const viewerOf = (access: RouteAccess) => access.caller?.user ?? null;

/** Participants may be added until the consultation is over (or will not take place). */
const OPEN_STATES: readonly ConsultationState[] = ['planned', 'precheck', 'open', 'live'];

export const webinarRoutes = routeTable([
  defineRoute(contract['consultations.create_series'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ body }) => body.specialistIds,
    handler: async ({ body, institution, deps, actor, access }) => {
      const specialists = await staffOfInstitution(
        deps.prisma,
        institution.id,
        body.specialistIds.map((id, i) => ({ id, field: `specialistIds.${i}` })),
        { activeOnly: true },
      );
      if (body.requestId) {
        const request = await deps.prisma.request.findFirst({ where: { id: body.requestId, institutionId: institution.id } });
        if (!request) throw notFound('request', { requestId: 'no such request in this institution' });
      }
      const starts = body.starts.map((s) => new Date(s));
      const ids = await deps.prisma.$transaction(
        (tx) => bookSeries(tx, { institution, actor, now: deps.now() }, body, starts, specialists, true),
        { timeout: 60_000 },
      );
      for (const id of ids) {
        await timetableChanged(deps, id);
        deps.notifier?.bookingChanged('created', id);
      }
      const rows = await deps.prisma.consultation.findMany({
        where: { id: { in: ids } },
        include: withParts,
        orderBy: [{ start: 'asc' }, { id: 'asc' }],
      });
      return { consultations: rows.map((r) => consultationView(r, viewerOf(access))) };
    },
  }),

  defineRoute(contract['consultations.add_participants'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, body, institution, deps, actor, access }) => {
      const id = params.consultationId;
      const added = await deps.prisma.$transaction(
        async (tx) => {
          // One addition at a time per consultation, so that two cannot both pass the capacity check.
          await tx.$queryRaw`SELECT id FROM consultations WHERE id = ${id}::uuid FOR UPDATE`;
          const c = await tx.consultation.findUniqueOrThrow({
            where: { id },
            select: { kind: true, state: true, _count: { select: { participants: { where: { staffUserId: null } } } } },
          });
          if (!OPEN_STATES.includes(c.state)) {
            throw new HttpError(409, 'conflict', `the consultation is ${c.state}: nobody can be added now`, { state: c.state });
          }
          const clients = await resolveClients(tx, institution.id, body.clients, body.emailList ?? []);
          const cap = MAX_CLIENTS[c.kind];
          if (c._count.participants + clients.length > cap) {
            throw fieldRuleViolation({ clients: `at most ${cap} clients for a ${c.kind}; ${c._count.participants} already invited` });
          }
          const role = c.kind === 'webinar' ? 'attendee' : 'client';
          const rows = await tx.participant.createManyAndReturn({
            data: clients.map((p) => ({ consultationId: id, role, displayName: p.displayName, email: p.email })),
            select: { id: true },
          });
          await audit(tx, actor, {
            action: 'consultation.participants_added',
            targetType: 'consultation',
            targetId: id,
            institutionId: institution.id,
            details: { added: rows.length, clients: c._count.participants + rows.length },
          });
          return rows.map((r) => r.id);
        },
        { timeout: 60_000 },
      );
      const mail = deps.notifier;
      if (mail) mail.background('invitation', id, () => mail.sendInvitation(id, { only: added }));
      return { added, consultation: await loadConsultationView(deps.prisma, id, viewerOf(access)) };
    },
  }),
]);
