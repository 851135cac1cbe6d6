// The consultation journal's rows (журнал учёта онлайн-консультирования), computed from the
// records: the room's stays (with their audio-only time), the telephone outcome, the e-mail
// answer, the pre-check, the quality summary, the lifecycle history and the protocol.
//
// Which consultations: every one whose planned start falls on the period's local days, in any
// state — held, not reached, cancelled, still planned. A consultation moved to another time is
// one row (the move changes its start in place; the history counts the moves), shown at its new
// time; one that replaced another (rescheduledFromId) counts that move as well.
import type { Prisma, PrismaClient } from '@dp/db';
import { JOURNAL_PAGE_SIZE, qualityOf, type JournalRow, type RoomQualitySummary } from '@dp/protocol';
import { dayClock, localDateOf } from '@dp/scheduling';

const MINUTE = 60_000;

export interface JournalFilter {
  institutionId: string;
  timeZone: string;
  from: string;
  to: string;
  /** Only this specialist's consultations (a specialist's own scope, or the filter). */
  specialistId: string | null;
}

/** The filter as a `where`: planned starts from the first day's local midnight to the end of the last day. */
export function journalWhere(f: JournalFilter): Prisma.ConsultationWhereInput {
  return {
    institutionId: f.institutionId,
    start: { gte: new Date(dayClock(f.timeZone, f.from).startMs), lt: new Date(dayClock(f.timeZone, f.to).endMs) },
    ...(f.specialistId ? { specialists: { some: { specialistId: f.specialistId } } } : {}),
  };
}

const CLIENT_ROLES = new Set(['client', 'attendee']);

const personSelect = { childName: true, childAge: true, representativeName: true } as const;

export const journalSelect = {
  id: true,
  kind: true,
  form: true,
  state: true,
  start: true,
  startedAt: true,
  endedAt: true,
  topic: true,
  note: true,
  qualitySummary: true,
  rescheduledFromId: true,
  specialists: { select: { specialist: { select: { displayName: true } } }, orderBy: { specialistId: 'asc' } },
  request: {
    select: { ...personSelect, anonymous: true, recurrence: true, reason: true, client: { select: personSelect } },
  },
  dyad: { select: { client1: { select: personSelect }, client2: { select: personSelect } } },
  participants: { select: { role: true, visits: { select: { joinedAt: true, leftAt: true, audioOnlyMs: true } } } },
  prechecks: { select: { passed: true }, orderBy: { at: 'desc' }, take: 1 },
  protocolVersions: { select: { reason: true, topic: true, final: true }, orderBy: { version: 'desc' }, take: 1 },
  _count: { select: { transitions: { where: { event: 'reschedule' } } } },
} satisfies Prisma.ConsultationSelect;

type Loaded = Prisma.ConsultationGetPayload<{ select: typeof journalSelect }>;

/** Online: the clients' time in the room (first join → last leave) and whether it ran audio only. */
function roomFacts(c: Loaded, now: Date): { minutes: number | null; audioOnly: boolean } {
  const clients = c.participants.filter((p) => CLIENT_ROLES.has(p.role) && p.visits.length > 0);
  if (clients.length === 0) return { minutes: null, audioOnly: false };
  let first = Infinity;
  let last = -Infinity;
  let audioOnly = true;
  for (const p of clients) {
    let inRoom = 0;
    let audio = 0;
    for (const v of p.visits) {
      const left = (v.leftAt ?? c.endedAt ?? now).getTime();
      first = Math.min(first, v.joinedAt.getTime());
      last = Math.max(last, left);
      inRoom += Math.max(0, left - v.joinedAt.getTime());
      audio += v.audioOnlyMs;
    }
    // Audio only when every client spent at least half of its time in the room audio only.
    if (audio * 2 < inRoom) audioOnly = false;
  }
  return { minutes: Math.round(Math.max(0, last - first) / MINUTE), audioOnly };
}

/** One row from its loaded record; `number` is its place in the whole filtered journal. */
export function journalRow(c: Loaded, number: number, timeZone: string, now: Date): JournalRow {
  const protocol = c.protocolVersions[0];
  const req = c.request;
  const person = (() => {
    if (req) {
      if (req.anonymous) return { childName: null, childAge: null, representativeName: null };
      return {
        childName: req.childName ?? req.client?.childName ?? null,
        childAge: req.childAge ?? req.client?.childAge ?? null,
        representativeName: req.representativeName ?? req.client?.representativeName ?? null,
      };
    }
    if (c.dyad) {
      const both = [c.dyad.client1, c.dyad.client2];
      const join = (xs: (string | null)[]) => (xs.some((x) => x) ? xs.map((x) => x ?? '—').join('; ') : null);
      return {
        childName: join(both.map((x) => x.childName)),
        childAge: null,
        representativeName: join(both.map((x) => x.representativeName)),
      };
    }
    return { childName: null, childAge: null, representativeName: null };
  })();

  let durationMinutes: number | null = null;
  let form: JournalRow['form'] = null;
  if (c.form === 'online') {
    const room = roomFacts(c, now);
    durationMinutes = room.minutes;
    if (room.minutes !== null) form = room.audioOnly ? 'online_audio' : 'online_video';
  } else if (c.form === 'phone') {
    if (c.state === 'ended' && c.startedAt && c.endedAt) {
      durationMinutes = Math.round((c.endedAt.getTime() - c.startedAt.getTime()) / MINUTE);
      form = 'phone';
    }
  } else if (c.state === 'ended') {
    form = 'email';
  }

  const precheck = c.prechecks[0];
  return {
    number,
    consultationId: c.id,
    kind: c.kind,
    date: localDateOf(timeZone, c.start.getTime()),
    plannedStart: c.start.toISOString(),
    startedAt: c.form === 'email' ? null : (c.startedAt?.toISOString() ?? null),
    durationMinutes,
    specialists: c.specialists.map((s) => s.specialist.displayName),
    ...person,
    anonymous: req?.anonymous ?? false,
    clientCount: c.kind === 'dyad' && c.dyad ? 2 : c.participants.filter((p) => CLIENT_ROLES.has(p.role)).length,
    recurrence: req?.recurrence ?? null,
    form,
    precheck: precheck ? (precheck.passed ? 'passed' : 'failed') : null,
    quality: qualityOf(c.qualitySummary as RoomQualitySummary | null),
    reschedules: c._count.transitions + (c.rescheduledFromId ? 1 : 0),
    state: c.state,
    reason: protocol?.reason ?? req?.reason ?? null,
    topic: protocol?.topic ?? c.topic ?? null,
    protocolFinal: protocol?.final ?? false,
    note: c.note,
  };
}

const ORDER = [{ start: 'asc' }, { id: 'asc' }] satisfies Prisma.ConsultationOrderByWithRelationInput[];

/** One page of the journal and the number of rows on all pages. */
export async function journalPage(
  prisma: PrismaClient,
  f: JournalFilter,
  page: number,
  now: Date,
): Promise<{ rows: JournalRow[]; total: number }> {
  const where = journalWhere(f);
  const skip = (page - 1) * JOURNAL_PAGE_SIZE;
  const [found, total] = await Promise.all([
    prisma.consultation.findMany({ where, orderBy: ORDER, skip, take: JOURNAL_PAGE_SIZE, select: journalSelect }),
    prisma.consultation.count({ where }),
  ]);
  return { rows: found.map((c, i) => journalRow(c, skip + i + 1, f.timeZone, now)), total };
}

/** Every row of the filter (the export), read in batches so that a long period never holds one huge result. */
export async function journalAll(prisma: PrismaClient, f: JournalFilter, now: Date): Promise<JournalRow[]> {
  const where = journalWhere(f);
  const rows: JournalRow[] = [];
  const BATCH = 1000;
  for (let skip = 0; ; skip += BATCH) {
    const found = await prisma.consultation.findMany({ where, orderBy: ORDER, skip, take: BATCH, select: journalSelect });
    rows.push(...found.map((c, i) => journalRow(c, skip + i + 1, f.timeZone, now)));
    if (found.length < BATCH) return rows;
  }
}
