import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { createLogger, loadSfuConfig, startSfuNode, type SfuNode } from '@dp/sfu';
import {
  ROOM_NAMESPACE,
  SESSION_COOKIE,
  isLead,
  type Ack,
  type ClientRequestName,
  type ConsultationState,
  type RoomKind,
  type RoomRole,
} from '@dp/protocol';
import { loadSignallingConfig, startSignalling, type SignallingServer } from '../src/index.ts';
import { createHash, randomUUID } from 'node:crypto';
import { SessionStore } from '../src/auth/session-store.ts';
import { bookConsultation, forceStateForTest } from '../src/consultations/lifecycle-writer.ts';
import { createTestDatabase, OMSK_CALENDAR } from './api/support.ts';
import type { JobOutcome } from '../src/timetable/timetable-service.ts';

export const SECRET = 'test-sfu-secret-0123456789';
export const LINK_SECRET = 'test-link-secret-0123456789-0123456789';

export interface Stack {
  sfu: SfuNode;
  signalling: SignallingServer;
  url: string;
  close(): Promise<void>;
}

const jobListeners = new Set<(o: JobOutcome) => void>();
/** Calls `listener` with every timetable job outcome of the running stack. */
export function onJobOutcome(listener: (o: JobOutcome) => void): void {
  jobListeners.add(listener);
}

/** Test rooms have names; consultations have UUIDs. */
export function roomId(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A real SFU node (real mediasoup worker) and a real signalling server on loopback. */
/**
 * Tests shorten the resume grace (30 s in production) so that «gone for good» comes quickly;
 * the code path is the same.
 */
export const TEST_RESUME_GRACE_MS = 1_000;

/**
 * Every test joins from 127.0.0.1, so the stack's limits (http/budgets.ts) are far above a
 * test file's needs and its Redis counters are its own; the limits' tests pass their own `env`.
 */
const TEST_LIMITS = {
  LIMIT_JOINS_PER_LINK: '100000',
  LIMIT_NETWORK_TESTS_PER_LINK: '100000',
  LIMIT_LINK_LOOKUPS_PER_LINK: '100000',
  LIMIT_CONNECTIONS_PER_ADDRESS: '100000',
  LIMIT_JOINS_PER_ADDRESS: '100000',
  LIMIT_NETWORK_TESTS_PER_ADDRESS: '100000',
  LIMIT_LINK_LOOKUPS_PER_ADDRESS: '100000',
};

export async function startStack(rtcPort: number, workers = 1, env: Record<string, string> = {}): Promise<Stack> {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  const quiet = pino({ level: 'silent' });
  const sfuConfig = loadSfuConfig({
    SFU_RPC_SECRET: SECRET,
    SFU_RPC_PORT: '0',
    SFU_WORKERS: String(workers),
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_RTC_PORT: String(rtcPort),
    MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
  });
  const sfu = await startSfuNode(sfuConfig, process.env.TEST_LOGS ? createLogger('sfu', 'debug') : quiet);
  const db = await createTestDatabase();
  const signalling = await startSignalling(
    loadSignallingConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      SFU_URL: `ws://127.0.0.1:${sfu.rpcPort}`,
      SFU_RPC_SECRET: SECRET,
      LINK_SECRET,
      WEB_DIST: '/nonexistent',
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL ?? '',
      ...TEST_LIMITS,
      LIMIT_KEY_PREFIX: `test:limit:${randomUUID()}`,
      ...env,
    }),
    quiet,
    {
      timetableQueue: `test-${rtcPort}`,
      onJobOutcome: (o) => jobListeners.forEach((l) => l(o)),
      resumeGraceMs: TEST_RESUME_GRACE_MS,
    },
  );
  return {
    sfu,
    signalling,
    url: `http://127.0.0.1:${signalling.port}`,
    async close() {
      await signalling.close();
      signalling.http.close();
      sfu.close();
      await db.drop();
    },
  };
}

const DIRECTION = { one_to_one: 'specialist_client', webinar: 'specialist_client', dyad: 'client_client' } as const;

/** The named room's consultation (open now, one-to-one unless `kind` says otherwise), created in the database on first use. */
/** How a named room's consultation is made on first use: `state` (default `open`) is reached through the lifecycle table. */
export interface ConsultationOpts {
  start?: Date;
  kind?: RoomKind;
  state?: ConsultationState;
}

async function ensureConsultation(stack: Stack, room: string, opts: ConsultationOpts = {}): Promise<string> {
  const prisma = stack.signalling.prisma;
  const id = roomId(room);
  if (!(await prisma.consultation.findUnique({ where: { id } }))) {
    const institution = (await prisma.institution.findFirst()) ?? (await createInstitution(stack));
    // Booked and walked to `open` (or `state`) through the lifecycle table (its one test-only entry).
    await bookConsultation(
      prisma,
      {
        id,
        institutionId: institution.id,
        kind: opts.kind ?? 'one_to_one',
        direction: DIRECTION[opts.kind ?? 'one_to_one'],
        mode: 'on_request',
        start: opts.start ?? new Date(Date.now() - 60_000),
        durationMinutes: 45,
      },
      { actorId: null, at: new Date() },
    );
    await forceStateForTest(prisma, id, opts.state ?? 'open');
  }
  return id;
}

/**
 * A link for a new client participant (client or attendee) of the named room's consultation,
 * creating the consultation (open now, one-to-one unless `kind` says otherwise) in the
 * database on first use. Staff have no links: use `seatFor`.
 */
export async function tokenFor(
  stack: Stack,
  room: string,
  role: RoomRole,
  opts: ConsultationOpts & { ttlMs?: number; displayName?: string } = {},
): Promise<string> {
  if (isLead(role)) throw new Error(`a ${role} has no link: staff join signed in (seatFor)`);
  const prisma = stack.signalling.prisma;
  const id = await ensureConsultation(stack, room, opts);
  const participant = await prisma.participant.create({ data: { consultationId: id, role, displayName: opts.displayName ?? null } });
  return linkOf(stack, { consultationId: id, participantId: participant.id, role, generation: participant.linkGeneration }, opts.ttlMs);
}

/** A participant's link as the API would sign it (its current generation unless told). */
export function linkOf(
  stack: Stack,
  p: { consultationId: string; participantId: string; role: RoomRole; generation?: number },
  ttlMs = 3600_000,
): string {
  return stack.signalling.links.sign({
    consultationId: p.consultationId,
    participantId: p.participantId,
    role: p.role,
    generation: p.generation ?? 1,
    expiresAt: new Date(Date.now() + ttlMs),
  });
}

/** How one participant enters: a client with its link, a member of staff signed in (session cookie + consultation id). */
export interface Seat {
  participantId: string;
  consultationId: string;
  /** The `join` (and `networkTestStart`) payload's credentials. */
  join: { token: string } | { consultationId: string };
  /** The handshake's cookie and Origin for staff; nothing for a link. */
  peerOptions: PeerOptions;
  /** Staff only: the member of staff behind the seat. */
  staffUserId: string | null;
}

/**
 * A new participant of the named room's consultation in `role` (the consultation is made as
 * by `tokenFor`). Clients and attendees get a link; a lead role (specialist, host, cohost,
 * curator) gets a member of staff of their own with a live session, listed in the
 * consultation in that role — the way staff enter rooms.
 */
export async function seatFor(
  stack: Stack,
  room: string,
  role: RoomRole,
  opts: ConsultationOpts & { ttlMs?: number; displayName?: string } = {},
): Promise<Seat> {
  const prisma = stack.signalling.prisma;
  if (!isLead(role)) {
    const token = await tokenFor(stack, room, role, opts);
    const claims = stack.signalling.links.verify(token);
    return {
      participantId: claims.participantId,
      consultationId: claims.consultationId,
      join: { token },
      peerOptions: {},
      staffUserId: null,
    };
  }
  const id = await ensureConsultation(stack, room, opts);
  const consultation = await prisma.consultation.findUniqueOrThrow({ where: { id }, include: { institution: true } });
  const user = await prisma.staffUser.create({
    data: {
      email: `${role}-${randomUUID()}@example.org`,
      displayName: opts.displayName ?? `${role} ${randomUUID().slice(0, 6)}`,
      role: 'specialist',
      institutionId: consultation.institutionId,
      departmentId: consultation.institution.departmentId,
      // A session counts only for an account with a password (never checked here: no sign-in).
      passwordHash: 'set by the test',
    },
  });
  const participant = await prisma.participant.create({
    data: { consultationId: id, role, staffUserId: user.id, displayName: opts.displayName ?? null },
  });
  const cookie = await sessionCookieFor(stack, user.id);
  return {
    participantId: participant.id,
    consultationId: id,
    join: { consultationId: id },
    peerOptions: { cookie, origin: stack.url },
    staffUserId: user.id,
  };
}

/** A socket for the seat (with its session cookie for staff). */
export function connectSeat(stack: Stack, seat: Seat): Promise<TestPeer> {
  return connectPeer(stack, seat.peerOptions);
}

async function createInstitution(stack: Stack) {
  const prisma = stack.signalling.prisma;
  const department = await prisma.department.create({ data: { name: 'Тестовый департамент' } });
  const { lunch: _lunch, ...calendar } = OMSK_CALENDAR;
  return prisma.institution.create({ data: { departmentId: department.id, name: 'Тестовое учреждение', ...calendar } });
}

/** Polls `cond` until it holds (or fails the test after the timeout): see wait-for.ts. */
export { waitFor } from './wait-for.ts';

export interface TestPeer {
  socket: Socket;
  request<T = unknown>(event: ClientRequestName | string, payload?: unknown): Promise<Ack<T>>;
  next(event: string, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

export interface PeerOptions {
  /** The page's cookies (a staff session: `dp_session=…`), sent with the WebSocket handshake. */
  cookie?: string;
  /** The handshake's Origin header (a browser always sends one; Node's client sends none unless told). */
  origin?: string;
}

export async function connectPeer(stack: Stack, opts: PeerOptions = {}): Promise<TestPeer> {
  const extraHeaders: Record<string, string> = {
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...(opts.origin ? { origin: opts.origin } : {}),
  };
  const socket = connect(stack.url + ROOM_NAMESPACE, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  // Auto-accept offered consumers, as a browser would once it has set them up.
  socket.on('newConsumer', (_data: unknown, ack: (r: { ok: boolean }) => void) => ack({ ok: true }));
  return {
    socket,
    request: (event, payload = {}) => socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<never>>,
    next: (event, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        socket.once(event, (data: unknown) => {
          clearTimeout(t);
          resolve(data);
        });
      }),
    close: () => socket.close(),
  };
}

/** Minimal parameters mediasoup accepts without a browser (no media flows; the objects are real). */
export const opusRtpParameters = (ssrc: number) => ({
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}`, reducedSize: true },
});

export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export function errorCode(ack: Ack<unknown>): string {
  if (ack.ok) throw new Error('expected an error ack, got ok');
  return ack.error.code;
}

/**
 * A live session of a member of staff, made directly in the stack's database (no password,
 * no argon2): answers the `dp_session=…` cookie a signed-in page would send.
 */
export async function sessionCookieFor(
  stack: Stack,
  staffUserId: string,
  opts: { stage?: 'active' | 'totp_setup_required' } = {},
): Promise<string> {
  const prisma = stack.signalling.prisma;
  const user = await prisma.staffUser.findUniqueOrThrow({ where: { id: staffUserId } });
  const store = new SessionStore(prisma, { idleSeconds: 1800, absoluteSeconds: 12 * 3600 }, () => new Date());
  const { token } = await store.create(user, { stage: opts.stage ?? 'active', ip: '127.0.0.1', userAgent: 'jest' });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * Signs a member of staff in through the real API (a password is set for them first) and
 * answers a fetch for /api paths that sends the session cookie and the CSRF token.
 */
export async function signedInAs(
  stack: Stack,
  staffUserId: string,
): Promise<{
  cookie: string;
  api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
}> {
  const { hashPassword } = await import('../src/auth/passwords.ts');
  const password = 'harness password 0123456789';
  const user = await stack.signalling.prisma.staffUser.update({
    where: { id: staffUserId },
    data: { passwordHash: await hashPassword(password), totpEnabledAt: null, totpSecret: null },
  });
  const res = await fetch(`${stack.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${user.role} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${stack.url}/api${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  return { cookie, api };
}

/**
 * A one-to-one's client let into the room: its specialist joins first and admits it from
 * the waiting room. Both peers are returned (close both).
 */
export async function admittedClient(
  stack: Stack,
  room: string,
  opts: { start?: Date } = {},
): Promise<{ client: TestPeer; specialist: TestPeer; clientId: string }> {
  const seat = await seatFor(stack, room, 'specialist', opts);
  const specialist = await connectSeat(stack, seat);
  ok(await specialist.request('join', seat.join));
  const client = await connectPeer(stack);
  const joined = ok(
    await client.request<{ self: { id: string }; admission: string }>('join', { token: await tokenFor(stack, room, 'client', opts) }),
  );
  if (joined.admission === 'waiting') {
    const admitted = client.next('admitted');
    ok(await specialist.request('admit', { peerId: joined.self.id }));
    await admitted;
  }
  return { client, specialist, clientId: joined.self.id };
}

/**
 * Three institutions for scope tests: `own` and `sibling` in one department, `foreign` in
 * another (ids only; their calendar is Omsk's).
 */
export async function threeInstitutions(
  stack: Stack,
): Promise<Record<'own' | 'sibling' | 'foreign', { id: string; departmentId: string }>> {
  const prisma = stack.signalling.prisma;
  const { lunch: _lunch, ...calendar } = OMSK_CALENDAR;
  const d1 = await prisma.department.create({ data: { name: 'Департамент 1' } });
  const d2 = await prisma.department.create({ data: { name: 'Департамент 2' } });
  const institution = (departmentId: string) => prisma.institution.create({ data: { departmentId, name: 'КЦСОН', ...calendar } });
  return { own: await institution(d1.id), sibling: await institution(d1.id), foreign: await institution(d2.id) };
}
