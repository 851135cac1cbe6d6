import { ApiError } from '../api.ts';

/** Codes meaning «someone else took this time» (or it stopped being free meanwhile). */
const TAKEN_CODES = new Set(['overlaps_booking', 'starts_too_soon', 'outside_schedule_block', 'no_approved_schedule']);

/**
 * Whether a booking or a move failed because the time is no longer free: the server's 409
 * (another booking got it first) or a 422 whose every violation says the slot went away.
 */
export function timeWasTaken(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  const violations = (e.details as { violations?: { code?: string }[] } | undefined)?.violations;
  if (e.status === 409 && e.code === 'conflict') return violations?.some((v) => v.code === 'overlaps_booking') ?? false;
  if (e.status === 422 && Array.isArray(violations) && violations.length > 0)
    return violations.every((v) => typeof v.code === 'string' && TAKEN_CODES.has(v.code));
  return false;
}

/** The optimistic lock: the consultation changed meanwhile (reload it). */
export function staleVersion(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && (e.details as { currentVersion?: unknown } | undefined)?.currentVersion !== undefined;
}
