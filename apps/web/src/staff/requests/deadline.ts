// The answer deadline's colour in the request journal: red once it has passed, amber when it
// falls within the institution's next working day, nothing once the client was answered.
// The server sends the boundary (`dueSoonBefore`: the closing time of the next working day of
// the institution's calendar, holidays and transferred days included) and its clock (`now`).
import type { RequestStatus } from '@dp/protocol';

export type DeadlineTone = 'none' | 'ok' | 'near' | 'overdue';

/** Statuses that still wait for the client to be given a date and time. */
const WAITING: ReadonlySet<RequestStatus> = new Set(['new', 'assigned']);

export function deadlineTone(
  request: { status: RequestStatus; answerDueAt: string | null },
  now: string | Date,
  dueSoonBefore: string | Date,
): DeadlineTone {
  if (request.answerDueAt === null || !WAITING.has(request.status)) return 'none';
  const due = Date.parse(request.answerDueAt);
  if (due < new Date(now).getTime()) return 'overdue';
  if (due <= new Date(dueSoonBefore).getTime()) return 'near';
  return 'ok';
}
