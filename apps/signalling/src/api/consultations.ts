// Consultations: booked, moved and cancelled under the timetable rules of @dp/scheduling,
// each change serialised per specialist (records.ts lockSpecialists) and guarded by the
// row's `version`, then handed to the timetable so that its delayed jobs follow.
import { institutionCalendar, type Prisma, type TransactionClient } from '@dp/db';
import {
  CancelConsultationBody,
  Consultation,
  ConsultationList,
  ConsultationParams,
  CreateConsultationBody,
  InstitutionParams,
  ListConsultationsQuery,
  RescheduleConsultationBody,
  clientRoleIn,
  staffRoleIn,
  type StaffRoleName,
  type ApiViolation,
} from '@dp/protocol';
import {
  cancel,
  localDateOf,
  monthOf,
  validateBooking,
  validateReschedule,
  type Booking,
  type BookingState,
  type InstitutionCalendar,
} from '@dp/scheduling';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { apiViolation, notFound, staleVersion, violationsError } from './errors.ts';
import { bookingsOf, lockSpecialists, schedulesOf, staffOfInstitution } from './records.ts';
import { handsOverLinks } from './link-keepers.ts';
import { defineRoute, type RouteAccess } from './route.ts';

const tag = 'consultations';
const MINUTE = 60_000;

const withParts = {
  specialists: { select: { specialistId: true } },
  participants: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  request: { select: { responsibleSpecialistId: true } },
} as const satisfies Prisma.ConsultationInclude;
type ConsultationRow = Prisma.ConsultationGetPayload<{ include: typeof withParts }>;

const ROLE_ORDER: Record<string, number> = { specialist: 0, curator: 1, host: 2, cohost: 3, client: 4, attendee: 5 };

/**
 * A consultation as staff read it. No join link: reading a consultation is granted far more
 * widely than handing its links over, so a client's link has routes of its own (links.ts).
 */
export function consultationView(row: ConsultationRow, viewer: Viewer): Consultation {
  const participants = [...row.participants].sort((a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9));
  return {
    id: row.id,
    institutionId: row.institutionId,
    kind: row.kind,
    direction: row.direction,
    mode: row.mode,
    state: row.state,
    start: row.start.toISOString(),
    durationMinutes: row.durationMinutes,
    end: new Date(row.start.getTime() + row.durationMinutes * MINUTE).toISOString(),
    topic: row.topic,
    note: row.note,
    requestId: row.requestId,
    cancelledReason: row.cancelledReason,
    rescheduledFromId: row.rescheduledFromId,
    technicalFailureAt: row.technicalFailureAt?.toISOString() ?? null,
    version: row.version,
    specialistIds: row.specialists.map((s) => s.specialistId).sort(),
    participants: participants.map((p) => ({
      id: p.id,
      role: p.role,
      staffUserId: p.staffUserId,
      displayName: p.displayName,
      email: p.email,
    })),
    handsOverLinks: handsOverLinks(viewer, row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Who reads the view: it says whether they may hand the clients' links over. */
type Viewer = { id: string; role: StaffRoleName } | null;
const viewerOf = (access: RouteAccess): Viewer => access.caller?.user ?? null;

async function loadView(deps: ApiDeps, id: string, access: RouteAccess): Promise<Consultation> {
  return consultationView(await deps.prisma.consultation.findUniqueOrThrow({ where: { id }, include: withParts }), viewerOf(access));
}

/** The institution of a consultation, for routes addressed by the consultation's id alone. */
/** A consultation's staff: its specialists and the staff among its participants (a curator, a social worker). */
export function takesPart(staffId: string) {
  return {
    OR: [{ specialists: { some: { specialistId: staffId } } }, { participants: { some: { staffUserId: staffId } } }],
  };
}

export async function staffOfConsultation(deps: Pick<ApiDeps, 'prisma'>, consultationId: string): Promise<string[]> {
  const row = await deps.prisma.consultation.findUnique({
    where: { id: consultationId },
    select: { specialists: { select: { specialistId: true } }, participants: { select: { staffUserId: true } } },
  });
  if (!row) return [];
  const ids = [...row.specialists.map((s) => s.specialistId), ...row.participants.map((p) => p.staffUserId)];
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

export async function institutionOfConsultation(deps: Pick<ApiDeps, 'prisma'>, consultationId: string): Promise<string> {
  const row = await deps.prisma.consultation.findUnique({ where: { id: consultationId }, select: { institutionId: true } });
  if (!row) throw notFound('consultation');
  return row.institutionId;
}

/**
 * The committed change is the truth: if replacing the jobs fails (Redis away), the
 * consultation stays saved and the timetable's reconcile at start re-plans it. Failing the
 * request instead would make the client retry a booking that already exists.
 */
async function timetableChanged(deps: ApiDeps, consultationId: string): Promise<void> {
  try {
    await deps.timetable.changed(consultationId);
  } catch (e) {
    deps.log.error(
      { consultationId, errName: (e as Error)?.name },
      'timetable.changed failed; jobs will be re-planned at the next reconcile',
    );
  }
}

interface Proposal {
  /** Set when an existing consultation moves. */
  existing?: { id: string; state: BookingState; start: Date };
  specialistIds: readonly string[];
  start: Date;
  durationMinutes: number;
}

/**
 * Rules 1–3 of the timetable for every specialist of the consultation (calendar, approved
 * schedule, other consultations with their pre-check windows, not too soon). Run inside the
 * transaction that holds the specialists' locks, so that what it saw is what gets saved.
 */
async function timetableViolations(tx: TransactionClient, calendar: InstitutionCalendar, p: Proposal, now: Date): Promise<ApiViolation[]> {
  const end = new Date(p.start.getTime() + p.durationMinutes * MINUTE);
  const month = monthOf(localDateOf(calendar.timeZone, p.start.getTime()));
  const [schedules, others] = await Promise.all([schedulesOf(tx, p.specialistIds, [month]), bookingsOf(tx, p.specialistIds, p.start, end)]);
  const out: ApiViolation[] = [];
  for (const specialistId of p.specialistIds) {
    if (p.existing) {
      // The moving consultation as the rules know it: its current state, the new length.
      const self: Booking = {
        id: p.existing.id,
        specialistId,
        start: p.existing.start,
        durationMinutes: p.durationMinutes,
        state: p.existing.state,
      };
      const bookings = [...others.filter((b) => b.id !== p.existing!.id), self];
      out.push(
        ...validateReschedule(p.existing.id, p.start, { calendar, schedules, bookings, now }).map((v) => apiViolation(v, specialistId)),
      );
    } else {
      const candidate = { specialistId, start: p.start, durationMinutes: p.durationMinutes };
      out.push(...validateBooking(candidate, { calendar, schedules, bookings: others, now }).map((v) => apiViolation(v, specialistId)));
    }
  }
  return out;
}

export const consultationRoutes = [
  defineRoute({
    name: 'consultations.list',
    method: 'get',
    path: '/institutions/:institutionId/consultations',
    summary: 'Consultations planned to start in [from, to)',
    tag,
    params: InstitutionParams,
    query: ListConsultationsQuery,
    response: ConsultationList,
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

  defineRoute({
    name: 'consultations.create',
    method: 'post',
    path: '/institutions/:institutionId/consultations',
    summary: 'Book a consultation (checked against calendar, approved schedules and other bookings incl. pre-check)',
    description:
      '409 `conflict` when the time is taken (details.violations: overlaps_booking, with the other consultation); ' +
      '422 `rule_violation` for day_off, outside_working_hours, overlaps_lunch, no_approved_schedule, outside_schedule_block, ' +
      "precheck_* and starts_too_soon. No join link in the response: GET …/participants/:participantId/link shows a client's.",
    tag,
    params: InstitutionParams,
    body: CreateConsultationBody,
    response: Consultation,
    status: 201,
    errors: [409, 422],
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
        const created = await tx.consultation.create({
          data: {
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
          select: { id: true },
        });
        if (body.requestId) {
          await tx.request.updateMany({
            where: { id: body.requestId, status: { in: ['new', 'assigned'] } },
            data: { status: 'scheduled' },
          });
        }
        await audit(tx, actor, {
          action: 'consultation.created',
          targetType: 'consultation',
          targetId: created.id,
          institutionId: institution.id,
          details: {
            kind: body.kind,
            start: start.toISOString(),
            durationMinutes: body.durationMinutes,
            specialists: body.specialistIds.length,
            clients: body.clients.length,
          },
        });
        return created.id;
      });
      await timetableChanged(deps, id);
      deps.notifier?.bookingChanged('created', id);
      return loadView(deps, id, access);
    },
  }),

  defineRoute({
    name: 'consultations.get',
    method: 'get',
    path: '/consultations/:consultationId',
    summary: 'A consultation with its participants (no join links: see …/participants/:participantId/link)',
    tag,
    params: ConsultationParams,
    response: Consultation,
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, deps, access }) => loadView(deps, params.consultationId, access),
  }),

  defineRoute({
    name: 'consultations.reschedule',
    method: 'post',
    path: '/consultations/:consultationId/reschedule',
    summary: 'Move a planned consultation (optimistic locking on version)',
    description:
      'Only planned or pre-check consultations move; the moved one is planned again (a new pre-check is due). ' +
      '409 `conflict` with details.currentVersion when `version` is stale, or with details.violations when the time is taken.',
    tag,
    params: ConsultationParams,
    body: RescheduleConsultationBody,
    response: Consultation,
    errors: [409, 422],
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
          select: { start: true, durationMinutes: true, state: true, version: true, technicalFailureAt: true },
        });
        if (current.version !== body.version) throw staleVersion(current.version);
        const durationMinutes = body.durationMinutes ?? current.durationMinutes;
        // After a technical failure the head sets a new time even once T has passed (state
        // open, nobody let in): to the rules it is as movable as one in its pre-check.
        const state = current.technicalFailureAt && current.state === 'open' ? 'precheck' : current.state;
        const violations = await timetableViolations(
          tx,
          calendar,
          { existing: { id, state, start: current.start }, specialistIds, start, durationMinutes },
          deps.now(),
        );
        if (violations.length > 0) throw violationsError(violations);
        const { count } = await tx.consultation.updateMany({
          where: { id, version: body.version },
          data: { start, durationMinutes, state: 'planned', technicalFailureAt: null, version: { increment: 1 } },
        });
        if (count !== 1)
          throw staleVersion((await tx.consultation.findUniqueOrThrow({ where: { id }, select: { version: true } })).version);
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

  defineRoute({
    name: 'consultations.cancel',
    method: 'post',
    path: '/consultations/:consultationId/cancel',
    summary: 'Cancel a consultation that has not gone live (optimistic locking on version)',
    description: 'Its time is free again at once. 409 `conflict` when `version` is stale or the consultation is live or over.',
    tag,
    params: ConsultationParams,
    body: CancelConsultationBody,
    response: Consultation,
    errors: [409],
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
        const { count } = await tx.consultation.updateMany({
          where: { id, version: body.version },
          data: { state: 'cancelled', cancelledReason: body.reason, version: { increment: 1 } },
        });
        if (count !== 1)
          throw staleVersion((await tx.consultation.findUniqueOrThrow({ where: { id }, select: { version: true } })).version);
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
];
