// Errors are values: a handler throws an HttpError and the router turns it into the one error
// shape of @dp/protocol (ApiErrorResponse). Anything else is a bug → 500 `internal`, logged
// without personal data (see logUnexpected).
import type { ApiErrorCode, ApiErrorDetails, ApiErrorResponse, ApiViolation, FieldErrors } from '@dp/protocol';
import type { Violation } from '@dp/scheduling';
import type { Logger } from 'pino';
import { LifecycleError } from '../consultations/lifecycle-writer.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: ApiErrorDetails | undefined;

  constructor(status: number, code: ApiErrorCode, message: string, details?: ApiErrorDetails) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  body(): ApiErrorResponse {
    return {
      error:
        this.details === undefined
          ? { code: this.code, message: this.message }
          : { code: this.code, message: this.message, details: this.details },
    };
  }
}

export function badRequest(fields: FieldErrors): HttpError {
  return new HttpError(400, 'bad_request', describeFields(fields), fields);
}

/** 404 for an id that does not exist or belongs to another institution; never says which. */
export function notFound(what: string, fields?: FieldErrors): HttpError {
  return new HttpError(404, 'not_found', `no such ${what}`, fields);
}

export function staleVersion(currentVersion: number): HttpError {
  return new HttpError(409, 'conflict', 'the consultation was changed meanwhile: reload it and try again', { currentVersion });
}

/**
 * A step the lifecycle refused (consultations/lifecycle-writer.ts): a stale version keeps its
 * 409 with `currentVersion`; an illegal transition is a 409 `conflict` that names the state
 * and the step (details: { state, event }); a vanished consultation a 404.
 */
export function lifecycleHttpError(e: LifecycleError): HttpError {
  if (e.code === 'not_found') return notFound('consultation');
  if (e.code === 'stale_version') return staleVersion(e.currentVersion ?? 0);
  return new HttpError(409, 'conflict', `the consultation is ${e.state}: ${e.event} is not possible now`, {
    state: String(e.state),
    event: e.event,
  });
}

/** Runs a lifecycle step of a handler, mapping its refusal to the API's error. */
export async function lifecycleStep<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (e) {
    throw e instanceof LifecycleError ? lifecycleHttpError(e) : e;
  }
}

/** A rule of the request's own data that zod cannot see (e.g. who may approve), named by field. */
export function fieldRuleViolation(fields: FieldErrors): HttpError {
  return new HttpError(422, 'rule_violation', describeFields(fields), fields);
}

/**
 * Violations that a retry elsewhere or after a reload can resolve — the time is taken, the
 * consultation's state moved on — are conflicts (409). Everything else breaks a rule of the
 * calendar or schedule (422). A mix is a 422: choosing another free slot fixes both.
 */
const CONFLICT_CODES: ReadonlySet<string> = new Set(['overlaps_booking', 'booking_not_movable', 'booking_not_cancellable']);

export function violationsError(violations: ApiViolation[]): HttpError {
  const conflict = violations.every((v) => CONFLICT_CODES.has(v.code));
  const codes = [...new Set(violations.map((v) => v.code))].join(', ');
  return conflict
    ? new HttpError(409, 'conflict', `conflicts with the timetable: ${codes}`, { violations })
    : new HttpError(422, 'rule_violation', `breaks timetable rules: ${codes}`, { violations });
}

/** The scheduling package's violation as the API shows it, tagged with its specialist. */
export function apiViolation(v: Violation, specialistId?: string): ApiViolation {
  return {
    code: v.code,
    message: v.message,
    ...(specialistId !== undefined ? { specialistId } : {}),
    ...(v.bookingId !== undefined ? { bookingId: v.bookingId } : {}),
  };
}

function describeFields(fields: FieldErrors): string {
  const parts = Object.entries(fields).map(([field, message]) => `${field}: ${message}`);
  return parts.length > 6 ? `${parts.slice(0, 6).join('; ')}; …` : parts.join('; ');
}

/**
 * Unexpected errors may carry personal data in their message (PostgreSQL quotes the failing
 * row of a CHECK violation; Prisma quotes arguments), so only the error's class, its
 * driver/Prisma code and the stack frames — not the message — reach the log.
 */
export function logUnexpected(log: Logger, err: unknown, route: string): void {
  const e = err as { name?: unknown; code?: unknown; stack?: unknown };
  const frames = typeof e?.stack === 'string' ? e.stack.split('\n').filter((l) => l.trimStart().startsWith('at ')) : [];
  log.error(
    {
      route,
      errName: typeof e?.name === 'string' ? e.name : typeof err,
      errCode: typeof e?.code === 'string' ? e.code : undefined,
      frames: frames.slice(0, 8),
    },
    'unexpected error in an API handler',
  );
}

/** PostgreSQL's unique_violation, from a model call (P2002) or a raw query (P2010 with the driver's code). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return err.code === 'P2002' || err.meta?.driverAdapterError?.cause?.originalCode === '23505';
}
