import type { ErrorCode } from '@dp/protocol';

/** Failures the browser detects itself, next to the server's protocol codes. */
export type LocalErrorCode = 'timeout' | 'network' | 'disconnected' | 'media' | 'unsupported_browser';
export type ClientErrorCode = ErrorCode | LocalErrorCode;

export class RoomError extends Error {
  readonly code: ClientErrorCode;
  constructor(code: ClientErrorCode, message: string) {
    super(message);
    this.name = 'RoomError';
    this.code = code;
  }
}

/** Any thrown value as a RoomError: unknown failures are `internal`, never raw text for users. */
export function toRoomError(e: unknown): RoomError {
  if (e instanceof RoomError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new RoomError('internal', msg);
}

/** Codes after which trying again (same link) can help. */
export function isRetryable(code: ClientErrorCode): boolean {
  return !['invalid_token', 'link_expired', 'link_revoked', 'forbidden', 'unsupported_browser', 'removed'].includes(code);
}

/** Codes worth retrying silently while recovering from a lost connection. */
export function isTransient(code: ClientErrorCode): boolean {
  return (
    code === 'timeout' ||
    code === 'network' ||
    code === 'sfu_unavailable' ||
    code === 'internal' ||
    code === 'not_joined' ||
    code === 'already_joined' || // the server may not yet have dropped our previous socket
    code === 'rate_limited' ||
    code === 'media_error'
  );
}

/** The i18n key of the sentence shown for a code (all of them exist in both locale files). */
export function errorMessageKey(code: ClientErrorCode): `errors.${ClientErrorCode}` {
  return `errors.${code}`;
}
