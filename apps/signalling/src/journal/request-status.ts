// The one way a request's status is written (журнал регистрации заявок): with it, the time of
// its decision. The monthly report counts a request refused or completed as answered at that
// time (reports/figures-sql.ts), so a later edit — a typo fixed in the result, a note, a new
// responsible specialist — must not move it, as it moves updated_at.
import type { RequestStatus } from '@dp/db';

/** The statuses that decide a request (a refusal, or done). */
export const DECIDED_STATUSES = ['refused', 'completed'] as const satisfies readonly RequestStatus[];

export function isDecided(status: RequestStatus): boolean {
  return (DECIDED_STATUSES as readonly RequestStatus[]).includes(status);
}

/**
 * The data that writes `to` over `from` at `at` (the server's business clock):
 *  - entering a decision (from an open status, or from the other decision) sets decidedAt to `at`:
 *    a request reopened and decided again keeps its latest decision;
 *  - the same decision again (a form saved with its status unchanged) keeps the first time;
 *  - any status that is not a decision clears it (a CHECK holds decided_at to decided requests).
 * `from` undefined: the row's status is not known but is not `to` (a create, or an update
 * guarded by `where: { status: { in: [...open statuses] } }`).
 */
export function requestStatusData(to: RequestStatus, at: Date, from?: RequestStatus): { status: RequestStatus; decidedAt?: Date | null } {
  if (!isDecided(to)) return { status: to, decidedAt: null };
  return from === to ? { status: to } : { status: to, decidedAt: at };
}
