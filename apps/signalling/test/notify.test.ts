// E-mail to clients, end to end: the real staff API on a real PostgreSQL books, moves and
// cancels consultations; the Notifier sends through nodemailer to a real SMTP server
// (smtp-server on 127.0.0.1) and every mail that arrives is parsed (mailparser). The timed
// mails (reminder, feedback) are fired through the real TimetableService's e-mail queue (BullMQ, real Redis).
// Omsk is UTC+6 all year: 09:30 local = 03:30Z. March 2026: the 2nd is a Monday.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import type { AddressObject, ParsedMail } from 'mailparser';
import { startSmtpCapture, type SmtpCapture } from './smtp-capture.ts';
import { createPrisma, type PrismaClient } from '@dp/db';
import { CSRF_HEADER, SESSION_COOKIE, type Consultation, type Institution, type StaffMember } from '@dp/protocol';
import type { FiredJob } from '@dp/scheduling/jobs';
import { createApiRouter } from '../src/api/index.ts';
import type { ApiDeps } from '../src/api/deps.ts';
import { SessionStore } from '../src/auth/session-store.ts';
import { SignInGuard } from '../src/auth/sign-in-guard.ts';
import { loadSignallingConfig } from '../src/config.ts';
import { Notifier, type ConsultationMail } from '../src/notify/index.ts';
import type { RoomRegistry } from '../src/rooms/room-registry.ts';
import { TimetableService } from '../src/timetable/timetable-service.ts';
import { applyEvent } from '../src/consultations/lifecycle-writer.ts';
import { waitFor } from './wait-for.ts';
import { OMSK_CALENDAR, PUBLIC_URL, createTestDatabase, links } from './api/support.ts';

const NOW = new Date('2026-03-01T00:00:00Z');
const CLIENT_EMAIL = 'maria.ivanova@example.org';
const CLIENT_NAME = 'Иванова Мария';
const INSTITUTION = 'КЦСОН Седельниково';

let db: { url: string; drop(): Promise<void> };
let prisma: PrismaClient;
let smtp: SmtpCapture | undefined;
let smtpPort: number;
let closedPort: number;
let mails: ParsedMail[] = [];
const logLines: string[] = [];
let server: Server;
let redis: Redis;
let base: string;
let cookie: string;
let csrf: string;
let institution: Institution;
let specialist: StaffMember;

// The notifier the API uses; the tests switch it (a working SMTP server, an unreachable one, none).
let notifier: Notifier;
const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
const makeNotifier = (smtpUrl: string | undefined) =>
  new Notifier({
    prisma,
    smtpUrl,
    from: '«Дистанционная приёмная» <no-reply@localhost>',
    publicUrl: () => PUBLIC_URL,
    signLink: (c) => links.sign(c),
    log,
  });

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: { cookie, [CSRF_HEADER]: csrf, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const to = (m: ParsedMail) => (m.to as AddressObject).value.map((a) => a.address);
const rows = (consultationId: string) => prisma.notification.findMany({ where: { consultationId }, orderBy: { createdAt: 'asc' } });
/** The mails that arrived since `from` (waits for the background sends first). */
async function arrived(from: number): Promise<ParsedMail[]> {
  // A send is over when the SMTP server said 250, which the capture says only once the mail is parsed and kept.
  await notifier.idle();
  return mails.slice(from);
}
/** The head's own session: links are shown to the head (and the booker), never to the admin who books here. */
let asHead: { cookie: string; csrf: string };
async function callAsHead<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: { cookie: asHead.cookie, [CSRF_HEADER]: asHead.csrf, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** The client's link as staff are shown it (its own route: no consultation response carries a link). */
const clientLink = async (c: Consultation) => {
  const participantId = c.participants.find((p) => p.email === CLIENT_EMAIL)!.id;
  const res = await callAsHead<{ url: string }>('GET', `/consultations/${c.id}/participants/${participantId}/link`);
  expect(res.status).toBe(200);
  return res.body.url;
};

function booking(start: string, clients: unknown[] = [{ displayName: CLIENT_NAME, email: CLIENT_EMAIL }]) {
  return {
    kind: 'one_to_one',
    direction: 'specialist_client',
    mode: 'on_request',
    specialistIds: [specialist.id],
    start,
    durationMinutes: 60,
    topic: 'family',
    clients,
  };
}
const book = async (start: string, clients?: unknown[]) => {
  const res = await call<Consultation>('POST', `/institutions/${institution.id}/consultations`, booking(start, clients));
  expect(res.status).toBe(201);
  return res.body;
};

beforeAll(async () => {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is not set: run the tests through ./pnpm test');
  db = await createTestDatabase();
  prisma = createPrisma(db.url, { poolSize: 5 });

  smtp = await startSmtpCapture();
  smtpPort = smtp.port;
  mails = smtp.mails;
  // A port nobody listens on: an SMTP server that is down.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  notifier = makeNotifier(`smtp://127.0.0.1:${smtpPort}`);

  redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 2 });
  const sessions = new SessionStore(prisma, { idleSeconds: 30 * 86400, absoluteSeconds: 60 * 86400 }, () => NOW);
  const deps: ApiDeps = {
    prisma,
    auth: { sessions, guard: new SignInGuard(redis, { maxFailures: 5, lockSeconds: 900, keyPrefix: `test:${randomUUID()}` }) },
    publicUrl: PUBLIC_URL,
    signLink: (claims) => links.sign(claims),
    timetable: { changed: async () => {} },
    now: () => NOW,
    log,
    get notifier(): ConsultationMail {
      return notifier;
    },
  };
  const app = express();
  app.use('/api', createApiRouter(deps, { checkResponses: true }));
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

  const signIn = async (id: string) => {
    const user = await prisma.staffUser.update({ where: { id }, data: { passwordHash: 'set by the test' } });
    const { token, principal } = await sessions.create(user, { stage: 'active', ip: '127.0.0.1', userAgent: 'jest' });
    cookie = `${SESSION_COOKIE}=${token}`;
    csrf = principal.csrfToken;
  };
  const department = await prisma.department.create({ data: { name: 'Департамент' } });
  const admin = await prisma.staffUser.create({
    data: { email: 'admin@example.org', displayName: 'Администратор', role: 'admin', departmentId: department.id },
  });
  await signIn(admin.id);
  institution = (await call<Institution>('POST', '/institutions', { name: INSTITUTION, calendar: OMSK_CALENDAR })).body;
  const head = (
    await call<StaffMember>('POST', `/institutions/${institution.id}/staff`, {
      email: 'head@example.org',
      displayName: 'Заведующая',
      role: 'head',
    })
  ).body;
  specialist = (
    await call<StaffMember>('POST', `/institutions/${institution.id}/staff`, {
      email: 'psy@example.org',
      displayName: 'Психолог',
      role: 'specialist',
      specialist: { profession: 'psychologist', title: 'Педагог-психолог' },
    })
  ).body;
  const schedule = `/institutions/${institution.id}/specialists/${specialist.id}/schedules/2026-03`;
  expect(
    (
      await call('PUT', schedule, {
        blocks: [
          { date: '2026-03-03', start: '09:00', end: '16:00' },
          { date: '2026-03-04', start: '09:00', end: '16:00' },
          { date: '2026-03-05', start: '09:00', end: '16:00' },
        ],
      })
    ).status,
  ).toBe(200);
  await signIn(head.id);
  expect((await call('POST', `${schedule}/approve`, {})).status).toBe(200);
  asHead = { cookie, csrf };
  await signIn(admin.id);
}, 60_000);

afterAll(async () => {
  await notifier?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  redis?.disconnect();
  await smtp?.close();
  await prisma?.$disconnect();
  await db?.drop();
}, 30_000);

describe('booking, moving and cancelling send e-mail through SMTP', () => {
  let moved: Consultation;

  test('a booking mails an invitation to each client with an address (link, local time) and records it without the body', async () => {
    const from = mails.length;
    const c = await book('2026-03-03T09:30:00+06:00');
    const got = await arrived(from);
    expect(got).toHaveLength(1);
    const mail = got[0]!;
    expect(to(mail)).toEqual([CLIENT_EMAIL]);
    expect(mail.subject).toBe(`Приглашение на онлайн-консультацию 3 марта в 09:30 — ${INSTITUTION}`);
    const link = await clientLink(c);
    expect(link.startsWith(`${PUBLIC_URL}/join/`)).toBe(true);
    expect(mail.text).toContain(link); // the very link the API gives staff
    expect(mail.text).toContain('вторник, 3 марта 2026 г., 09:30 (Asia/Omsk, UTC+6)');
    expect(mail.text).toContain('наушники');
    expect(mail.text).toContain('проверку камеры, микрофона и связи');
    expect(mail.text).toContain(`Здравствуйте, ${CLIENT_NAME}!`);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.from?.text).toContain('no-reply@localhost');

    const recorded = await rows(c.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      kind: 'invitation',
      channel: 'email',
      recipient: CLIENT_EMAIL,
      status: 'sent',
      error: null,
      participantId: c.participants.find((p) => p.email === CLIENT_EMAIL)!.id,
      staffUserId: null,
    });
    expect(recorded[0]!.sentAt).toBeInstanceOf(Date);
    // No column holds the message (152-FZ): what, to whom, when, and how it went — nothing else.
    const columns = await prisma.$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns WHERE table_name = 'notifications' ORDER BY column_name`;
    expect(columns.map((r) => r.column_name).sort()).toEqual(
      [
        'channel',
        'consultation_id',
        'created_at',
        'error',
        'id',
        'kind',
        'participant_id',
        'recipient',
        'sent_at',
        'staff_user_id',
        'status',
      ].sort(),
    );
    moved = c;
  });

  test('a client without an address is sent nothing, and recorded as not told (the day board phones them)', async () => {
    const from = mails.length;
    const c = await book('2026-03-05T09:30:00+06:00', [{ displayName: 'Без почты' }]);
    await notifier.idle();
    expect(await rows(c.id)).toEqual([
      expect.objectContaining({ kind: 'invitation', recipient: '', status: 'skipped', error: 'no e-mail address', sentAt: null }),
    ]);
    expect(mails.length).toBe(from);
    await call('POST', `/consultations/${c.id}/cancel`, { reasonCategory: 'client_request', version: c.version });
  });

  test('a move mails the old and the new time with the same link', async () => {
    const from = mails.length;
    const res = await call<Consultation>('POST', `/consultations/${moved.id}/reschedule`, {
      start: '2026-03-04T10:00:00+06:00',
      version: moved.version,
    });
    expect(res.status).toBe(200);
    const got = await arrived(from);
    expect(got).toHaveLength(1);
    expect(to(got[0]!)).toEqual([CLIENT_EMAIL]);
    expect(got[0]!.subject).toBe('Консультация перенесена на 4 марта в 10:00');
    expect(got[0]!.text).toContain('Было: вторник, 3 марта 2026 г., 09:30 (Asia/Omsk, UTC+6).');
    expect(got[0]!.text).toContain('Новое время: среда, 4 марта 2026 г., 10:00 (Asia/Omsk, UTC+6).');
    expect(got[0]!.text).toContain(await clientLink(res.body));
    expect((await rows(moved.id)).map((r) => [r.kind, r.status])).toEqual([
      ['invitation', 'sent'],
      ['rescheduled', 'sent'],
    ]);
    moved = res.body;
  });

  test('a cancellation mails the reason category (never the staff note) and how to get in touch', async () => {
    const from = mails.length;
    const c = await book('2026-03-03T11:15:00+06:00');
    const res = await call<Consultation>('POST', `/consultations/${c.id}/cancel`, {
      reasonCategory: 'specialist_ill',
      reason: 'Иванова просила не звонить',
      version: c.version,
    });
    expect(res.status).toBe(200);
    const got = await arrived(from); // the invitation, then the cancellation
    expect(got.map((m) => m.subject)).toEqual([
      `Приглашение на онлайн-консультацию 3 марта в 11:15 — ${INSTITUTION}`,
      'Консультация 3 марта в 11:15 отменена',
    ]);
    expect(got[1]!.text).toContain('Причина: по болезни специалиста.');
    // The staff's free-text reason is never mailed.
    expect(got[1]!.text).not.toContain('не звонить');
    expect(got[1]!.text).toContain(`обратитесь в учреждение «${INSTITUTION}»`);
    expect((await rows(c.id)).map((r) => [r.kind, r.status, r.recipient])).toEqual([
      ['invitation', 'sent', CLIENT_EMAIL],
      ['cancelled', 'sent', CLIENT_EMAIL],
    ]);
  });

  test('logs carry ids only, never an address or a name', () => {
    const notifyLines = logLines.filter((l) => l.includes('"part":"notify"'));
    expect(notifyLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toContain(CLIENT_EMAIL);
      expect(line).not.toContain('Иванова');
    }
  });

  describe('the timed mails through the timetable', () => {
    // The e-mail jobs run through the real BullMQ queue on the real Redis, with the service's
    // clock injected: a job is made due by promoting it in the queue (as the queue's own timer
    // would) while the clock reads its due time; each step waits until the worker has finished it.
    let clock: Date;
    let timetable: TimetableService;
    const mailQueue = () => timetable.mailQueue!;
    const finished = async () => {
      const counts = await mailQueue().queue.getJobCounts('completed', 'failed');
      return { completed: counts['completed'] ?? 0, failed: counts['failed'] ?? 0 };
    };
    /** Does `act`, then waits until the worker has completed `jobs` more jobs (none may fail). */
    const firing = async (jobs: number, act: () => Promise<unknown>) => {
      const before = await finished();
      await act();
      await waitFor(async () => (await finished()).completed >= before.completed + jobs, {
        timeoutMs: 10_000,
        what: `${jobs} e-mail job(s) done`,
      });
      expect((await finished()).failed).toBe(before.failed);
    };
    /** The consultation's planned (or retried) job of this kind, due at `dueAt`, fired now. */
    const promote = async (kind: 'remind' | 'feedback', dueAt: Date) => {
      const planned = (await mailQueue().pending(moved.id)).filter((j) => j.kind === kind && j.dueAt === dueAt.toISOString());
      expect(planned).toHaveLength(1);
      await (await mailQueue().queue.getJob(planned[0]!.id))!.promote();
    };

    beforeAll(() => {
      clock = NOW;
      timetable = new TimetableService({
        prisma,
        redisUrl: process.env.REDIS_URL!,
        rooms: { get: () => undefined } as unknown as RoomRegistry,
        log,
        now: () => clock,
        queueName: `notify-test-${randomUUID()}`,
        notifier: { sendReminder: (id) => notifier.sendReminder(id), sendFeedback: (id) => notifier.sendFeedback(id) },
      });
      // The e-mail worker only: the room jobs stay in their queue, unfired.
      mailQueue().start();
    });
    afterAll(async () => {
      await timetable?.close();
    });

    test('each consultation gets a reminder job at T−2h and a feedback job at T+65, in the e-mail queue', async () => {
      await timetable.changed(moved.id);
      const jobs = await mailQueue().pending(moved.id);
      expect(jobs.map((j) => [j.kind, j.dueAt])).toEqual([
        ['remind', '2026-03-04T02:00:00.000Z'],
        ['feedback', '2026-03-04T05:05:00.000Z'],
      ]);
      // The room jobs are where they were: seven of them, no e-mail among them.
      expect((await timetable.queue.pending(moved.id)).map((j) => j.kind)).not.toContain('remind');
    });

    test('the reminder goes at T−2h, once; the job of the start before the move sends nothing', async () => {
      const oldStart = new Date('2026-03-03T03:30:00Z');
      const start = new Date(moved.start);
      const from = mails.length;
      // The old start's reminder (removed from the queue by the move; had it fired anyway): stale.
      clock = new Date('2026-03-03T01:30:00Z');
      const stale: FiredJob = { consultationId: moved.id, kind: 'remind', plannedStart: oldStart, dueAt: clock, firedAt: clock, lateMs: 0 };
      await firing(1, () => mailQueue().postpone(stale, clock));
      expect(await arrived(from)).toHaveLength(0);
      expect((await rows(moved.id)).filter((r) => r.kind === 'reminder')).toEqual([]);
      // The new start's, at its time: one mail …
      clock = new Date(start.getTime() - 2 * 3600_000);
      await firing(1, () => promote('remind', clock));
      // … and once more (a job may fire twice): still one.
      const again: FiredJob = { consultationId: moved.id, kind: 'remind', plannedStart: start, dueAt: clock, firedAt: clock, lateMs: 0 };
      await firing(1, () => mailQueue().postpone(again, clock));
      const got = await arrived(from);
      expect(got).toHaveLength(1);
      expect(got[0]!.subject).toBe('Напоминание: онлайн-консультация 4 марта в 10:00');
      expect(got[0]!.text).toContain('среда, 4 марта 2026 г., 10:00 (Asia/Omsk, UTC+6)');
      expect(got[0]!.text).toContain(await clientLink(moved));
      expect((await rows(moved.id)).filter((r) => r.kind === 'reminder').map((r) => r.status)).toEqual(['sent']);
    });

    test('the feedback request goes after the consultation ended, with the link to the questionnaire', async () => {
      const start = new Date(moved.start);
      const from = mails.length;
      // A client came in at T (the room records it through the lifecycle's writer) …
      await applyEvent(prisma, moved.id, 'client_joined', { actorId: null, at: start });
      // … and it is still live at T+65 (its hard_limit job late): not yet — the job is queued again for T+70.
      clock = new Date(start.getTime() + 65 * 60_000);
      await firing(1, () => promote('feedback', clock));
      expect(await arrived(from)).toHaveLength(0);
      const retryAt = new Date(start.getTime() + 70 * 60_000);
      expect((await mailQueue().pending(moved.id)).map((j) => [j.kind, j.dueAt])).toEqual([['feedback', retryAt.toISOString()]]);
      // Ended by the limit by then: the retry sends it.
      await applyEvent(prisma, moved.id, 'limit_reached', { actorId: null, at: new Date(start.getTime() + 66 * 60_000) });
      clock = retryAt;
      await firing(1, () => promote('feedback', retryAt));
      const got = await arrived(from);
      expect(got).toHaveLength(1);
      expect(got[0]!.subject).toBe(`Как прошла консультация? Анкета — ${INSTITUTION}`);
      expect(got[0]!.text).toContain('Ссылка на анкету');
      // The form itself (the link page's /feedback), not the link page.
      expect(got[0]!.text).toContain(`${await clientLink(moved)}/feedback`);
      expect((await rows(moved.id)).filter((r) => r.kind === 'feedback').map((r) => r.status)).toEqual(['sent']);
    });
  });
});

describe('when the mail cannot go', () => {
  test('SMTP unreachable: the booking succeeds, the notification is recorded as failed with the reason', async () => {
    notifier = makeNotifier(`smtp://user:secret-password@127.0.0.1:${closedPort}`);
    const from = mails.length;
    const c = await book('2026-03-03T14:30:00+06:00');
    expect(await arrived(from)).toHaveLength(0);
    const recorded = await rows(c.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ kind: 'invitation', status: 'failed', recipient: CLIENT_EMAIL, sentAt: null });
    expect(recorded[0]!.error).toMatch(/ECONNREFUSED/);
    expect(recorded[0]!.error).not.toContain('secret-password');
    expect(logLines.join('')).not.toContain('secret-password');
  });

  test('no SMTP_URL: the booking succeeds, the notification is recorded as skipped', async () => {
    notifier = makeNotifier(undefined);
    const c = await book('2026-03-04T14:30:00+06:00');
    await notifier.idle();
    expect((await rows(c.id)).map((r) => [r.kind, r.status, r.error, r.sentAt])).toEqual([
      ['invitation', 'skipped', 'SMTP is not configured (SMTP_URL is unset)', null],
    ]);
  });
});

describe('the Notifier called directly', () => {
  let c: Consultation;
  beforeAll(async () => {
    notifier = makeNotifier(`smtp://127.0.0.1:${smtpPort}`);
    c = await book('2026-03-04T11:30:00+06:00');
    await notifier.idle();
  });

  test('English templates on request', async () => {
    const from = mails.length;
    const out = await notifier.sendInvitation(c.id, { lang: 'en' });
    expect(out.map((o) => o.status)).toEqual(['sent']);
    const got = await arrived(from);
    expect(got[0]!.subject).toBe(`Invitation: online consultation on 4 March at 11:30 — ${INSTITUTION}`);
    expect(got[0]!.text).toContain('Wednesday, 4 March 2026, 11:30 (Asia/Omsk, UTC+6)');
    expect(got[0]!.text).toContain('headphones');
  });

  test('technical failure: the new time when approved, else «the institution will call»', async () => {
    const from = mails.length;
    await notifier.sendTechnicalFailure(c.id, null);
    await notifier.sendTechnicalFailure(c.id, new Date('2026-03-04T09:00:00Z')); // 15:00 local
    const got = await arrived(from);
    expect(got.map((m) => m.subject)).toEqual([
      'Консультация 4 марта в 11:30 не состоится в назначенное время',
      'Консультация 4 марта в 11:30 не состоится в назначенное время',
    ]);
    expect(got[0]!.text).toContain('свяжутся с вами');
    expect(got[0]!.text).not.toContain('/join/');
    expect(got[1]!.text).toContain('Новое время: среда, 4 марта 2026 г., 15:00 (Asia/Omsk, UTC+6)');
    expect(got[1]!.text).toContain(await clientLink(c));
    expect((await rows(c.id)).filter((r) => r.kind === 'technical_failure').map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  test('after «Выдать новую ссылку» mail carries the new link, never the old one (the stored generation)', async () => {
    const old = await clientLink(c);
    const participantId = c.participants.find((p) => p.email === CLIENT_EMAIL)!.id;
    const rotated = await callAsHead<{ url: string; generation: number }>(
      'POST',
      `/consultations/${c.id}/participants/${participantId}/link`,
      {},
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.generation).toBe(2);
    expect(rotated.body.url).not.toBe(old);
    const from = mails.length;
    await notifier.sendInvitation(c.id);
    const got = await arrived(from);
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toContain(rotated.body.url);
    expect(got[0]!.text).not.toContain(old);
    expect(await clientLink(c)).toBe(rotated.body.url);
  });
});

describe('configuration', () => {
  const env = {
    SFU_RPC_SECRET: 'x'.repeat(16),
    LINK_SECRET: 'y'.repeat(32),
    DATABASE_URL: 'postgresql://localhost/x',
    REDIS_URL: 'redis://localhost',
  };
  test('SMTP_URL is optional; MAIL_FROM has a default', () => {
    expect(loadSignallingConfig(env).mail).toEqual({ smtpUrl: undefined, from: '«Дистанционная приёмная» <no-reply@localhost>' });
    expect(loadSignallingConfig({ ...env, SMTP_URL: '' }).mail.smtpUrl).toBeUndefined();
    expect(loadSignallingConfig({ ...env, SMTP_URL: 'smtp://u:p@mail.example.org:587', MAIL_FROM: 'Приёмная <a@b.org>' }).mail).toEqual({
      smtpUrl: 'smtp://u:p@mail.example.org:587',
      from: 'Приёмная <a@b.org>',
    });
  });
  test('a bad SMTP_URL is refused without repeating it (it holds the password)', () => {
    expect(() => loadSignallingConfig({ ...env, SMTP_URL: 'http://u:hunter2@mail.example.org' })).toThrow(/SMTP_URL must be an smtp/);
    try {
      loadSignallingConfig({ ...env, SMTP_URL: 'http://u:hunter2@mail.example.org' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
