import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { SignedOut } from '@dp/protocol';
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

describe('the staff API client', () => {
  it('sends the session cookie, and the CSRF token only on state-changing requests', async () => {
    setCsrfToken('csrf-1');
    answer(200, { signedOut: 2 });
    expect(await api.post('/auth/sign-out-everywhere', {}, { schema: SignedOut })).toEqual({ signedOut: 2 });
    await api.get('/account/sessions', { query: { a: 'x', b: undefined, c: '' } });
    const [postUrl, post] = calls[0]!;
    const [getUrl, get] = calls[1]!;
    expect(postUrl).toBe('/api/auth/sign-out-everywhere');
    expect(post.credentials).toBe('same-origin');
    expect((post.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
    expect(getUrl).toBe('/api/account/sessions?a=x');
    expect((get.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('turns the error shape into an ApiError with code, status, details and Retry-After', async () => {
    answer(429, { error: { code: 'too_many_attempts', message: 'locked', details: { retryAfterSeconds: 600 } } }, { 'Retry-After': '600' });
    const e = await api.post('/auth/sign-in', { email: 'a@b.ru', password: 'x' }, { public: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'too_many_attempts', status: 429, retryAfter: 600, details: { retryAfterSeconds: 600 } });
  });

  it('reports an ended session from signed-in calls, not from public ones', async () => {
    const seen: string[] = [];
    const off = onSessionProblem((e) => seen.push(e.code));
    answer(401, { error: { code: 'unauthenticated', message: 'sign in' } });
    await api.get('/auth/session', { public: true }).catch(() => undefined);
    expect(seen).toEqual([]);
    await api.get('/account/sessions').catch(() => undefined);
    answer(403, { error: { code: 'totp_setup_required', message: 'set up' } });
    await api.get('/staff').catch(() => undefined);
    expect(seen).toEqual(['unauthenticated', 'totp_setup_required']);
    off();
  });

  it('refuses an answer that does not match its schema', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    answer(200, { signedOut: 'many' });
    await expect(api.post('/auth/sign-out', {}, { schema: SignedOut })).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('names a network failure', async () => {
    globalThis.fetch = jest.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(api.get('/institutions')).rejects.toMatchObject({ code: 'network', status: 0 });
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
