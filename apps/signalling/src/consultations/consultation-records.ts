// A consultation's rows as the staff API reads them: the view (with its participants), who
// takes part, which institution it belongs to, and its lifecycle history.
import type { Prisma, PrismaClient } from '@dp/db';
import type { Consultation, ConsultationDetail, ConsultationHistory, LifecycleEvent, StaffRoleName } from '@dp/protocol';
import { handsOverLinks } from '../api/link-keepers.ts';
import { notFound } from '../api/errors.ts';

const MINUTE = 60_000;

export const withParts = {
  specialists: { select: { specialistId: true } },
  participants: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  request: { select: { responsibleSpecialistId: true } },
  clientAnswers: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} as const satisfies Prisma.ConsultationInclude;
export type ConsultationRow = Prisma.ConsultationGetPayload<{ include: typeof withParts }>;

const ROLE_ORDER: Record<string, number> = { specialist: 0, curator: 1, host: 2, cohost: 3, client: 4, attendee: 5 };

/** Who reads the view: it says whether they may hand the clients' links over. */
export type Viewer = { id: string; role: StaffRoleName } | null;

/**
 * A consultation as staff read it. No join link: reading a consultation is granted far more
 * widely than handing its links over, so a client's link has routes of its own (links.ts).
 * The state is the lifecycle's, as the database holds it: every list and the dashboard read
 * this one column (`consultations.state`), never a state of their own.
 */
export function consultationView(row: ConsultationRow, viewer: Viewer): Consultation {
  const participants = [...row.participants].sort((a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9));
  return {
    id: row.id,
    institutionId: row.institutionId,
    kind: row.kind,
    direction: row.direction,
    mode: row.mode,
    form: row.form,
    state: row.state,
    start: row.start.toISOString(),
    durationMinutes: row.durationMinutes,
    end: new Date(row.start.getTime() + row.durationMinutes * MINUTE).toISOString(),
    topic: row.topic,
    note: row.note,
    requestId: row.requestId,
    cancelledReason: row.cancelledReason,
    changeReason: row.changeReason,
    rescheduledFromId: row.rescheduledFromId,
    technicalFailureAt: row.technicalFailureAt?.toISOString() ?? null,
    startedAt: row.startedAt?.toISOString() ?? null,
    endedAt: row.endedAt?.toISOString() ?? null,
    openFloor: row.openFloor,
    dyadId: row.dyadId,
    seriesId: row.seriesId,
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
    clientAnswers: row.clientAnswers.map((a) => ({
      id: a.id,
      participantId: a.participantId,
      kind: a.kind,
      note: a.note,
      createdAt: a.createdAt.toISOString(),
    })),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function loadConsultationView(prisma: PrismaClient, id: string, viewer: Viewer): Promise<Consultation> {
  return consultationView(await prisma.consultation.findUniqueOrThrow({ where: { id }, include: withParts }), viewer);
}

/** The consultation's page: the view, the specialists with their titles, the pre-checks and the room stays. */
export async function loadConsultationDetail(prisma: PrismaClient, id: string, viewer: Viewer): Promise<ConsultationDetail> {
  const row = await prisma.consultation.findUniqueOrThrow({
    where: { id },
    include: {
      ...withParts,
      institution: { select: { timeZone: true } },
      request: { select: { responsibleSpecialistId: true, contact: true, client: { select: { phone: true } } } },
      prechecks: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      visits: { orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }] },
    },
  });
  const people = await prisma.staffUser.findMany({
    where: { id: { in: row.specialists.map((s) => s.specialistId) } },
    select: { id: true, displayName: true, specialistProfile: { select: { title: true } } },
    orderBy: { displayName: 'asc' },
  });
  // The number to call, only where it is needed: a consultation by telephone, read by its staff (not an admin).
  const clientPhone =
    row.form === 'phone' && viewer !== null && viewer.role !== 'admin'
      ? (row.request?.client?.phone ?? row.request?.contact ?? null)
      : null;
  return {
    ...consultationView(row, viewer),
    timeZone: row.institution.timeZone,
    clientPhone,
    specialists: people.map((p) => ({ id: p.id, displayName: p.displayName, title: p.specialistProfile?.title ?? null })),
    prechecks: row.prechecks.map((p) => ({
      specialistId: p.specialistId,
      at: p.at.toISOString(),
      passed: p.passed,
      rttMs: p.rttMs,
      lossPct: p.lossPct,
    })),
    visits: row.visits.map((v) => ({
      participantId: v.participantId,
      joinedAt: v.joinedAt.toISOString(),
      leftAt: v.leftAt?.toISOString() ?? null,
    })),
  };
}

/** A consultation's staff: its specialists and the staff among its participants (a curator, a social worker). */
export function takesPart(staffId: string) {
  return {
    OR: [{ specialists: { some: { specialistId: staffId } } }, { participants: { some: { staffUserId: staffId } } }],
  };
}

export async function staffOfConsultation(deps: { prisma: PrismaClient }, consultationId: string): Promise<string[]> {
  const row = await deps.prisma.consultation.findUnique({
    where: { id: consultationId },
    select: { specialists: { select: { specialistId: true } }, participants: { select: { staffUserId: true } } },
  });
  if (!row) return [];
  const ids = [...row.specialists.map((s) => s.specialistId), ...row.participants.map((p) => p.staffUserId)];
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

/** The institution of a consultation, for routes addressed by the consultation's id alone. */
export async function institutionOfConsultation(deps: { prisma: PrismaClient }, consultationId: string): Promise<string> {
  const row = await deps.prisma.consultation.findUnique({ where: { id: consultationId }, select: { institutionId: true } });
  if (!row) throw notFound('consultation');
  return row.institutionId;
}

/** The lifecycle history (consultation_transitions), oldest first. */
export async function consultationHistory(prisma: PrismaClient, consultationId: string): Promise<ConsultationHistory> {
  const rows = await prisma.consultationTransition.findMany({
    where: { consultationId },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  return {
    transitions: rows.map((r) => ({
      event: r.event as LifecycleEvent,
      fromState: r.fromState,
      toState: r.toState,
      at: r.at.toISOString(),
      actorId: r.actorId,
      previousStart: r.previousStart?.toISOString() ?? null,
    })),
  };
}
