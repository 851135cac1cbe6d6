import {
  CSRF_HEADER,
  contract,
  grantOf,
  pathOf,
  type ApiErrorCode,
  type BodyOf,
  type Contract,
  type Operation,
  type OperationName,
  type ParamsOf,
  type QueryOf,
  type ResponseOf,
} from '@dp/protocol';

// The REST API (/api) from the browser, by the contract's operation names only (no path is
// written in apps/web/src; api-paths.test.ts keeps it so): same origin, the session in an
// httpOnly cookie, the session's CSRF token in a header on every state-changing request, the
// answer checked against the operation's response schema, and one error shape
// ({ error: { code, message, details? } }) turned into an ApiError.

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

/** What a call may add to the contract's entry. */
export interface CallOptions {
  /**
   * Session-less calls (the session probe, sign-out, a room's records) do not report session
   * problems. Default: true for the operations the permission matrix opens to anyone.
   */
  public?: boolean;
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  /** Cancels the call (it then rejects with `network`, or `timeout` when the time ran out). */
  signal?: AbortSignal;
}

/** GET operations take a query string, the others a JSON body. */
export type InputOf<K extends OperationName> = Contract[K]['method'] extends 'get' ? QueryOf<K> : BodyOf<K>;

/** `api.call`'s arguments after the name: the path parameters, then the query or body (omissible when nothing in it is required). */
export type CallArgs<K extends OperationName> =
  undefined extends InputOf<K>
    ? [params: ParamsOf<K>, input?: InputOf<K>, opts?: CallOptions]
    : Record<string, never> extends InputOf<K>
      ? [params: ParamsOf<K>, input?: InputOf<K>, opts?: CallOptions]
      : [params: ParamsOf<K>, input: InputOf<K>, opts?: CallOptions];

const TIMEOUT_MS = 20_000;

function queryString(query: unknown): string {
  if (!query || typeof query !== 'object') return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * Calls one operation of the REST contract (packages/protocol/src/contract) by its name:
 * the address from its path and `params`, the query (GET) or the JSON body (the others), the
 * CSRF header on every state-changing call, and the answer checked against the operation's
 * response schema.
 */
async function call<K extends OperationName>(name: K, ...[params, input, opts = {}]: CallArgs<K>): Promise<ResponseOf<K>> {
  const op: Operation = contract[name];
  const method = op.method.toUpperCase();
  const get = op.method === 'get';
  const quiet = opts.public ?? grantOf(op.action, 'anyone') === 'public';
  // A JSON body when the operation takes one (`{}` when it takes an empty one).
  const withBody = !get && (op.body !== undefined || input !== undefined);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (withBody) headers['Content-Type'] = 'application/json';
  if (!get && csrfToken) headers[CSRF_HEADER] = csrfToken;
  // One signal for the time limit and the caller's (AbortSignal.any is too new for older phones).
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, opts.timeoutMs ?? TIMEOUT_MS);
  const stop = () => abort.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  if (opts.signal?.aborted) abort.abort();
  const url = `/api${pathOf(op, params as Record<string, string>)}${get ? queryString(input) : ''}`;
  let res: Response;
  let data: unknown;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: withBody ? JSON.stringify(input ?? {}) : undefined,
      signal: abort.signal,
    });
    data = await res.json().catch(() => undefined);
  } catch {
    throw new ApiError(timedOut ? 'timeout' : 'network', 0, timedOut ? 'request timed out' : 'network error');
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', stop);
  }
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
    if (!quiet && (error.code === 'unauthenticated' || error.code === 'totp_setup_required')) {
      for (const l of listeners) l(error);
    }
    throw error;
  }
  try {
    return (op.response as Contract[K]['response']).parse(data) as ResponseOf<K>;
  } catch (e) {
    console.error(`[api] unexpected answer to ${name}`, e);
    throw new ApiError('bad_response', res.status, 'the answer did not match its schema');
  }
}

/**
 * The address of a GET operation that answers a file (an export: XLSX, CSV, .ics), for an
 * `<a href download>`: the browser downloads it with the session cookie; no JSON to check.
 */
function href<K extends OperationName>(name: K, params: ParamsOf<K>, query?: QueryOf<K>): string {
  const op: Operation = contract[name];
  if (op.method !== 'get' || !op.produces) throw new Error(`${name} is not a file download`);
  return `/api${pathOf(op, params as Record<string, string>)}${queryString(query)}`;
}

/**
 * Sends a file to an operation that `consumes` raw bytes (application/octet-stream, no
 * multipart): the query (its name) in the address, the CSRF header, the answer checked like
 * `call`'s. Uploads get a longer time limit (default 120 s).
 */
async function upload<K extends OperationName>(
  name: K,
  params: ParamsOf<K>,
  query: QueryOf<K>,
  file: Blob,
  opts: CallOptions = {},
): Promise<ResponseOf<K>> {
  const op: Operation = contract[name];
  if (!op.consumes) throw new Error(`${name} does not take a file`);
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': op.consumes };
  if (csrfToken) headers[CSRF_HEADER] = csrfToken;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, opts.timeoutMs ?? 120_000);
  let res: Response;
  let data: unknown;
  try {
    res = await fetch(`/api${pathOf(op, params as Record<string, string>)}${queryString(query)}`, {
      method: op.method.toUpperCase(),
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: file,
      signal: abort.signal,
    });
    data = await res.json().catch(() => undefined);
  } catch {
    throw new ApiError(timedOut ? 'timeout' : 'network', 0, timedOut ? 'request timed out' : 'network error');
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(
      (err?.code as ApiErrorCode | undefined) ?? (res.status >= 500 ? 'internal' : 'bad_response'),
      res.status,
      err?.message ?? `HTTP ${res.status}`,
      err?.details,
    );
  }
  try {
    return (op.response as Contract[K]['response']).parse(data) as ResponseOf<K>;
  } catch {
    throw new ApiError('bad_response', res.status, 'the answer did not match its schema');
  }
}

/**
 * The only way the web calls /api: `api.call('consultations.reschedule', { consultationId }, body)`;
 * downloads: `api.href(…)`; file uploads: `api.upload(…)`.
 */
export const api = { call, href, upload };

/** The code of any thrown value, for messages. */
export function errorCode(e: unknown): ClientErrorCode {
  return e instanceof ApiError ? e.code : 'internal';
}
