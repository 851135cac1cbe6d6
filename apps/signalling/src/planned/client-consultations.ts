// The consultations of a registry client that planned work counts: those of the client's
// requests and of the dyads the client is in, within [from, to), with their specialists.
import type { PrismaClient, TransactionClient } from '@dp/db';
import { DateTime } from 'luxon';

type Db = PrismaClient | TransactionClient;

export interface ClientConsultation {
  id: string;
  start: Date;
  durationMinutes: number;
  state: string;
  form: 'online' | 'phone' | 'email';
  startedAt: Date | null;
  endedAt: Date | null;
  specialists: { id: string; displayName: string; profession: string | null }[];
}

export async function clientConsultations(
  db: Db,
  institutionId: string,
  clientId: string,
  from: Date,
  to: Date,
): Promise<ClientConsultation[]> {
  const rows = await db.consultation.findMany({
    where: {
      institutionId,
      start: { gte: from, lt: to },
      OR: [{ request: { clientId } }, { dyad: { OR: [{ client1Id: clientId }, { client2Id: clientId }] } }],
    },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      start: true,
      durationMinutes: true,
      state: true,
      form: true,
      startedAt: true,
      endedAt: true,
      specialists: {
        select: { specialist: { select: { id: true, displayName: true, specialistProfile: { select: { profession: true } } } } },
      },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    start: r.start,
    durationMinutes: r.durationMinutes,
    state: r.state,
    form: r.form,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    specialists: r.specialists.map((s) => ({
      id: s.specialist.id,
      displayName: s.specialist.displayName,
      profession: s.specialist.specialistProfile?.profession ?? null,
    })),
  }));
}

/** [first instant, first instant after) of local dates `startDate` … `endDate` (inclusive) in `zone`. */
export function localDays(startDate: string, endDate: string, zone: string): { from: Date; to: Date } {
  return {
    from: DateTime.fromISO(startDate, { zone }).startOf('day').toJSDate(),
    to: DateTime.fromISO(endDate, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
  };
}

/** [first instant, first instant after) of the local month 'YYYY-MM' in `zone`. */
export function localMonth(month: string, zone: string): { from: Date; to: Date } {
  const first = DateTime.fromISO(`${month}-01`, { zone }).startOf('day');
  return { from: first.toJSDate(), to: first.plus({ months: 1 }).toJSDate() };
}

export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate()!;
}

/** The staff ids that take part in a client's work: responsible for their requests, in their consultations, on their route. */
export async function clientOwners(db: Db, institutionId: string, clientId: string): Promise<string[]> {
  const [requests, lines] = await Promise.all([
    db.request.findMany({
      where: { clientId, client: { institutionId } },
      select: { responsibleSpecialistId: true, consultations: { select: { specialists: { select: { specialistId: true } } } } },
    }),
    db.routeLine.findMany({ where: { routeSheet: { clientId, institutionId } }, select: { specialistId: true } }),
  ]);
  const ids = new Set<string>(lines.map((l) => l.specialistId));
  for (const r of requests) {
    if (r.responsibleSpecialistId) ids.add(r.responsibleSpecialistId);
    for (const c of r.consultations) for (const s of c.specialists) ids.add(s.specialistId);
  }
  return [...ids];
}
