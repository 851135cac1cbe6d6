import { CSRF_HEADER, type ApiErrorCode } from '@dp/protocol';

// The staff REST API (/api) from the browser: same origin, the session in an httpOnly
// cookie, the session's CSRF token in a header on every state-changing request, and one
// error shape ({ error: { code, message, details? } }) turned into an ApiError.

/** The server's codes plus what can go wrong before an answer arrives. */
export type ClientErrorCode = ApiErrorCode | 'network' | 'timeout' | 'bad_response';

export class ApiError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
  readonly details: unknown;
  /** Seconds from the Retry-After header (429), when given. */
  readonly retryAfter: number | undefined;

  constructor(code: ClientErrorCode, status: number, message: string, details?: unknown, retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

/** Anything with zod's `parse` (the protocol's schemas): the answer is checked against it. */
export interface Parser<T> {
  parse(data: unknown): T;
}

let csrfToken: string | null = null;

/** The session provider keeps this in step with the current session. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = (error: ApiError) => void;
const listeners = new Set<Listener>();

/**
 * Called on `unauthenticated` (the session ended: idle, signed out elsewhere, deactivated)
 * and `totp_setup_required` answers of calls made while signed in, so that the session
 * provider can send the user where they must go. Returns the unsubscribe function.
 */
export function onSessionProblem(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions<T> {
  body?: unknown;
  query?: Query;
  schema?: Parser<T>;
  /** Session-less calls (sign-in, password links, the session probe) do not report session problems. */
  public?: boolean;
}

const TIMEOUT_MS = 20_000;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (STATE_CHANGING.has(method) && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api${withQuery(path, opts.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    const timeout = e instanceof DOMException && e.name === 'TimeoutError';
    throw new ApiError(timeout ? 'timeout' : 'network', 0, timeout ? 'request timed out' : 'network error');
  }
  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const retry = Number(res.headers.get('Retry-After'));
    const error = new ApiError(
      (err?.code as ApiErrorCode | undefined) ?? (res.status >= 500 ? 'internal' : 'bad_response'),
      res.status,
      err?.message ?? `HTTP ${res.status}`,
      err?.details,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
    if (!opts.public && (error.code === 'unauthenticated' || error.code === 'totp_setup_required')) {
      for (const l of listeners) l(error);
    }
    throw error;
  }
  if (!opts.schema) return data as T;
  try {
    return opts.schema.parse(data);
  } catch (e) {
    console.error(`[api] unexpected answer from ${method} ${path}`, e);
    throw new ApiError('bad_response', res.status, 'the answer did not match its schema');
  }
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions<T>, 'body'>) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions<T>, 'body'>) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts?: Omit<RequestOptions<T>, 'body'>) => request<T>('PATCH', path, { ...opts, body }),
  delete: <T>(path: string, opts?: Omit<RequestOptions<T>, 'body'>) => request<T>('DELETE', path, opts),
};

/** The code of any thrown value, for messages. */
export function errorCode(e: unknown): ClientErrorCode {
  return e instanceof ApiError ? e.code : 'internal';
}
