// How a ProtocolError (the socket's error codes: invalid_token, link_expired, rate_limited …)
// answers over HTTP: the link and media routes and the app's last error handler share it.
import type { ProtocolError } from '@dp/protocol';

const STATUS: Readonly<Record<string, number>> = {
  invalid_token: 404,
  not_found: 404,
  link_expired: 410,
  link_revoked: 410,
  forbidden: 403,
  rate_limited: 429,
  sfu_unavailable: 503,
};

export interface ProtocolErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; details?: { retryAfterSeconds: unknown } } };
}

export function protocolErrorAnswer(err: ProtocolError): ProtocolErrorAnswer {
  const status = STATUS[err.code as string] ?? 400;
  // A refusal by a limit says when to try again (the page shows a calm «подождите минуту»).
  const retryAfter = err.code === 'rate_limited' ? err.details?.retryAfterSeconds : undefined;
  return {
    status,
    headers: retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {},
    body: {
      error: {
        code: err.code,
        message: err.message,
        ...(retryAfter !== undefined ? { details: { retryAfterSeconds: retryAfter } } : {}),
      },
    },
  };
}
