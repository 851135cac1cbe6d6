// Consultations: booked, moved and cancelled under the timetable rules of @dp/scheduling,
// each change serialised per specialist (records.ts lockSpecialists), guarded by the row's
// `version` and made a step of the lifecycle by its one writer (consultations/lifecycle-writer.ts),
// then handed to the timetable so that its delayed jobs follow.
import { institutionCalendar } from '@dp/db';
import { clientRoleIn, Consultation, contract, staffRoleIn } from '@dp/protocol';
import { cancel } from '@dp/scheduling';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { apiViolation, lifecycleStep, notFound, staleVersion, violationsError } from './errors.ts';
import { lockSpecialists, staffOfInstitution } from './records.ts';
import { defineRoute, routeTable, type RouteAccess } from './route.ts';
import {
  consultationHistory,
  consultationView,
  institutionOfConsultation,
  loadConsultationView,
  staffOfConsultation,
  takesPart,
  withParts,
  type Viewer,
} from '../consultations/consultation-records.ts';
import { applyEvent, bookConsultation } from '../consultations/lifecycle-writer.ts';
import { timetableChanged, timetableViolations } from '../consultations/timetable-check.ts';

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
      const calendar = institutionCalendar(institution);
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
      const id = await deps.prisma.$transaction(async (tx) => {
        await lockSpecialists(tx, body.specialistIds);
        const violations = await timetableViolations(
          tx,
          calendar,
          { specialistIds: body.specialistIds, start, durationMinutes: body.durationMinutes },
          deps.now(),
        );
        if (violations.length > 0) throw violationsError(violations);
        const createdId = await bookConsultation(
          tx,
          {
            institutionId: institution.id,
            kind: body.kind,
            direction: body.direction,
            mode: body.mode,
            start,
            durationMinutes: body.durationMinutes,
            topic: body.topic ?? null,
            note: body.note ?? null,
            requestId: body.requestId ?? null,
            // Who booked: one of those who may hand the client's link over (links.ts).
            createdById: actor.id,
            specialists: { create: body.specialistIds.map((specialistId) => ({ specialistId })) },
            participants: {
              create: [
                ...specialists.map((s, i) => ({ role: staffRoleIn(body.kind, i), staffUserId: s.id, displayName: s.displayName })),
                ...body.clients.map((c) => ({ role: clientRoleIn(body.kind), displayName: c.displayName ?? null, email: c.email ?? null })),
              ],
            },
          },
          { actorId: actor.id, at: deps.now() },
        );
        if (body.requestId) {
          await tx.request.updateMany({
            where: { id: body.requestId, status: { in: ['new', 'assigned'] } },
            data: { status: 'scheduled' },
          });
        }
        await audit(tx, actor, {
          action: 'consultation.created',
          targetType: 'consultation',
          targetId: createdId,
          institutionId: institution.id,
          details: {
            kind: body.kind,
            start: start.toISOString(),
            durationMinutes: body.durationMinutes,
            specialists: body.specialistIds.length,
            clients: body.clients.length,
          },
        });
        return createdId;
      });
      await timetableChanged(deps, id);
      deps.notifier?.bookingChanged('created', id);
      return loadView(deps, id, access);
    },
  }),

  defineRoute(contract['consultations.get'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, deps, access }) => loadView(deps, params.consultationId, access),
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
      const calendar = institutionCalendar(institution);
      const start = new Date(body.start);
      const specialistIds = (
        await deps.prisma.consultationSpecialist.findMany({ where: { consultationId: id }, select: { specialistId: true } })
      ).map((s) => s.specialistId);
      await deps.prisma.$transaction(async (tx) => {
        await lockSpecialists(tx, specialistIds);
        const current = await tx.consultation.findUniqueOrThrow({
          where: { id },
          select: { start: true, durationMinutes: true, state: true, version: true },
        });
        if (current.version !== body.version) throw staleVersion(current.version);
        const durationMinutes = body.durationMinutes ?? current.durationMinutes;
        // A failed consultation (technical failure) moves too, even once T has passed: the
        // lifecycle's `reschedule` (mayMove) says which states move.
        const violations = await timetableViolations(
          tx,
          calendar,
          { existing: { id, state: current.state, start: current.start }, specialistIds, start, durationMinutes },
          deps.now(),
        );
        if (violations.length > 0) throw violationsError(violations);
        // Back to `planned` (a new pre-check is due), the failure's time cleared; the history keeps the previous start.
        await lifecycleStep(
          applyEvent(tx, id, 'reschedule', {
            actorId: actor.id,
            at: deps.now(),
            data: { start, durationMinutes },
            expectVersion: body.version,
          }),
        );
        await audit(tx, actor, {
          action: 'consultation.rescheduled',
          targetType: 'consultation',
          targetId: id,
          institutionId: institution.id,
          details: { from: current.start.toISOString(), to: start.toISOString(), durationMinutes, version: body.version + 1 },
        });
      });
      await timetableChanged(deps, id);
      deps.notifier?.bookingChanged('rescheduled', id);
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
            data: { cancelledReason: body.reason },
            expectVersion: body.version,
          }),
        );
        // The reason is free text and may name people: the event keeps the previous state only.
        await audit(tx, actor, {
          action: 'consultation.cancelled',
          targetType: 'consultation',
          targetId: id,
          institutionId: institution.id,
          details: { previousState: current.state, version: body.version + 1 },
        });
      });
      await timetableChanged(deps, id);
      deps.notifier?.bookingChanged('cancelled', id);
      return loadView(deps, id, access);
    },
  }),
]);
