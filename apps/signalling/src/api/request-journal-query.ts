// The request journal's filters as one Prisma `where` (the list and its count share it).
// Indexes for the filtered pages: requests (institution_id, responsible_specialist_id, status,
// received_at) and (institution_id, status, received_at) — migration 20261206180200.
import type { Prisma, PrismaClient, Request as RequestRow } from '@dp/db';
import { REQUEST_PAGE_SIZE, type ListRequestsQuery } from '@dp/protocol';

/** Statuses that still wait for the client to get a date and time. */
const OPEN_STATUSES = ['new', 'assigned'] as const;

/** A journal number as typed: «12», «№ 12», «12/2026». */
const NUMBER = /^(?:№\s*)?(\d{1,9})(?:\s*\/\s*(\d{4}))?$/;

export function journalWhere(
  institutionId: string,
  /** The `own` scope: only the requests this specialist is responsible for. */
  ownerId: string | null,
  query: ListRequestsQuery,
  now: Date,
): Prisma.RequestWhereInput {
  const and: Prisma.RequestWhereInput[] = [];
  if (query.overdue === 'true') and.push({ status: { in: [...OPEN_STATUSES] }, answerDueAt: { lt: now } });
  const q = query.q?.trim();
  if (q) {
    const number = NUMBER.exec(q);
    const contains = { contains: q, mode: 'insensitive' as const };
    and.push({
      OR: [
        ...(number ? [{ number: Number(number[1]), ...(number[2] ? { year: Number(number[2]) } : {}) }] : []),
        { fromWhom: contains },
        { representativeName: contains },
        { childName: contains },
        { contact: contains },
        { reason: contains },
      ],
    });
  }
  return {
    institutionId,
    ...(ownerId
      ? { responsibleSpecialistId: ownerId }
      : query.responsibleSpecialistId
        ? { responsibleSpecialistId: query.responsibleSpecialistId }
        : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.from || query.to
      ? { receivedAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lt: new Date(query.to) } : {}) } }
      : {}),
    ...(and.length > 0 ? { AND: and } : {}),
  };
}

/** One page of the journal (newest received first) and the number of rows on all pages: the list's two queries. */
export async function journalPage(
  prisma: PrismaClient,
  institutionId: string,
  ownerId: string | null,
  query: ListRequestsQuery,
  now: Date,
): Promise<{ rows: RequestRow[]; total: number }> {
  const where = journalWhere(institutionId, ownerId, query, now);
  const [rows, total] = await Promise.all([
    prisma.request.findMany({
      where,
      orderBy: [{ receivedAt: 'desc' }, { number: 'desc' }],
      skip: (query.page - 1) * REQUEST_PAGE_SIZE,
      take: REQUEST_PAGE_SIZE,
    }),
    prisma.request.count({ where }),
  ]);
  return { rows, total };
}
