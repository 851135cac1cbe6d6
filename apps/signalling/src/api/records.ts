// Database reads shared by the handlers: staff of an institution, and what the timetable rules
// need (bookings, schedules) in the scheduling package's plain types.
import { monthSchedule, type PrismaClient, type TransactionClient } from '@dp/db';
import { TIME_HOLDING_STATES, type Booking, type SpecialistMonthSchedule } from '@dp/scheduling';
import { notFound } from './errors.ts';

type Db = PrismaClient | TransactionClient;

/**
 * Staff of `institutionId` by id, in the order asked; a missing one (or one of another
 * institution) is a 404 naming the field it came from.
 */
export async function staffOfInstitution(
  db: Db,
  institutionId: string,
  ids: readonly { id: string; field: string }[],
  options: { activeOnly?: boolean } = {},
): Promise<{ id: string; displayName: string; role: string; institutionId: string | null; departmentId: string }[]> {
  const rows = await db.staffUser.findMany({
    where: { id: { in: ids.map((i) => i.id) }, institutionId, ...(options.activeOnly ? { active: true } : {}) },
    select: { id: true, displayName: true, role: true, institutionId: true, departmentId: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((i) => !byId.has(i.id));
  if (missing.length > 0) {
    throw notFound('staff member', Object.fromEntries(missing.map((m) => [m.field, 'no such member of staff in this institution'])));
  }
  return ids.map((i) => byId.get(i.id)!);
}

const MINUTE = 60_000;
/** A consultation (≤ 60 min) with its 30-minute pre-check reaches at most 90 minutes from its start; two hours is a safe margin. */
const REACH_MS = 120 * MINUTE;

/**
 * The specialists' time-holding consultations that could meet [from, to): one Booking per
 * specialist and consultation (a consultation of two specialists holds both).
 */
export async function bookingsOf(db: Db, specialistIds: readonly string[], from: Date, to: Date): Promise<Booking[]> {
  const rows = await db.consultationSpecialist.findMany({
    where: {
      specialistId: { in: [...specialistIds] },
      consultationStart: { gt: new Date(from.getTime() - REACH_MS), lt: new Date(to.getTime() + REACH_MS) },
      // A consultation by e-mail holds no time.
      consultation: { state: { in: [...TIME_HOLDING_STATES] }, form: { not: 'email' } },
    },
    select: { specialistId: true, consultation: { select: { id: true, start: true, durationMinutes: true, state: true, form: true } } },
  });
  return rows.map((r) => ({
    id: r.consultation.id,
    specialistId: r.specialistId,
    start: r.consultation.start,
    durationMinutes: r.consultation.durationMinutes,
    state: r.consultation.state,
    // By telephone: no pre-check window held before it.
    ...(r.consultation.form === 'phone' ? { precheck: false } : {}),
  }));
}

/** The specialists' schedules (draft or approved) for the given months. */
export async function schedulesOf(db: Db, specialistIds: readonly string[], months: readonly string[]): Promise<SpecialistMonthSchedule[]> {
  const rows = await db.specialistMonthSchedule.findMany({
    where: { specialistId: { in: [...specialistIds] }, month: { in: [...months] } },
    include: { blocks: true },
  });
  return rows.map(monthSchedule);
}

/**
 * Serialises bookings per specialist until the transaction ends: two requests for the same
 * free slot would otherwise both pass validation and both insert (the database has no
 * exclusion constraint over pre-check windows). Locks are taken in id order, so two
 * consultations sharing specialists cannot deadlock.
 */
export async function lockSpecialists(tx: TransactionClient, specialistIds: readonly string[]): Promise<void> {
  for (const id of [...new Set(specialistIds)].sort()) {
    await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${`specialist:${id}`}, 0))) AS l`;
  }
}
