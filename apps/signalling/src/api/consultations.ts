// Consultations: booked, moved and cancelled under the timetable rules of @dp/scheduling,
// each change serialised per specialist (records.ts lockSpecialists), guarded by the row's
// `version` and made a step of the lifecycle by its one writer (consultations/lifecycle-writer.ts),
// then handed to the timetable so that its delayed jobs follow.
import { Consultation, contract } from '@dp/protocol';
import { cancel } from '@dp/scheduling';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { apiViolation, lifecycleStep, notFound, staleVersion, violationsError } from './errors.ts';
import { staffOfInstitution } from './records.ts';
import { defineRoute, routeTable, type RouteAccess } from './route.ts';
import {
  consultationHistory,
  consultationView,
  institutionOfConsultation,
  loadConsultationDetail,
  loadConsultationView,
  staffOfConsultation,
  takesPart,
  withParts,
  type Viewer,
} from '../consultations/consultation-records.ts';
import { bookSeries } from '../consultations/booking.ts';
import { applyEvent } from '../consultations/lifecycle-writer.ts';
import { moveConsultation } from '../consultations/move.ts';
import { timetableChanged } from '../consultations/timetable-check.ts';

const viewerOf = (access: RouteAccess): Viewer => access.caller?.user ?? null;
const loadView = (deps: ApiDeps, id: string, access: RouteAccess): Promise<Consultation> =>
  loadConsultationView(deps.prisma, id, viewerOf(access));

export const consultationRoutes = routeTable([
  defineRoute(contract['consultations.list'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ query, institution, deps, access }) => {
      if (query.specialistId)
        await staffOfInstitution(deps.prisma, institution.id, [{ id: query.specialistId, field: 'query.specialistId' }]);
      const rows = await deps.prisma.consultation.findMany({
        where: {
          institutionId: institution.id,
          start: { gte: new Date(query.from), lt: new Date(query.to) },
          ...(query.specialistId ? { specialists: { some: { specialistId: query.specialistId } } } : {}),
          // The `own` scope: only consultations the caller takes part in.
          ...(access.ownerId ? { AND: [takesPart(access.ownerId)] } : {}),
        },
        include: withParts,
        orderBy: [{ start: 'asc' }, { id: 'asc' }],
      });
      return { consultations: rows.map((r) => consultationView(r, viewerOf(access))) };
    },
  }),

  defineRoute(contract['consultations.create'], {
    institution: ({ params }) => params.institutionId,
    owners: ({ body }) => body.specialistIds,
    handler: async ({ body, institution, deps, actor, access }) => {
      const start = new Date(body.start);
      const specialists = await staffOfInstitution(
        deps.prisma,
        institution.id,
        body.specialistIds.map((id, i) => ({ id, field: `specialistIds.${i}` })),
        { activeOnly: true },
      );
      if (body.requestId) {
        const request = await deps.prisma.request.findFirst({
          where: { id: body.requestId, institutionId: institution.id },
          select: { id: true },
        });
        if (!request) throw notFound('request', { requestId: 'no such request in this institution' });
      }
      const [id] = await deps.prisma.$transaction((tx) =>
        bookSeries(tx, { institution, actor, now: deps.now() }, body, [start], specialists, false),
      );
      if (!id) throw new Error('booking returned no consultation');
      await timetableChanged(deps, id);
      deps.notifier?.bookingChanged('created', id);
      return loadView(deps, id, access);
    },
  }),

  defineRoute(contract['consultations.get'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    // The consultation's page: the view plus specialists' titles, pre-checks and joins.
    handler: async ({ params, deps, access }) => loadConsultationDetail(deps.prisma, params.consultationId, viewerOf(access)),
  }),

  defineRoute(contract['consultations.history'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, deps }) => consultationHistory(deps.prisma, params.consultationId),
  }),

  defineRoute(contract['consultations.reschedule'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, body, institution, deps, actor, access }) => {
      const id = params.consultationId;
      // The head's direct move (and a specialist's own): consultations/move.ts, shared with approved proposals.
      await moveConsultation(deps, institution, actor, id, {
        start: new Date(body.start),
        ...(body.durationMinutes !== undefined ? { durationMinutes: body.durationMinutes } : {}),
        version: body.version,
        reasonCategory: body.reasonCategory ?? null,
      });
      return loadView(deps, id, access);
    },
  }),

  defineRoute(contract['consultations.cancel'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, body, institution, deps, actor, access }) => {
      const id = params.consultationId;
      await deps.prisma.$transaction(async (tx) => {
        const current = await tx.consultation.findUniqueOrThrow({
          where: { id },
          select: { start: true, durationMinutes: true, state: true, version: true },
        });
        if (current.version !== body.version) throw staleVersion(current.version);
        const change = cancel({
          id,
          specialistId: '',
          start: current.start,
          durationMinutes: current.durationMinutes,
          state: current.state,
        });
        if (!change.ok) throw violationsError(change.violations.map((v) => apiViolation(v)));
        await lifecycleStep(
          applyEvent(tx, id, 'cancel', {
            actorId: actor.id,
            at: deps.now(),
            data: { cancelledReason: body.reason ?? null, changeReason: body.reasonCategory },
            expectVersion: body.version,
          }),
        );
        // The reason is free text and may name people: the event keeps the previous state only.
        await audit(tx, actor, {
          action: 'consultation.cancelled',
          targetType: 'consultation',
          targetId: id,
          institutionId: institution.id,
          details: { previousState: current.state, version: body.version + 1, reasonCategory: body.reasonCategory },
        });
      });
      await timetableChanged(deps, id);
      deps.notifier?.bookingChanged('cancelled', id);
      return loadView(deps, id, access);
    },
  }),
]);
