// Moves proposed by a specialist or a social worker and approved (or rejected) by the head;
// the head's technical-failure list («Сбои»); whether a booking's invitation went out.
// An approved proposal moves the consultation the same way as the head's direct move
// (consultations/move.ts: the lifecycle writer's `reschedule`, the client e-mailed).
import type { Prisma, PrismaClient } from '@dp/db';
import { contract, mayMove, type InvitationStatus, type MoveProposal } from '@dp/protocol';
import { audit } from './audit.ts';
import type { ApiDeps } from './deps.ts';
import { HttpError, notFound, violationsError } from './errors.ts';
import { defineRoute, routeTable, type RouteAccess } from './route.ts';
import { workingCalendar } from './working-calendar.ts';
import {
  consultationView,
  institutionOfConsultation,
  loadConsultationView,
  staffOfConsultation,
  withParts,
  type Viewer,
} from '../consultations/consultation-records.ts';
import { moveConsultation } from '../consultations/move.ts';
import { timetableViolations } from '../consultations/timetable-check.ts';
import { addressNotice, headsOf } from '../timetable/staff-notices.ts';

const viewerOf = (access: RouteAccess): Viewer => access.caller?.user ?? null;

const withProposal = {
  proposedBy: { select: { displayName: true } },
  consultation: { include: withParts },
} as const satisfies Prisma.ConsultationMoveProposalInclude;
type ProposalRow = Prisma.ConsultationMoveProposalGetPayload<{ include: typeof withProposal }>;

function proposalView(row: ProposalRow, viewer: Viewer): MoveProposal {
  return {
    id: row.id,
    consultationId: row.consultationId,
    proposedById: row.proposedById,
    proposedByName: row.proposedBy.displayName,
    start: row.start.toISOString(),
    durationMinutes: row.durationMinutes,
    reasonCategory: row.reasonCategory,
    note: row.note,
    status: row.status,
    decidedById: row.decidedById,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    consultation: consultationView(row.consultation, viewer),
  };
}

async function institutionOfProposal(deps: { prisma: PrismaClient }, proposalId: string): Promise<string> {
  const row = await deps.prisma.consultationMoveProposal.findUnique({
    where: { id: proposalId },
    select: { consultation: { select: { institutionId: true } } },
  });
  if (!row) throw notFound('move proposal');
  return row.consultation.institutionId;
}

const notPending = () => new HttpError(409, 'conflict', 'the proposal was already decided or withdrawn');

/** A pre-check belongs to a start when made from this long before it (the window opens at T−30). */
const CHECK_AHEAD_MS = 2 * 3_600_000;

/** Consultations that could not take place for technical reasons and wait for the head's decision. */
async function failures(deps: ApiDeps, institutionId: string, viewer: Viewer) {
  const rows = await deps.prisma.consultation.findMany({
    where: {
      institutionId,
      OR: [
        { state: 'failed' },
        // A failed pre-check of a consultation that has not started (nor been moved since).
        { state: { in: ['planned', 'precheck', 'open'] }, prechecks: { some: { passed: false } } },
      ],
    },
    include: {
      ...withParts,
      prechecks: { orderBy: { at: 'desc' }, take: 1, select: { passed: true, at: true } },
      transitions: { where: { event: 'reschedule' }, orderBy: { at: 'desc' }, take: 1, select: { at: true } },
    },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
    take: 500,
  });
  return rows
    .filter((r) => {
      if (r.state === 'failed') return true;
      // Only the latest check counts, and only one made for the current start: within its window
      // and after the last move (a check before a move was for the old time, however near the
      // new one is — a failure at 07:25 moved to 09:30 the same morning is dealt with).
      const last = r.prechecks[0];
      const start = r.start.getTime();
      const movedAt = r.transitions[0]?.at.getTime() ?? -Infinity;
      const forThisStart =
        last !== undefined &&
        last.at.getTime() > movedAt &&
        last.at.getTime() >= start - CHECK_AHEAD_MS &&
        last.at.getTime() <= start + r.durationMinutes * 60_000;
      return forThisStart && !last.passed;
    })
    .map((r) => consultationView(r, viewer));
}

/** The worst outcome first: what the social worker must act on. */
const SEVERITY: InvitationStatus[] = ['failed', 'skipped', 'pending', 'sent'];

export const moveRoutes = routeTable([
  defineRoute(contract['consultations.propose_move'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, body, institution, deps, actor, access }) => {
      const id = params.consultationId;
      const start = new Date(body.start);
      const created = await deps.prisma.$transaction(async (tx) => {
        const c = await tx.consultation.findUniqueOrThrow({
          where: { id },
          select: { start: true, durationMinutes: true, state: true, specialists: { select: { specialistId: true } } },
        });
        if (!mayMove(c.state)) throw new HttpError(409, 'conflict', `the consultation is ${c.state}: it does not move`, { state: c.state });
        const durationMinutes = body.durationMinutes ?? c.durationMinutes;
        // Checked now so that the head approves a time that fits; checked again on approval.
        const violations = await timetableViolations(
          tx,
          workingCalendar(institution, start),
          {
            existing: { id, state: c.state, start: c.start },
            specialistIds: c.specialists.map((s) => s.specialistId),
            start,
            durationMinutes,
          },
          deps.now(),
        );
        if (violations.length > 0) throw violationsError(violations);
        await tx.consultationMoveProposal.updateMany({
          where: { consultationId: id, status: 'pending' },
          data: { status: 'withdrawn', decidedAt: deps.now(), decidedById: actor.id },
        });
        const row = await tx.consultationMoveProposal.create({
          data: {
            consultationId: id,
            proposedById: actor.id!,
            start,
            durationMinutes,
            reasonCategory: body.reasonCategory ?? null,
            note: body.note ?? null,
            createdAt: deps.now(),
          },
          select: { id: true },
        });
        // The note is free text and may name people: not in the audit row.
        await audit(tx, actor, {
          action: 'consultation.move_proposed',
          targetType: 'consultation',
          targetId: id,
          institutionId: institution.id,
          details: {
            proposalId: row.id,
            from: c.start.toISOString(),
            to: start.toISOString(),
            reasonCategory: body.reasonCategory ?? null,
          },
        });
        await addressNotice(tx, 'move_proposed', await headsOf(tx, institution.id), institution.id, id);
        return row.id;
      });
      const row = await deps.prisma.consultationMoveProposal.findUniqueOrThrow({ where: { id: created }, include: withProposal });
      return proposalView(row, viewerOf(access));
    },
  }),

  defineRoute(contract['consultations.move_proposals'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ institution, deps, access }) => {
      const rows = await deps.prisma.consultationMoveProposal.findMany({
        where: { status: 'pending', consultation: { institutionId: institution.id } },
        include: withProposal,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: 500,
      });
      return { proposals: rows.map((r) => proposalView(r, viewerOf(access))) };
    },
  }),

  defineRoute(contract['consultations.approve_move'], {
    institution: ({ params, deps }) => institutionOfProposal(deps, params.proposalId),
    handler: async ({ params, institution, deps, actor, access }) => {
      const p = await deps.prisma.consultationMoveProposal.findUniqueOrThrow({ where: { id: params.proposalId } });
      if (p.status !== 'pending') throw notPending();
      await moveConsultation(
        deps,
        institution,
        actor,
        p.consultationId,
        { start: p.start, durationMinutes: p.durationMinutes, reasonCategory: p.reasonCategory, auditDetails: { proposalId: p.id } },
        async (tx) => {
          const { count } = await tx.consultationMoveProposal.updateMany({
            where: { id: p.id, status: 'pending' },
            data: { status: 'approved', decidedById: actor.id, decidedAt: deps.now() },
          });
          // Decided by someone else meanwhile: the move is rolled back with it.
          if (count !== 1) throw notPending();
        },
      );
      return loadConsultationView(deps.prisma, p.consultationId, viewerOf(access));
    },
  }),

  defineRoute(contract['consultations.reject_move'], {
    institution: ({ params, deps }) => institutionOfProposal(deps, params.proposalId),
    handler: async ({ params, institution, deps, actor, access }) => {
      await deps.prisma.$transaction(async (tx) => {
        const { count } = await tx.consultationMoveProposal.updateMany({
          where: { id: params.proposalId, status: 'pending' },
          data: { status: 'rejected', decidedById: actor.id, decidedAt: deps.now() },
        });
        if (count !== 1) throw notPending();
        const p = await tx.consultationMoveProposal.findUniqueOrThrow({
          where: { id: params.proposalId },
          select: { consultationId: true },
        });
        await audit(tx, actor, {
          action: 'consultation.move_rejected',
          targetType: 'consultation',
          targetId: p.consultationId,
          institutionId: institution.id,
          details: { proposalId: params.proposalId },
        });
      });
      const row = await deps.prisma.consultationMoveProposal.findUniqueOrThrow({ where: { id: params.proposalId }, include: withProposal });
      return proposalView(row, viewerOf(access));
    },
  }),

  defineRoute(contract['consultations.failures'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ institution, deps, access }) => ({ consultations: await failures(deps, institution.id, viewerOf(access)) }),
  }),

  defineRoute(contract['consultations.invitation'], {
    institution: ({ params, deps }) => institutionOfConsultation(deps, params.consultationId),
    owners: ({ params, deps }) => staffOfConsultation(deps, params.consultationId),
    handler: async ({ params, deps }) => {
      const id = params.consultationId;
      const [clients, sent] = await Promise.all([
        deps.prisma.participant.findMany({
          where: { consultationId: id, staffUserId: null, linkRevokedAt: null },
          select: { id: true, email: true },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        deps.prisma.notification.findMany({
          where: { consultationId: id, kind: 'invitation' },
          select: { participantId: true, status: true },
          orderBy: { createdAt: 'desc' },
        }),
      ]);
      const report = clients.map((c) => {
        if (!c.email) return { participantId: c.id, status: 'no_email' as const };
        const last = sent.find((n) => n.participantId === c.id);
        return { participantId: c.id, status: (last?.status ?? 'pending') as InvitationStatus };
      });
      const withAddress = report.filter((r) => r.status !== 'no_email');
      const status: InvitationStatus =
        withAddress.length === 0 ? 'no_email' : (SEVERITY.find((s) => withAddress.some((r) => r.status === s)) ?? 'sent');
      return { consultationId: id, status, clients: report };
    },
  }),
]);
