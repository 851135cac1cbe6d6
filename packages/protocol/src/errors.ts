import { z } from 'zod';

/**
 * Error codes travel to clients; the web app maps each to a Russian sentence
 * (locale files), while `message` is English and meant for logs and developers.
 */
export const errorCodes = [
  'bad_request', // the message did not match its schema
  'payload_too_large',
  'unknown_event',
  'invalid_token', // a link that is malformed or forged (or unknown)
  'link_expired', // a genuine link past its validity (the consultation is long over)
  'link_revoked', // a genuine link that staff revoked (or whose holder a host removed)
  'not_joined', // a room request before `join`
  'already_joined',
  'room_closed',
  'not_admitted', // still in the waiting room: the specialist or curator has not let this peer in
  'removed', // a host removed this participant from the consultation's room
  'not_open_yet', // the consultation's room opens later (details.opensAt)
  'consultation_over', // past its 60-minute limit, or ended
  'cancelled', // cancelled or failed (rescheduled consultations get a new time)
  'technical_failure', // the specialist's equipment failed before the start; a new time follows
  'unauthenticated', // staff: no live session (sign in again)
  'forbidden', // the role may not do this
  'not_found', // an id the peer does not own (never says whose it is)
  'rate_limited',
  'sfu_unavailable',
  'media_error', // mediasoup refused the parameters
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Machine-readable specifics a screen may show (e.g. `opensAt` for a countdown). */
  details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Every socket.io acknowledgement has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string | number> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, string | number>) {
    super(message);
    this.name = 'ProtocolError';
    this.code = code;
    this.details = details;
  }
}

/** Largest accepted socket.io payload (a full SDP-free mediasoup parameter set is ~6 KB). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
