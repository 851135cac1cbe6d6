// Moving a consultation to a new time: the head's direct move (consultations.reschedule) and an
// approved move proposal (api/moves.ts) take the same way — the specialists locked, the version
// checked, the timetable's rules, then the lifecycle writer's `reschedule` (back to `planned`,
// the failure's time cleared; the history keeps the previous start), an audit row, the
// timetable's jobs and the client's e-mail (with the reason category, never a staff note).
import type { ChangeReason, Institution, TransactionClient } from '@dp/db';
import type { Actor } from '../api/actor.ts';
import { audit } from '../api/audit.ts';
import type { ApiDeps } from '../api/deps.ts';
import { lifecycleStep, staleVersion, violationsError } from '../api/errors.ts';
import { lockSpecialists } from '../api/records.ts';
import { workingCalendar } from '../api/working-calendar.ts';
import { applyEvent } from './lifecycle-writer.ts';
import { timetableChanged, timetableViolations } from './timetable-check.ts';

export interface MoveRequest {
  start: Date;
  /** Default: unchanged. */
  durationMinutes?: number;
  /** Optimistic locking: a stale one answers 409. Omitted: the row's current version (an approved proposal). */
  version?: number;
  reasonCategory?: ChangeReason | null;
  /** Extra details for the audit row (no personal data). */
  auditDetails?: Record<string, string | number | boolean | null>;
}

/**
 * Moves the consultation; `inTx` runs inside the same transaction after the move (an approved
 * proposal marks itself approved there). Throws the API's errors (409/422).
 */
export async function moveConsultation(
  deps: ApiDeps,
  institution: Institution,
  actor: Actor,
  id: string,
  move: MoveRequest,
  inTx?: (tx: TransactionClient) => Promise<void>,
): Promise<void> {
  const specialistIds = (
    await deps.prisma.consultationSpecialist.findMany({ where: { consultationId: id }, select: { specialistId: true } })
  ).map((s) => s.specialistId);
  await deps.prisma.$transaction(async (tx) => {
    await lockSpecialists(tx, specialistIds);
    await moveWithin(tx, deps, institution, actor, id, specialistIds, move);
    if (inTx) await inTx(tx);
  });
  await timetableChanged(deps, id);
  deps.notifier?.bookingChanged('rescheduled', id);
}

/**
 * The move itself, inside a transaction that already holds the specialists' locks (a whole
 * day moved at once, api/specialist-absence.ts, locks them all first). The caller hands the
 * jobs and the e-mail over after the commit (timetableChanged, notifier).
 */
export async function moveWithin(
  tx: TransactionClient,
  deps: Pick<ApiDeps, 'now'>,
  institution: Institution,
  actor: Actor,
  id: string,
  specialistIds: readonly string[],
  move: MoveRequest,
): Promise<void> {
  const start = move.start;
  const calendar = workingCalendar(institution, start);
  const current = await tx.consultation.findUniqueOrThrow({
    where: { id },
    select: { start: true, durationMinutes: true, state: true, version: true, form: true },
  });
  const version = move.version ?? current.version;
  if (current.version !== version) throw staleVersion(current.version);
  const durationMinutes = move.durationMinutes ?? current.durationMinutes;
  // A failed consultation (technical failure) moves too, even once T has passed: the
  // lifecycle's `reschedule` (mayMove) says which states move.
  const violations = await timetableViolations(
    tx,
    calendar,
    {
      existing: { id, state: current.state, start: current.start },
      specialistIds,
      start,
      durationMinutes,
      // By telephone: no pre-check window before the new time either.
      ...(current.form === 'phone' ? { precheck: false } : {}),
    },
    deps.now(),
  );
  if (violations.length > 0) throw violationsError(violations);
  await lifecycleStep(
    applyEvent(tx, id, 'reschedule', {
      actorId: actor.id,
      at: deps.now(),
      data: { start, durationMinutes, changeReason: move.reasonCategory ?? null },
      expectVersion: version,
    }),
  );
  await audit(tx, actor, {
    action: 'consultation.rescheduled',
    targetType: 'consultation',
    targetId: id,
    institutionId: institution.id,
    details: {
      from: current.start.toISOString(),
      to: start.toISOString(),
      durationMinutes,
      version: version + 1,
      reasonCategory: move.reasonCategory ?? null,
      ...move.auditDetails,
    },
  });
}
