// Sign-in and everything around it, against the real router (startApi: real PostgreSQL, real
// Redis for the lock-out counters): the session cookie's attributes, the same answer for a
// wrong password and an unknown e-mail, lock-out and its end — also under parallel attempts,
// counted in real argon2 runs — and the caps on argon2 at once, the second factor sent with the
// password in one request (any wrong part answers alike) with replay protection, wrong
// passwords on turning it off, the admin's forced TOTP set-up, idle and absolute expiry, signing out (here,
// everywhere, one other device), password change, CSRF, one-time password links, what an
// admin's changes do to sessions — and the audit log that records it all without a secret.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { generateSync } from 'otplib';
import { createPrisma, type PrismaClient, type StaffRole, type StaffUser } from '@dp/db';
import {
  CSRF_HEADER,
  SESSION_COOKIE,
  type AuditList,
  type Institution,
  type PasswordLinkInfo,
  type PasswordLinkIssued,
  type SessionInfo,
  type SessionList,
  type StaffCreated,
  type StaffMember,
  type TotpSetup,
} from '@dp/protocol';
import {
  OMSK_CALENDAR,
  TEST_PASSWORD,
  createTestDatabase,
  startApi,
  type Answer,
  type ApiUnderTest,
  type Identity,
} from '../api/support.ts';
import { passwordChecks } from '../../src/auth/passwords.ts';
import { newTotpSecret } from '../../src/auth/totp.ts';
import { waitFor } from '../wait-for.ts';

// Nearly every test runs real argon2 (64 MiB, ~60 ms on a quiet core): a busy machine needs more than 5 s.
jest.setTimeout(30_000);

const NOW = new Date('2026-03-01T00:00:00Z');
const IDLE = 600;
const ABSOLUTE = 3600;
const MAX_FAILURES = 3;
/** Long enough that a few sequential argon2 runs on a busy machine stay inside one counting window. */
const LOCK_SECONDS = 4;
const MAX_FAILURES_PER_IP = 5;

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let api: ApiUnderTest;
let institution: Institution;

/** Everything secret the tests handle: none of it may ever reach the audit log. */
const secrets = new Set<string>([TEST_PASSWORD]);
const remember = <T extends string>(s: T): T => {
  secrets.add(s);
  return s;
};

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });
  api = await startApi({
    prisma,
    now: NOW,
    signIn: { maxFailures: MAX_FAILURES, lockSeconds: LOCK_SECONDS, maxFailuresPerIp: MAX_FAILURES_PER_IP },
    session: { idleSeconds: IDLE, absoluteSeconds: ABSOLUTE },
  });
  const res = await api.post<Institution>('/institutions', { name: 'КЦСОН Седельниково', calendar: OMSK_CALENDAR });
  expect(res.status).toBe(201);
  institution = res.body;
}, 60_000);

afterAll(async () => {
  await api?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

// --- helpers -----------------------------------------------------------------------------------

/** Each sign-in comes from an address of its own (X-Forwarded-For from loopback is trusted), so per-address limits stay out of the way. */
const someIp = () => `198.51.100.${randomInt(1, 255)}`;

function signIn(email: string, password: string, opts: { totp?: string; ip?: string; headers?: Record<string, string> } = {}) {
  return api.call<SessionInfo>(
    'POST',
    '/auth/sign-in',
    { email, password: remember(password), ...(opts.totp ? { totp: opts.totp } : {}) },
    { as: null, headers: { 'x-forwarded-for': opts.ip ?? someIp(), ...opts.headers } },
  );
}

/** The Set-Cookie line of the session cookie. */
function sessionSetCookie(res: Answer<unknown>): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!line) throw new Error(`no ${SESSION_COOKIE} cookie set (status ${res.status})`);
  return line;
}

/** The browser after a successful sign-in: its cookie and the CSRF token from the answer. */
async function identityOf(res: Answer<SessionInfo>): Promise<Identity> {
  expect(res.status).toBe(200);
  const cookie = remember(sessionSetCookie(res).split(';')[0]!);
  remember(cookie.slice(SESSION_COOKIE.length + 1));
  const user = await prisma.staffUser.findUniqueOrThrow({ where: { id: res.body.user.id } });
  return { user, cookie, csrf: remember(res.body.csrfToken) };
}

/** A member of staff of the test institution with a password (and a first session, unused). */
async function person(role: StaffRole = 'specialist'): Promise<StaffUser> {
  return (await api.staff(role, role === 'admin' ? null : institution.id)).user;
}

const whoAmI = (who: Identity) => api.as(who).get<SessionInfo>('/auth/session');
const statusOf = async (who: Identity) => (await whoAmI(who)).status;

const totpAt = (secret: string, at: Date) => generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** Runs `fn` with the server's clock at NOW + `seconds`, then puts it back. */
async function at<T>(seconds: number, fn: () => Promise<T>): Promise<T> {
  api.clock.now = new Date(NOW.getTime() + seconds * 1000);
  try {
    return await fn();
  } finally {
    api.clock.now = NOW;
  }
}

/** A fresh admin session for reading the audit log (the default admin's may have idled out while clocks moved). */
const auditor = () => api.signIn(api.admin.user);

function tokenOfLink(url: string): string {
  const m = /\/set-password\/([^/?#]+)$/.exec(url);
  if (!m) throw new Error(`not a password link: ${url}`);
  return remember(m[1]!);
}

// --- tests ---------------------------------------------------------------------------------------

describe('sign-in and the session cookie', () => {
  test('the right password: 200, the session, an httpOnly SameSite=Lax cookie for / — not Secure over plain http', async () => {
    const user = await person('head');
    const res = await signIn(user.email, TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { id: user.id, email: user.email, role: 'head', institutionId: institution.id, totpEnabled: false },
      stage: 'active',
      idleTimeoutSeconds: IDLE,
      expiresAt: new Date(NOW.getTime() + ABSOLUTE * 1000).toISOString(),
    });
    const cookie = sessionSetCookie(res);
    const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
    expect(attributes).not.toContain('secure');
    const me = await whoAmI(await identityOf(res));
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(user.id);
  });

  test('behind the TLS proxy (X-Forwarded-Proto: https from loopback) the cookie is Secure', async () => {
    const user = await person();
    const res = await signIn(user.email, TEST_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(
      sessionSetCookie(res)
        .split(';')
        .map((a) => a.trim().toLowerCase()),
    ).toContain('secure');
  });

  test('e-mail is case-insensitive', async () => {
    const user = await person();
    expect((await signIn(user.email.toUpperCase(), TEST_PASSWORD)).status).toBe(200);
  });

  test('a wrong password and an unknown e-mail answer exactly the same 401 invalid_credentials', async () => {
    const user = await person();
    const wrong = await signIn(user.email, 'not the password at all');
    const unknown = await signIn('nobody-here@example.org', TEST_PASSWORD);
    expect(wrong.status).toBe(401);
    expect(wrong.error.code).toBe('invalid_credentials');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  test('an account without a password yet (a new one) cannot sign in', async () => {
    const user = (await api.staff('specialist', institution.id, { password: false })).user;
    expect((await signIn(user.email, TEST_PASSWORD)).error.code).toBe('invalid_credentials');
  });
});

describe('lock-out after repeated failures', () => {
  test(`${MAX_FAILURES} failures lock the e-mail: 429 with Retry-After, even with the right password; then it expires and clears`, async () => {
    const user = await person();
    expect((await signIn(user.email, 'wrong password 1')).status).toBe(401);
    expect((await signIn(user.email, 'wrong password 2')).status).toBe(401);
    const third = await signIn(user.email, 'wrong password 3');
    expect(third.status).toBe(429);
    expect(third.error).toMatchObject({ code: 'too_many_attempts', details: { retryAfterSeconds: LOCK_SECONDS } });
    expect(third.headers.get('retry-after')).toBe(String(LOCK_SECONDS));

    // Locked: the right password from any address answers 429 too, and no cookie.
    const right = await signIn(user.email, TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.error.code).toBe('too_many_attempts');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(LOCK_SECONDS);
    expect(right.headers.getSetCookie()).toEqual([]);

    // The lock runs out by itself: the right password is let in as soon as it has, not before.
    const lockedAt = Date.now();
    await waitFor(async () => (await signIn(user.email, TEST_PASSWORD)).status === 200, {
      timeoutMs: (LOCK_SECONDS + 5) * 1000,
      everyMs: 200,
      what: 'the lock to run out',
    });
    expect(Date.now() - lockedAt).toBeGreaterThanOrEqual((LOCK_SECONDS - 1) * 1000);
    // The success cleared the counter: two more failures are not a lock yet.
    expect((await signIn(user.email, 'wrong password 4')).status).toBe(401);
    expect((await signIn(user.email, 'wrong password 5')).status).toBe(401);
    expect((await signIn(user.email, 'wrong password 6')).status).toBe(429);

    const locked = await prisma.auditEvent.findMany({ where: { action: 'auth.locked', targetId: user.id } });
    expect(locked).toHaveLength(2);
  }, 30_000);

  test('an unknown e-mail is locked the same way (the answers never tell whether it exists)', async () => {
    const email = 'ghost@example.org';
    const answers = [];
    for (let i = 0; i < MAX_FAILURES + 1; i++) answers.push(await signIn(email, `guess number ${i}`));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 429, 429]);
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeLessThanOrEqual(LOCK_SECONDS);
  });

  test(`one address: ${MAX_FAILURES_PER_IP} failures over any accounts lock the address, not the accounts elsewhere`, async () => {
    const user = await person();
    const ip = '203.0.113.9';
    // In parallel, so that the counting window cannot run out between them however busy the machine.
    const statuses = await Promise.all(
      Array.from({ length: MAX_FAILURES_PER_IP }, async (_, i) => (await signIn(`someone-${i}@example.org`, 'guess', { ip })).status),
    );
    // Exactly one attempt took the address's last point: it answers 429, the others 401.
    expect(statuses.sort()).toEqual([...Array<number>(MAX_FAILURES_PER_IP - 1).fill(401), 429]);
    expect((await signIn(user.email, TEST_PASSWORD, { ip })).status).toBe(429);
    expect((await signIn(user.email, TEST_PASSWORD, { ip: '203.0.113.10' })).status).toBe(200);
  });
});

describe('the lock-out under load (parallel attempts, argon2 at once)', () => {
  // A server of its own with the production-like budget of 5 per e-mail.
  const LIMIT = 5;
  let loaded: ApiUnderTest;
  let place: Institution;
  beforeAll(async () => {
    loaded = await startApi({
      prisma,
      now: NOW,
      signIn: { maxFailures: LIMIT, lockSeconds: 60, maxFailuresPerIp: 50, maxConcurrentChecks: 3, maxConcurrentChecksPerAddress: 2 },
    });
    const res = await loaded.post<Institution>('/institutions', { name: 'КЦСОН Тара', calendar: OMSK_CALENDAR });
    expect(res.status).toBe(201);
    place = res.body;
  }, 60_000);
  afterAll(async () => {
    await loaded?.close();
  }, 30_000);
  const signInTo = (server: ApiUnderTest, email: string, password: string, ip = someIp(), totp?: string) =>
    server.call<SessionInfo>(
      'POST',
      '/auth/sign-in',
      { email, password: remember(password), ...(totp ? { totp } : {}) },
      { as: null, headers: { 'x-forwarded-for': ip } },
    );

  test(`20 parallel attempts, 19 wrong and the right one last: at most ${LIMIT} passwords evaluated, the right one refused`, async () => {
    const user = (await loaded.staff('specialist', place.id)).user;
    const before = passwordChecks.started;
    let refused = 0;
    const wrong = Array.from({ length: 19 }, (_, i) =>
      signInTo(loaded, user.email, `wrong guess number ${i}`).then((a) => ((refused += a.status === 429 ? 1 : 0), a)),
    );
    // The budget is spent (a wrong one was refused without its password being looked at) while
    // argon2 is still busy with the first ones: only then the right password goes.
    await waitFor(() => refused > 0, { timeoutMs: 10_000, what: 'the budget spent' });
    const right = signInTo(loaded, user.email, TEST_PASSWORD);
    const answers = await Promise.all([...wrong, right]);
    const evaluated = passwordChecks.started - before;
    expect(evaluated).toBeGreaterThanOrEqual(1);
    expect(evaluated).toBeLessThanOrEqual(LIMIT);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT - 1);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect([answers[19]!.status, answers[19]!.error.code]).toEqual([429, 'too_many_attempts']);
    expect(answers.flatMap((a) => a.headers.getSetCookie())).toEqual([]);
    // Still locked: the right password from anywhere is refused without being looked at.
    const after = passwordChecks.started;
    expect((await signInTo(loaded, user.email, TEST_PASSWORD)).status).toBe(429);
    expect(passwordChecks.started).toBe(after);
    expect(await prisma.staffSession.count({ where: { staffUserId: user.id, createdAt: { gt: NOW } } })).toBe(0);
  }, 30_000);

  test('argon2 runs at most 2 at once for one address and 3 in all; the others wait their turn and get in', async () => {
    const people = await Promise.all(Array.from({ length: 8 }, () => loaded.staff('specialist', place.id)));
    passwordChecks.peak = passwordChecks.running;
    const office = '198.51.100.77';
    const fromOne = await Promise.all(people.slice(0, 5).map((p) => signInTo(loaded, p.user.email, TEST_PASSWORD, office)));
    expect(fromOne.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(passwordChecks.peak).toBeLessThanOrEqual(2);
    passwordChecks.peak = passwordChecks.running;
    const fromMany = await Promise.all(people.map((p) => signInTo(loaded, p.user.email, TEST_PASSWORD)));
    expect(fromMany.map((a) => a.status)).toEqual(Array<number>(8).fill(200));
    expect(passwordChecks.peak).toBeGreaterThanOrEqual(2);
    expect(passwordChecks.peak).toBeLessThanOrEqual(3);
    // Successes gave the address its points back: the office can go on signing in.
    expect((await signInTo(loaded, people[5]!.user.email, TEST_PASSWORD, office)).status).toBe(200);
  }, 30_000);

  test('when no argon2 slot comes free in time: 429 with Retry-After, and the attempt costs nothing', async () => {
    const busy = await startApi({
      prisma,
      now: NOW,
      signIn: { maxFailures: 2, lockSeconds: 60, maxConcurrentChecks: 1, maxWaitMs: 1 },
    });
    try {
      const people = await Promise.all(Array.from({ length: 6 }, () => busy.staff('admin', null)));
      const answers = await Promise.all(people.map((p) => signInTo(busy, p.user.email, TEST_PASSWORD)));
      const refused = answers.flatMap((a, i) => (a.status === 429 ? [{ a, user: people[i]!.user }] : []));
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(refused[0]!.a.error.code).toBe('too_many_attempts');
      expect(Number(refused[0]!.a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(1);
      // Turned away is not failed: the e-mail's budget of 2 is whole (else this wrong one would lock).
      const email = refused[0]!.user.email;
      expect((await signInTo(busy, email, 'wrong once')).status).toBe(401);
      expect((await signInTo(busy, email, TEST_PASSWORD)).status).toBe(200);
      expect(busy.logs).toEqual([]);
    } finally {
      await busy.close();
    }
  }, 30_000);

  test('a wrong password with the right code, the right password with a wrong or no code, an unknown e-mail: one and the same answer', async () => {
    const user = (await loaded.staff('specialist', place.id)).user;
    const secret = remember(newTotpSecret());
    await prisma.staffUser.update({ where: { id: user.id }, data: { totpSecret: secret, totpEnabledAt: NOW } });
    const code = totpAt(secret, NOW);
    const wrongCode = code === '123456' ? '654321' : '123456';
    const answers = [
      await signInTo(loaded, user.email, 'not the password', someIp(), code),
      await signInTo(loaded, user.email, TEST_PASSWORD, someIp(), wrongCode),
      await signInTo(loaded, user.email, TEST_PASSWORD),
      await signInTo(loaded, 'nobody-at-all@example.org', TEST_PASSWORD, someIp(), code),
    ];
    for (const a of answers) {
      expect([a.status, a.error.code]).toEqual([401, 'invalid_credentials']);
      expect(a.body).toEqual(answers[0]!.body);
      expect(a.headers.get('retry-after')).toBeNull();
      expect(a.headers.getSetCookie()).toEqual([]);
    }
    // All of it together is right.
    expect((await signInTo(loaded, user.email, TEST_PASSWORD, someIp(), code)).status).toBe(200);
  }, 30_000);

  test('the same code brought by two requests at once signs in only one of them', async () => {
    const user = (await loaded.staff('specialist', place.id)).user;
    const secret = remember(newTotpSecret());
    await prisma.staffUser.update({ where: { id: user.id }, data: { totpSecret: secret, totpEnabledAt: NOW } });
    const code = totpAt(secret, NOW);
    const both = await Promise.all([
      signInTo(loaded, user.email, TEST_PASSWORD, someIp(), code),
      signInTo(loaded, user.email, TEST_PASSWORD, someIp(), code),
    ]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 401]);
    expect(both.find((a) => a.status === 401)!.error.code).toBe('invalid_credentials');
  }, 30_000);

  test('turning the second factor off: wrong passwords count and lock (and lock sign-in too)', async () => {
    const who = await loaded.staff('specialist', place.id);
    await prisma.staffUser.update({ where: { id: who.user.id }, data: { totpSecret: remember(newTotpSecret()), totpEnabledAt: NOW } });
    const statuses = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await loaded.as(who).post('/account/totp/disable', { password: `wrong ${i}` })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    const right = await loaded.as(who).post('/account/totp/disable', { password: TEST_PASSWORD });
    expect([right.status, right.error.code]).toEqual([429, 'too_many_attempts']);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await prisma.staffUser.findUniqueOrThrow({ where: { id: who.user.id } })).totpEnabledAt).not.toBeNull();
    expect((await signInTo(loaded, who.user.email, TEST_PASSWORD)).status).toBe(429);
    const locked = await prisma.auditEvent.findMany({ where: { action: 'auth.locked', targetId: who.user.id } });
    expect(locked).toHaveLength(1);
  }, 30_000);

  test('nothing unexpected was logged here either', () => {
    expect(loaded.logs).toEqual([]);
  });
});

describe('the second factor (TOTP)', () => {
  test('set up and enabled; then no code or a wrong code → invalid_credentials, the right one → in, once', async () => {
    const user = await person();
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const setup = await api.as(who).post<TotpSetup>('/account/totp/setup', {});
    expect(setup.status).toBe(200);
    const secret = remember(setup.body.secret);
    expect(setup.body.otpauthUri).toContain(`secret=${secret}`);
    expect(setup.body.qrSvg).toMatch(/^<svg/);
    // Not yet a second factor: signing in still needs no code.
    expect((await signIn(user.email, TEST_PASSWORD)).status).toBe(200);

    expect((await api.as(who).post('/account/totp/enable', { code: '000000' === totpAt(secret, NOW) ? '111111' : '000000' })).status).toBe(
      400,
    );
    const enabled = await api.as(who).post<SessionInfo>('/account/totp/enable', { code: totpAt(secret, NOW) });
    expect(enabled.status).toBe(200);
    expect(enabled.body.user.totpEnabled).toBe(true);

    // The right password without the code is just wrong: nothing confirms the password.
    const noCode = await signIn(user.email, TEST_PASSWORD);
    expect([noCode.status, noCode.error.code]).toEqual([401, 'invalid_credentials']);
    const later = new Date(NOW.getTime() + 90_000);
    const code = totpAt(secret, later);
    await at(90, async () => {
      const wrongCode = code === '123456' ? '654321' : '123456';
      const wrong = await signIn(user.email, TEST_PASSWORD, { totp: wrongCode });
      expect([wrong.status, wrong.error.code]).toEqual([401, 'invalid_credentials']);
      const good = await signIn(user.email, TEST_PASSWORD, { totp: code });
      expect(good.status).toBe(200);
      expect(good.body.user.totpEnabled).toBe(true);
      // The same code again (replay) and an older one are refused.
      const replay = await signIn(user.email, TEST_PASSWORD, { totp: code });
      expect([replay.status, replay.error.code]).toEqual([401, 'invalid_credentials']);
      expect((await signIn(user.email, TEST_PASSWORD, { totp: totpAt(secret, NOW) })).status).toBe(401);
      // …and a wrong password with the right code is still wrong.
      expect((await signIn(user.email, 'not the password', { totp: totpAt(secret, new Date(later.getTime() + 30_000)) })).status).toBe(429);
    });
    const failures = await prisma.auditEvent.findMany({
      where: { action: 'auth.sign_in_failed', targetId: user.id },
      orderBy: { id: 'asc' },
    });
    expect(failures.map((f) => (f.details as { reason: string }).reason)).toEqual(['totp_missing', 'totp', 'totp', 'totp', 'password']);
  }, 30_000);

  test('an admin without a second factor signs in to the set-up stage: everything else is 403 totp_setup_required until enabled', async () => {
    const admin = await person('admin');
    const res = await signIn(admin.email, TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('totp_setup_required');
    const who = await identityOf(res);
    for (const [method, path] of [
      ['GET', '/institutions'],
      ['GET', '/audit'],
      ['GET', '/account/sessions'],
      ['POST', '/auth/sign-out-everywhere'],
      ['PATCH', `/institutions/${institution.id}`],
    ] as const) {
      const denied = await api.as(who).call(method, path, { GET: undefined, POST: {}, PATCH: { name: 'Захват' } }[method]);
      expect([method, path, denied.status, denied.error?.code]).toEqual([method, path, 403, 'totp_setup_required']);
    }
    expect((await whoAmI(who)).body.stage).toBe('totp_setup_required');
    const setup = await api.as(who).post<TotpSetup>('/account/totp/setup', {});
    expect(setup.status).toBe(200);
    const enabled = await api.as(who).post<SessionInfo>('/account/totp/enable', { code: totpAt(remember(setup.body.secret), NOW) });
    expect(enabled.status).toBe(200);
    expect(enabled.body.stage).toBe('active');
    // The same session goes on, now in full.
    expect((await api.as(who).get('/institutions')).status).toBe(200);
    expect((await whoAmI(who)).body.stage).toBe('active');
    expect((await prisma.institution.findUniqueOrThrow({ where: { id: institution.id } })).name).toBe('КЦСОН Седельниково');
    // An admin may not turn the second factor off.
    expect((await api.as(who).post('/account/totp/disable', { password: TEST_PASSWORD })).status).toBe(403);
  });
});

describe('session lifetime', () => {
  test(`idle longer than ${IDLE} s → 401, and the session is over for good`, async () => {
    const user = await person();
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    expect(await at(IDLE - 5, () => statusOf(who))).toBe(200); // a request within the idle time keeps it alive …
    expect(await at(2 * IDLE - 10, () => statusOf(who))).toBe(200);
    const expired = await at(3 * IDLE, () => whoAmI(who)); // … silence longer than that does not
    expect([expired.status, expired.error.code]).toEqual([401, 'unauthenticated']);
    expect(sessionSetCookie(expired)).toMatch(/Max-Age=0/i);
    expect(await statusOf(who)).toBe(401); // turning the clock back does not revive it
    // Both of the user's sessions began at the test clock's NOW: pick the signed-in one by its address, not by time.
    const row = await prisma.staffSession.findFirstOrThrow({ where: { staffUserId: user.id, ip: { not: '127.0.0.1' } } });
    expect(row.endReason).toBe('expired');
  });

  test(`past the absolute lifetime (${ABSOLUTE} s) → 401 however busy`, async () => {
    const user = await person();
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    for (let s = IDLE / 2; s < ABSOLUTE; s += IDLE / 2) expect([s, await at(s, () => statusOf(who))]).toEqual([s, 200]);
    expect(await at(ABSOLUTE, () => statusOf(who))).toBe(401);
  });
});

describe('signing out', () => {
  test('sign-out ends this session: the old cookie is refused', async () => {
    const user = await person();
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const other = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const res = await api.as(who).post<{ signedOut: number }>('/auth/sign-out', {});
    expect(res.body).toEqual({ signedOut: 1 });
    expect(sessionSetCookie(res)).toMatch(/Max-Age=0/i);
    expect(await statusOf(who)).toBe(401);
    expect(await statusOf(other)).toBe(200); // the other device stays signed in
  });

  test("sign-out-everywhere ends every session of the account, not other people's", async () => {
    const user = await person();
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(await identityOf(await signIn(user.email, TEST_PASSWORD)));
    const colleague = await api.staff('specialist', institution.id);
    const res = await api.as(sessions[0]!).post<{ signedOut: number }>('/auth/sign-out-everywhere', {});
    expect(res.body).toEqual({ signedOut: 4 }); // three here and the one person() made
    for (const s of sessions) expect(await statusOf(s)).toBe(401);
    expect(await statusOf(colleague)).toBe(200);
  });

  test('one other session (another device) is ended from the list of sessions; nobody else’s can be', async () => {
    const user = await person();
    const here = await identityOf(
      await signIn(user.email, TEST_PASSWORD, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0' } }),
    );
    const phone = await identityOf(
      await signIn(user.email, TEST_PASSWORD, { headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Version/17.0 Safari/605' } }),
    );
    const list = await api.as(here).get<SessionList>('/account/sessions');
    expect(list.status).toBe(200);
    const current = list.body.sessions.find((s) => s.current)!;
    expect(current.userAgent).toBe('Chrome 131 · Linux');
    const other = list.body.sessions.find((s) => s.userAgent === 'Safari 17 · iPhone')!;
    expect(other.current).toBe(false);
    expect(JSON.stringify(list.body)).not.toContain(here.cookie.slice(SESSION_COOKIE.length + 1));

    const stranger = await api.staff('specialist', institution.id);
    const strangerSession = (await api.as(stranger).get<SessionList>('/account/sessions')).body.sessions[0]!;
    expect((await api.as(here).call('DELETE', `/account/sessions/${strangerSession.id}`)).status).toBe(404);
    expect(await statusOf(stranger)).toBe(200);

    const ended = await api.as(here).call('DELETE', `/account/sessions/${other.id}`);
    expect([ended.status, ended.body]).toEqual([200, { signedOut: 1 }]);
    expect(await statusOf(phone)).toBe(401);
    expect(await statusOf(here)).toBe(200);
  });
});

describe('changing the password', () => {
  test('needs the current password; ends the other sessions; the old password no longer works', async () => {
    const user = await person();
    const here = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const there = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const newPassword = remember('a new and long passphrase 2026');
    const wrong = await api.as(here).post('/account/password', { currentPassword: 'not it at all', newPassword });
    expect([wrong.status, wrong.error.details]).toEqual([400, { currentPassword: expect.any(String) }]);
    const res = await api.as(here).post<{ signedOut: number }>('/account/password', { currentPassword: TEST_PASSWORD, newPassword });
    expect(res.status).toBe(200);
    expect(res.body.signedOut).toBe(2); // `there` and the session person() made
    expect(await statusOf(there)).toBe(401);
    expect(await statusOf(here)).toBe(200);
    expect((await signIn(user.email, TEST_PASSWORD)).error.code).toBe('invalid_credentials');
    expect((await signIn(user.email, newPassword)).status).toBe(200);
  }, 30_000);
});

describe('CSRF', () => {
  test('a state-changing call with the cookie but without the right X-CSRF-Token → 403 csrf_failed, nothing changed', async () => {
    const head = await api.staff('head', institution.id);
    const other = await api.signIn(head.user); // another session's token is no good either
    const path = `/institutions/${institution.id}`;
    for (const csrf of [null, 'x', '', other.csrf, head.csrf.slice(0, -1)]) {
      const res = await api.call('PATCH', path, { name: 'Подменённое название' }, { as: head, csrf });
      expect([csrf, res.status, res.error.code]).toEqual([csrf, 403, 'csrf_failed']);
      const signOut = await api.call('POST', '/auth/sign-out', {}, { as: head, csrf });
      expect([csrf, signOut.status]).toEqual([csrf, 403]);
    }
    expect((await prisma.institution.findUniqueOrThrow({ where: { id: institution.id } })).name).toBe('КЦСОН Седельниково');
    expect(await statusOf(head)).toBe(200); // not signed out either
    // GET needs none; the right token works.
    expect((await api.call('GET', path, undefined, { as: head, csrf: null })).status).toBe(200);
    expect((await api.call('PATCH', path, { resourceCentre: false }, { as: head })).status).toBe(200);
    expect(CSRF_HEADER).toBe('x-csrf-token');
    const denied = await prisma.auditEvent.findMany({ where: { actorId: head.user.id, action: 'access.denied' } });
    expect(denied).toHaveLength(10);
    expect(denied.every((d) => (d.details as { reason: string }).reason === 'csrf')).toBe(true);
  });
});

describe('one-time password links', () => {
  const createStaff = async (displayName: string) => {
    const res = await api.post<StaffCreated>(`/institutions/${institution.id}/staff`, {
      email: `social-worker-${randomInt(1e9)}@example.org`,
      displayName,
      role: 'social_worker',
    });
    expect(res.status).toBe(201);
    return { member: res.body, token: tokenOfLink(res.body.passwordLink.url) };
  };
  const linkInfo = (token: string) => api.call<PasswordLinkInfo>('GET', `/auth/password-links/${token}`, undefined, { as: null });
  const setPassword = (token: string, password: string) =>
    api.call<{ email: string }>('POST', `/auth/password-links/${token}`, { password: remember(password) }, { as: null });

  test('staff.create hands over a link: it shows whose account, sets the password once, and then is void', async () => {
    const { member, token } = await createStaff('Соцработник Иванова');
    expect(member.passwordLink.url.startsWith('https://priem.example.org/set-password/')).toBe(true);
    expect(new Date(member.passwordLink.expiresAt).getTime() - NOW.getTime()).toBe(72 * 3600_000);
    expect([member.passwordSet, member.lastSignInAt]).toEqual([false, null]);
    const info = await linkInfo(token);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ purpose: 'welcome', email: member.email, displayName: 'Соцработник Иванова', totpRequired: false });
    const set = await setPassword(token, 'my first own passphrase');
    expect([set.status, set.body]).toEqual([200, { email: member.email }]);
    expect((await api.get<StaffMember>(`/staff/${member.id}`)).body).toMatchObject({ passwordSet: true, lastSignInAt: null });
    expect((await signIn(member.email, 'my first own passphrase')).status).toBe(200);
    const after = (await api.get<StaffMember>(`/staff/${member.id}`)).body;
    expect(after.passwordSet).toBe(true);
    expect(after.lastSignInAt).not.toBeNull();
    // Kept on the account: cleaning up its sessions does not forget it.
    await api.prisma.staffSession.deleteMany({ where: { staffUserId: member.id } });
    expect((await api.get<StaffMember>(`/staff/${member.id}`)).body.lastSignInAt).toBe(after.lastSignInAt);
    expect([(await setPassword(token, 'a second try with it')).error.code, (await linkInfo(token)).error.code]).toEqual([
      'link_invalid',
      'link_invalid',
    ]);
    expect((await signIn(member.email, 'a second try with it')).status).toBe(401);
  });

  test('a link expires after 72 hours', async () => {
    const { token } = await createStaff('Соцработник Петрова');
    expect(await at(72 * 3600 - 1, async () => (await linkInfo(token)).status)).toBe(200);
    const late = await at(72 * 3600, () => setPassword(token, 'too late for this'));
    expect([late.status, late.error.code]).toEqual([404, 'link_invalid']);
  });

  test('a newer link voids the older one', async () => {
    const { member, token: first } = await createStaff('Соцработник Сидорова');
    const again = await api.post<PasswordLinkIssued>(`/staff/${member.id}/password-link`, {});
    expect(again.status).toBe(201);
    expect(again.body.purpose).toBe('welcome');
    const second = tokenOfLink(again.body.url);
    expect((await linkInfo(first)).error.code).toBe('link_invalid');
    expect((await linkInfo(second)).status).toBe(200);
  });

  test("an admin's reset link ends the person's sessions and the old password", async () => {
    const user = await person();
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const reset = await api.post<PasswordLinkIssued>(`/staff/${user.id}/password-link`, {});
    expect([reset.status, reset.body.purpose]).toEqual([201, 'reset']);
    expect(await statusOf(who)).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD)).error.code).toBe('invalid_credentials');
    expect((await setPassword(tokenOfLink(reset.body.url), 'a reset passphrase here')).status).toBe(200);
    expect((await signIn(user.email, 'a reset passphrase here')).status).toBe(200);
  });
});

describe("an admin's changes end sessions", () => {
  test('deactivation: every session ends, and sign-in then fails as invalid_credentials', async () => {
    const user = await person();
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const res = await api.patch(`/staff/${user.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(await statusOf(who)).toBe(401);
    const again = await signIn(user.email, TEST_PASSWORD);
    expect([again.status, again.error.code]).toEqual([401, 'invalid_credentials']);
  });

  test('a role change ends every session (they sign in again under the new role)', async () => {
    const user = await person('social_worker');
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    expect((await api.patch(`/staff/${user.id}`, { role: 'head' })).status).toBe(200);
    expect(await statusOf(who)).toBe(401);
    expect((await signIn(user.email, TEST_PASSWORD)).body.user.role).toBe('head');
  });

  test('ending the sessions of a member of staff (a lost phone)', async () => {
    const user = await person();
    const a = await identityOf(await signIn(user.email, TEST_PASSWORD));
    const res = await api.post<{ signedOut: number }>(`/staff/${user.id}/end-sessions`, {});
    expect(res.body.signedOut).toBe(2);
    expect(await statusOf(a)).toBe(401);
  });
});

describe('the audit log', () => {
  const events = async (query: string) => {
    const res = await api.as(await auditor()).get<AuditList>(`/audit?limit=200&${query}`);
    expect(res.status).toBe(200);
    return res.body.events;
  };

  test('sign-in success and failure, sign-out, role change, password link, denied calls — all in GET /audit, by actor and action', async () => {
    const user = await person('social_worker');
    await signIn(user.email, 'a wrong password');
    const who = await identityOf(await signIn(user.email, TEST_PASSWORD));
    expect((await api.as(who).get('/audit')).status).toBe(403); // denied: a social worker reads no audit log
    await api.as(who).post('/auth/sign-out', {});
    await api.post(`/staff/${user.id}/password-link`, {});
    await api.patch(`/staff/${user.id}`, { role: 'head' });

    const mine = await events(`actorId=${user.id}`);
    expect(mine.every((e) => e.actorId === user.id)).toBe(true);
    expect(mine.map((e) => e.action).reverse()).toEqual(['auth.sign_in', 'access.denied', 'auth.sign_out']);
    expect(mine.find((e) => e.action === 'access.denied')).toMatchObject({
      actorType: 'staff',
      actorName: user.displayName,
      targetType: 'route',
      targetId: 'audit.list',
      details: { status: 403, reason: 'role', method: 'GET' },
    });
    expect(mine.find((e) => e.action === 'auth.sign_in')!.ip).toMatch(/^198\.51\.100\./);

    const aboutUser = (await events('action=staff.')).filter((e) => e.targetId === user.id).map((e) => e.action);
    expect(aboutUser).toEqual(['staff.role_changed', 'staff.password_link_issued']);
    const roleChange = (await events('action=staff.role_changed')).find((e) => e.targetId === user.id)!;
    expect(roleChange).toMatchObject({ actorId: api.admin.user.id, details: { from: 'social_worker', to: 'head' } });
    const failed = (await events('action=auth.sign_in_failed')).filter((e) => e.targetId === user.id);
    expect(failed).toEqual([expect.objectContaining({ actorType: 'system', actorId: null, details: { reason: 'password' } })]);

    const authOnly = await events('action=auth.');
    expect(authOnly.length).toBeGreaterThan(0);
    expect(authOnly.every((e) => e.action.startsWith('auth.'))).toBe(true);
  });

  test('filtered by period (from inclusive, to exclusive)', async () => {
    const user = await person();
    await signIn(user.email, TEST_PASSWORD);
    // A moment strictly after the first sign-in's record, and the second only once the clock has passed it.
    const [first] = await events(`actorId=${user.id}&action=auth.sign_in`);
    const mid = new Date(new Date(first!.at).getTime() + 1);
    await waitFor(() => Date.now() > mid.getTime(), { what: 'the clock past the first sign-in' });
    await signIn(user.email, TEST_PASSWORD);
    const before = await events(`actorId=${user.id}&action=auth.sign_in&to=${mid.toISOString()}`);
    const after = await events(`actorId=${user.id}&action=auth.sign_in&from=${mid.toISOString()}`);
    expect([before.length, after.length]).toEqual([1, 1]);
    expect(new Date(before[0]!.at).getTime()).toBeLessThan(mid.getTime());
    expect(new Date(after[0]!.at).getTime()).toBeGreaterThanOrEqual(mid.getTime());
  });

  test('failed sign-ins for an unknown e-mail (no department) are shown to every admin, with the address and no e-mail', async () => {
    const ip = '192.0.2.45';
    const email = 'no-such-person@example.org';
    for (let i = 0; i < MAX_FAILURES; i++) await signIn(email, `guess ${i}`, { ip });
    const mine = (await events('action=auth.')).filter((e) => e.ip === ip);
    expect(mine.map((e) => e.action)).toEqual(['auth.locked', 'auth.sign_in_failed', 'auth.sign_in_failed', 'auth.sign_in_failed']);
    expect(mine.find((e) => e.action === 'auth.sign_in_failed')).toMatchObject({
      actorType: 'system',
      actorId: null,
      targetType: 'staff_user',
      targetId: 'unknown',
      institutionId: null,
      details: { reason: 'unknown_account' },
    });
    expect(JSON.stringify(mine)).not.toContain(email);
    // An admin of another department sees them too (they belong to nobody's department).
    const otherDepartment = await prisma.department.create({ data: { name: 'Другой департамент' } });
    const elsewhere = await api.staff('admin', null, { departmentId: otherDepartment.id });
    const theirs = await api.as(elsewhere).get<AuditList>('/audit?limit=200&action=auth.sign_in_failed');
    expect(theirs.status).toBe(200);
    expect(theirs.body.events.filter((e) => e.ip === ip)).toHaveLength(MAX_FAILURES);
    // …but not the failures on another department's accounts.
    expect(theirs.body.events.every((e) => e.targetId === 'unknown')).toBe(true);
  });

  test('other departments are not in it', async () => {
    const otherDepartment = await prisma.department.create({ data: { name: 'Чужой департамент' } });
    const stranger = (await api.staff('admin', null, { departmentId: otherDepartment.id })).user;
    await signIn(stranger.email, TEST_PASSWORD);
    expect(await events(`actorId=${stranger.id}`)).toEqual([]);
  });

  test('no audit row holds a password, a session cookie, a CSRF token, a link token or a TOTP secret', async () => {
    expect(secrets.size).toBeGreaterThan(20);
    const rows = await prisma.$queryRaw<{ row: string }[]>`SELECT a::text AS row FROM audit_events a`;
    expect(rows.length).toBeGreaterThan(50);
    const text = rows.map((r) => r.row).join('\n');
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a secret is in the audit log: ${secret.slice(0, 6)}…`);
    }
  });

  test('the table is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const before = await prisma.auditEvent.count();
    await expect(prisma.$executeRaw`UPDATE audit_events SET action = 'tampered'`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM audit_events`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`TRUNCATE audit_events`).rejects.toThrow(/append-only/);
    expect(await prisma.auditEvent.count()).toBe(before);
    expect(await prisma.auditEvent.count({ where: { action: 'tampered' } })).toBe(0);
  });
});

test('nothing unexpected was logged (no 500s along the way)', () => {
  expect(api.logs).toEqual([]);
});
