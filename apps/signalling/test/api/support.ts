// The staff API under test: the real router on a real express server (port 0), called with
// real fetch, against a database of its own on the test run's throw-away PostgreSQL
// (DATABASE_URL, exported by the test command) and the run's Redis (REDIS_URL, sign-in
// locks). The timetable is a recording stub: it is a seam, and the real TimetableService has
// its own tests. Calls are made as a signed-in member of staff: by default the department's
// admin that startApi creates; `api.as(identity)` calls as someone else.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PrismaClient, StaffRole, StaffUser } from '@dp/db';
import { CSRF_HEADER, SESSION_COOKIE, type ApiErrorResponse } from '@dp/protocol';
import { createApiRouter } from '../../src/api/index.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { SessionStore, newToken, shortUserAgent, tokenHash } from '../../src/auth/session-store.ts';
import { SignInGuard, type SignInGuardOptions } from '../../src/auth/sign-in-guard.ts';
import { LinkSigner } from '../../src/links/link-token.ts';
import { ConsultationGate } from '../../src/timetable/consultation-gate.ts';
import { Notifier, type ConsultationMail } from '../../src/notify/index.ts';
import { startSmtpCapture, type SmtpCapture } from '../smtp-capture.ts';
import { cloneTestDatabase } from '../template-database.ts';

export const PUBLIC_URL = 'https://priem.example.org';
export const links = new LinkSigner('api-test-link-secret-0123456789-0123456789');

/** A database of its own on the test run's throw-away server (DATABASE_URL), every migration applied (a clone of a migrated template); `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    throw new Error(
      'DATABASE_URL is not set. Run through ./pnpm test, or start a throw-away server: ' +
        'DATA_DIR=$(mktemp -d) PGPORT=55432 bash infra/scripts/local-postgres.sh start; DATABASE_URL=$(DATA_DIR=… bash infra/scripts/local-postgres.sh url)',
    );
  }
  return cloneTestDatabase(server);
}

export interface Answer<T> {
  status: number;
  body: T;
  /** The error object when the answer is one (else undefined). */
  error: ApiErrorResponse['error'];
  headers: Headers;
}

/** A signed-in browser: its session cookie and CSRF token. */
export interface Identity {
  user: StaffUser;
  cookie: string;
  csrf: string;
}

export interface CallOptions {
  /** Who calls: the default admin when undefined, nobody (no cookie) when null. */
  as?: Identity | null;
  rawBody?: string;
  /** Leave out the X-CSRF-Token header (or send this one instead). */
  csrf?: string | null;
  headers?: Record<string, string>;
}

export interface ApiUnderTest {
  base: string;
  prisma: PrismaClient;
  /** The department every test institution is created in, and its admin (the default caller). */
  departmentId: string;
  admin: Identity;
  /** A member of staff with a live session (a password 'correct horse battery staple' when `password` is true). */
  staff(role: StaffRole, institutionId: string | null, opts?: { departmentId?: string; password?: boolean }): Promise<Identity>;
  /** The same member of staff as `staff` makes, without a session (one query less): someone the test only refers to. */
  person(role: StaffRole, institutionId: string | null, opts?: { departmentId?: string; password?: boolean }): Promise<StaffUser>;
  /**
   * Many members of staff with live sessions at once: the rows `staff` makes (the user, a
   * specialist's profile, the session as SessionStore.create writes it) in three bulk inserts
   * instead of a few queries each — for a test that needs hundreds of fresh callers.
   */
  staffMany(people: { role: StaffRole; institutionId: string | null; departmentId: string }[]): Promise<Identity[]>;
  /** A new session of an existing user. */
  signIn(user: StaffUser): Promise<Identity>;
  /** The same calls, made as `who`. */
  as(who: Identity | null): Pick<ApiUnderTest, 'get' | 'post' | 'put' | 'patch' | 'call'>;
  sessions: SessionStore;
  /** Consultation ids passed to timetable.changed, in order. */
  timetableCalls: string[];
  /** Warnings and errors the API logged, as pino's JSON lines. */
  logs: string[];
  clock: { now: Date };
  call<T = unknown>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<Answer<T>>;
  get<T = unknown>(path: string): Promise<Answer<T>>;
  post<T = unknown>(path: string, body?: unknown): Promise<Answer<T>>;
  put<T = unknown>(path: string, body?: unknown): Promise<Answer<T>>;
  patch<T = unknown>(path: string, body?: unknown): Promise<Answer<T>>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

export async function startApi(options: {
  prisma: PrismaClient;
  now: Date;
  /** The lock-out and the argon2 caps (auth/sign-in-guard.ts); a key prefix of its own is always added. */
  signIn?: Partial<Omit<SignInGuardOptions, 'keyPrefix'>>;
  session?: { idleSeconds?: number; absoluteSeconds?: number };
  /** E-mail to clients (a real Notifier on an SMTP capture); none by default. */
  notifier?: ConsultationMail;
}): Promise<ApiUnderTest> {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is not set: run the tests through ./pnpm test');
  const timetableCalls: string[] = [];
  const logs: string[] = [];
  const log = pino(
    { level: process.env.TEST_LOGS ? 'debug' : 'warn' },
    {
      write: (line: string) => {
        logs.push(line);
        if (process.env.TEST_LOGS) process.stderr.write(line);
      },
    },
  );
  const clock = { now: options.now };
  const now = () => clock.now;
  const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 });
  const sessions = new SessionStore(
    options.prisma,
    { idleSeconds: options.session?.idleSeconds ?? 1800, absoluteSeconds: options.session?.absoluteSeconds ?? 12 * 3600 },
    now,
  );
  const guard = new SignInGuard(redis, {
    ...options.signIn,
    maxFailures: options.signIn?.maxFailures ?? 5,
    lockSeconds: options.signIn?.lockSeconds ?? 900,
    keyPrefix: `test:${randomUUID()}`,
  });
  const gate = new ConsultationGate(options.prisma, now);
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    '/api',
    createApiRouter(
      {
        prisma: options.prisma,
        auth: { sessions, guard },
        publicUrl: PUBLIC_URL,
        signLink: (claims) => links.sign(claims),
        // The link page's question: the real signer and gate on this test's database.
        links: { verify: (token) => links.verify(token), describe: (claims) => gate.describe(claims) },
        // The SFU is not started for REST tests: its capabilities are a fixed answer here
        // (the real one is served in room-signalling and fuzz tests).
        media: { capabilities: async () => ({ routerRtpCapabilities: { codecs: [], headerExtensions: [] } }) },
        timetable: {
          changed: async (id) => {
            timetableCalls.push(id);
          },
        },
        now,
        log,
        ...(options.notifier ? { notifier: options.notifier } : {}),
      },
      { checkResponses: true },
    ),
  );
  // What app.ts has after the router: paths the API does not own must reach it untouched.
  app.use('/api', (_req, res) => {
    res.status(404).json({ fellThrough: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

  const passwordHash = await hashPassword(TEST_PASSWORD);
  const signIn = async (user: StaffUser): Promise<Identity> => {
    const { token, principal } = await sessions.create(user, { stage: 'active', ip: '127.0.0.1', userAgent: 'jest' });
    return { user, cookie: `${SESSION_COOKIE}=${token}`, csrf: principal.csrfToken };
  };
  const department = await options.prisma.department.create({ data: { name: `Департамент ${randomUUID().slice(0, 8)}` } });
  const person = async (
    role: StaffRole,
    institutionId: string | null,
    opts: { departmentId?: string; password?: boolean } = {},
  ): Promise<StaffUser> => {
    const departmentId =
      opts.departmentId ??
      (institutionId ? (await options.prisma.institution.findUniqueOrThrow({ where: { id: institutionId } })).departmentId : department.id);
    const user = await options.prisma.staffUser.create({
      data: {
        email: `${role}-${randomUUID()}@example.org`,
        displayName: `${role} ${randomUUID().slice(0, 6)}`,
        role,
        institutionId,
        departmentId,
        passwordHash: opts.password === false ? null : passwordHash,
        ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
      },
    });
    return user;
  };
  const staff = async (role: StaffRole, institutionId: string | null, opts: { departmentId?: string; password?: boolean } = {}) =>
    signIn(await person(role, institutionId, opts));
  const absoluteSeconds = options.session?.absoluteSeconds ?? 12 * 3600;
  const staffMany = async (people: { role: StaffRole; institutionId: string | null; departmentId: string }[]): Promise<Identity[]> => {
    if (people.length === 0) return [];
    const at = clock.now;
    const emails = people.map((p) => `${p.role}-${randomUUID()}@example.org`);
    const created = await options.prisma.staffUser.createManyAndReturn({
      data: people.map((p, i) => ({
        email: emails[i]!,
        displayName: `${p.role} ${randomUUID().slice(0, 6)}`,
        role: p.role,
        institutionId: p.institutionId,
        departmentId: p.departmentId,
        passwordHash,
        lastSignInAt: at,
      })),
    });
    const byEmail = new Map(created.map((u) => [u.email, u]));
    const users = emails.map((e) => byEmail.get(e)!);
    const specialists = users.filter((u) => u.role === 'specialist');
    if (specialists.length > 0)
      await options.prisma.specialistProfile.createMany({
        data: specialists.map((u) => ({ userId: u.id, profession: 'psychologist', title: 'Педагог-психолог' })),
      });
    const tokens = users.map(() => ({ token: newToken(), csrf: newToken() }));
    await options.prisma.staffSession.createMany({
      data: users.map((u, i) => ({
        tokenHash: tokenHash(tokens[i]!.token),
        staffUserId: u.id,
        csrfToken: tokens[i]!.csrf,
        stage: 'active',
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(at.getTime() + absoluteSeconds * 1000),
        ip: '127.0.0.1',
        userAgent: shortUserAgent('jest'),
      })),
    });
    return users.map((user, i) => ({ user, cookie: `${SESSION_COOKIE}=${tokens[i]!.token}`, csrf: tokens[i]!.csrf }));
  };
  const admin = await staff('admin', null, { departmentId: department.id });

  const call = async <T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<Answer<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    const who = opts.as === undefined ? admin : opts.as;
    if (who) {
      headers.cookie = who.cookie;
      const csrf = opts.csrf === undefined ? who.csrf : opts.csrf;
      if (csrf !== null && method !== 'GET') headers[CSRF_HEADER] = csrf;
    }
    // Bytes (a file upload) go raw as application/octet-stream; anything else as JSON.
    const bytes = body instanceof Uint8Array ? body : undefined;
    const payload = bytes ?? opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = bytes ? 'application/octet-stream' : 'application/json';
    const res = await fetch(base + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    // A file (text/calendar) comes back as its text; everything else is JSON.
    const isJson = (res.headers.get('content-type') ?? 'application/json').includes('json');
    const json = text ? (isJson ? (JSON.parse(text) as T) : (text as T)) : (undefined as T);
    return {
      status: res.status,
      body: json,
      error: (json as Partial<ApiErrorResponse> | undefined)?.error as ApiErrorResponse['error'],
      headers: res.headers,
    };
  };
  const as = (who: Identity | null) => ({
    call: <T>(method: string, path: string, body?: unknown, opts: CallOptions = {}) => call<T>(method, path, body, { ...opts, as: who }),
    get: <T>(path: string) => call<T>('GET', path, undefined, { as: who }),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body, { as: who }),
    put: <T>(path: string, body?: unknown) => call<T>('PUT', path, body, { as: who }),
    patch: <T>(path: string, body?: unknown) => call<T>('PATCH', path, body, { as: who }),
  });
  return {
    base,
    prisma: options.prisma,
    departmentId: department.id,
    admin,
    staff,
    person,
    staffMany,
    signIn,
    as,
    sessions,
    timetableCalls,
    logs,
    clock,
    call,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    close: async () => {
      redis.disconnect();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** Sedelnikovo's hours (DOMAIN.md) in Omsk: Mon–Thu 09–16, Fri 09–15, lunch 13–14; 9 March 2026 off. */
export const OMSK_CALENDAR = {
  timeZone: 'Asia/Omsk',
  week: {
    '1': { start: '09:00', end: '16:00' },
    '2': { start: '09:00', end: '16:00' },
    '3': { start: '09:00', end: '16:00' },
    '4': { start: '09:00', end: '16:00' },
    '5': { start: '09:00', end: '15:00' },
    '6': null,
    '7': null,
  },
  lunch: { start: '13:00', end: '14:00' },
  daysOff: ['2026-03-09'],
  extraWorkingDays: [],
};

export const UNKNOWN_ID = '019a0000-0000-7000-8000-000000000000';

/** A real Notifier on a local SMTP capture, for the tests that read what clients are mailed. */
export async function startMail(prisma: PrismaClient): Promise<{ smtp: SmtpCapture; notifier: Notifier }> {
  const smtp = await startSmtpCapture();
  const notifier = new Notifier({
    prisma,
    smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
    from: 'no-reply@localhost',
    publicUrl: () => PUBLIC_URL,
    signLink: (c) => links.sign(c),
    log: pino({ level: 'silent' }),
  });
  return { smtp, notifier };
}
