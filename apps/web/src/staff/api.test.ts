import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ApiError, api, onSessionProblem, setCsrfToken } from './api.ts';
import { safeNext } from './format.ts';

type FetchArgs = [string, RequestInit];
const realFetch = globalThis.fetch;
let calls: FetchArgs[];

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  globalThis.fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push([String(url), init ?? {}]);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
  }) as typeof fetch;
}

beforeEach(() => {
  calls = [];
  setCsrfToken(null);
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

const uuid = '0190a000-0000-7000-8000-000000000001';
const at = '2026-03-03T09:30:00.000Z';
const member = {
  id: uuid,
  institutionId: uuid,
  departmentId: uuid,
  email: 'a@b.ru',
  displayName: 'А',
  role: 'head',
  active: false,
  specialist: null,
  createdAt: at,
  passwordSet: true,
  lastSignInAt: null,
};

describe('the REST client (api.call by operation name)', () => {
  it('builds the address from the contract, sends the session cookie, and the CSRF token only on state-changing calls', async () => {
    setCsrfToken('csrf-1');
    answer(200, { signedOut: 2 });
    expect(await api.call('auth.sign_out_everywhere', {})).toEqual({ signedOut: 2 });
    answer(200, { consultations: [] });
    await api.call('consultations.list', { institutionId: 'a/b' }, { from: at, to: at, specialistId: undefined });
    const [postUrl, post] = calls[0]!;
    const [getUrl, get] = calls[1]!;
    expect(postUrl).toBe('/api/auth/sign-out-everywhere');
    expect(post.method).toBe('POST');
    expect(post.credentials).toBe('same-origin');
    expect((post.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
    // The path parameter URI-encoded; empty query fields left out.
    expect(getUrl).toBe(`/api/institutions/a%2Fb/consultations?from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`);
    expect(get.method).toBe('GET');
    expect(get.body).toBeUndefined();
    expect((get.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('sends the body as JSON with the contract’s method, and none when the operation takes none', async () => {
    setCsrfToken('csrf-2');
    answer(200, member);
    await api.call('staff.update', { staffId: uuid }, { active: false });
    answer(200, { signedOut: 1 });
    await api.call('account.end_session', { sessionId: uuid });
    const [patchUrl, patch] = calls[0]!;
    const [deleteUrl, del] = calls[1]!;
    expect([patchUrl, patch.method, patch.body]).toEqual([`/api/staff/${uuid}`, 'PATCH', '{"active":false}']);
    expect((patch.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect([deleteUrl, del.method, del.body]).toEqual([`/api/account/sessions/${uuid}`, 'DELETE', undefined]);
    expect((del.headers as Record<string, string>)['Content-Type']).toBeUndefined();
    expect((del.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-2');
  });

  it('turns the error shape into an ApiError with code, status, details and Retry-After', async () => {
    answer(429, { error: { code: 'too_many_attempts', message: 'locked', details: { retryAfterSeconds: 600 } } }, { 'Retry-After': '600' });
    const e = await api.call('auth.sign_in', {}, { email: 'a@b.ru', password: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'too_many_attempts', status: 429, retryAfter: 600, details: { retryAfterSeconds: 600 } });
  });

  it('reports an ended session from signed-in calls, not from public ones', async () => {
    const seen: string[] = [];
    const off = onSessionProblem((e) => seen.push(e.code));
    answer(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    await api.call('auth.session', {}, {}, { public: true }).catch(() => undefined);
    // Open to anyone in the permission matrix: public without being told.
    await api.call('auth.password_link', { token: 'x' }).catch(() => undefined);
    expect(seen).toEqual([]);
    await api.call('account.sessions', {}).catch(() => undefined);
    answer(403, { error: { code: 'totp_setup_required', message: 'set up' } });
    await api.call('institutions.list', {}).catch(() => undefined);
    expect(seen).toEqual(['unauthenticated', 'totp_setup_required']);
    off();
  });

  it('checks every answer against the operation’s response schema', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    answer(200, { signedOut: 'many' });
    await expect(api.call('auth.sign_out', {})).rejects.toMatchObject({ code: 'bad_response' });
    answer(200, { ...member, role: 'janitor' });
    await expect(api.call('staff.get', { staffId: uuid })).rejects.toMatchObject({ code: 'bad_response' });
    answer(200, member);
    await expect(api.call('staff.get', { staffId: uuid })).resolves.toMatchObject({ id: uuid, role: 'head' });
  });

  it('names a network failure and a time-out', async () => {
    globalThis.fetch = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(api.call('institutions.list', {})).rejects.toMatchObject({ code: 'network', status: 0 });
    globalThis.fetch = jest.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        ),
    ) as typeof fetch;
    await expect(api.call('media.capabilities', {}, {}, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'timeout', status: 0 });
  });
});

describe('safeNext', () => {
  it('keeps paths of this app and drops anything that could leave it', () => {
    expect(safeNext('/admin/staff?institution=1')).toBe('/admin/staff?institution=1');
    expect(safeNext('//evil.example/x')).toBeNull();
    expect(safeNext('/\\evil.example')).toBeNull();
    expect(safeNext('https://evil.example')).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});
