import { z } from 'zod';
import { Uuid } from './common.ts';

// Every error of the staff REST API has one shape: { error: { code, message, details? } }.
// `code` is stable (the web app maps it to a Russian sentence); `message` is English for
// logs and developers; `details` says which fields or which rules, never a stack trace.

export const apiErrorCodes = [
  'bad_request', // 400: input did not match its schema; details: field → message
  'unauthenticated', // 401: not signed in, or the session ended (idle or absolute timeout, signed out)
  'invalid_credentials', // 401: wrong e-mail, password or code (never says which)
  'forbidden', // 403: signed in, but the role may not do this
  'csrf_failed', // 403: a state-changing request without the session's X-CSRF-Token
  'totp_setup_required', // 403: an admin must set up the second factor first
  'link_invalid', // 404/410: a one-time link that is unknown, used or expired
  'not_found', // 404: unknown id, or an id of another institution (never says which)
  'conflict', // 409: stale version, the time is taken, or the state forbids it; details.violations / currentVersion
  'payload_too_large', // 413
  'unsupported_file_type', // 415: an uploaded file whose content is not of an allowed type (checked by content, not by name)
  'too_many_attempts', // 429: password attempts are locked for a while, or too many are checked at once (Retry-After)
  'rule_violation', // 422: well-formed, but breaks a rule of the timetable; details.violations or field → message
  'internal', // 500: logged on the server without personal data
] as const;
export const ApiErrorCode = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/**
 * The scheduling package's violation codes (packages/scheduling/src/violations.ts), repeated
 * here because this package must not depend on the rules (luxon) — a test in
 * apps/signalling keeps the two lists equal.
 */
export const violationCodes = [
  'duration_invalid',
  'start_invalid',
  'day_off',
  'outside_working_hours',
  'overlaps_lunch',
  'no_approved_schedule',
  'outside_schedule_block',
  'precheck_outside_working_hours',
  'precheck_overlaps_lunch',
  'overlaps_booking',
  'starts_too_soon',
  'booking_not_found',
  'booking_not_movable',
  'booking_not_cancellable',
  'calendar_invalid',
  'schedule_invalid',
] as const;
export const ViolationCode = z.enum(violationCodes);
export type ViolationCode = z.infer<typeof ViolationCode>;

/** One broken timetable rule. */
export const ApiViolation = z
  .object({
    code: ViolationCode,
    message: z.string(),
    /** Whose rule it is, when the consultation has several specialists. */
    specialistId: Uuid.optional(),
    /** The other consultation, for `overlaps_booking`. */
    bookingId: Uuid.optional(),
  })
  .meta({ id: 'Violation' });
export type ApiViolation = z.infer<typeof ApiViolation>;

/** 400 (and 404/422 on referenced ids): which input field is wrong → why, e.g. { 'durationMinutes': 'Too big…', 'query.from': '…' }. */
export const FieldErrors = z.record(z.string(), z.string()).meta({
  description: "Field path → message. Body fields as they are ('clients.0.email'); query and path parameters prefixed ('query.from').",
});
export type FieldErrors = z.infer<typeof FieldErrors>;

export const ApiErrorDetails = z.union([
  z.object({ violations: z.array(ApiViolation) }),
  z.object({ currentVersion: z.number().int() }),
  z.object({ retryAfterSeconds: z.number().int() }),
  /** 409 of a schedule change that would leave these booked consultations outside the schedule. */
  z.object({ consultations: z.array(z.object({ id: Uuid, start: z.string(), durationMinutes: z.number().int() })) }),
  FieldErrors,
]);
export type ApiErrorDetails = z.infer<typeof ApiErrorDetails>;

export const ApiErrorResponse = z
  .object({
    error: z.object({
      code: ApiErrorCode,
      message: z.string(),
      details: ApiErrorDetails.optional(),
    }),
  })
  .meta({ id: 'ApiError' });
export type ApiErrorResponse = z.infer<typeof ApiErrorResponse>;
