import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { SignallingConfig } from './config.ts';
import { createApiRouter, type ApiDeps } from './api/index.ts';
import { cachedCapabilities } from './api/public.ts';
import { createApp } from './http/app.ts';
import { LinkSigner } from './links/link-token.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import { prismaRoomRecords } from './rooms/room-store.ts';
import { SfuClient } from './sfu/sfu-client.ts';
import { attachRoomNamespace } from './socket/room-socket.ts';
import { createPrisma, type PrismaClient } from '@dp/db';
import { Redis } from 'ioredis';
import { SessionStore } from './auth/session-store.ts';
import { RoomAccess } from './auth/room-access.ts';
import { SignInGuard } from './auth/sign-in-guard.ts';
import { ConsultationGate } from './timetable/consultation-gate.ts';
import { TimetableService, type JobOutcome } from './timetable/timetable-service.ts';
import { Notifier } from './notify/index.ts';
import { attachAdminNamespace } from './health/admin-socket.ts';
import { HealthMonitor } from './health/health-monitor.ts';
import { createMetrics, metricsHandler } from './health/metrics.ts';
import { ROOM_NAMESPACE } from '@dp/protocol';
import { NetworkProbes } from './probe/network-probes.ts';
import { Budgets, clientAddressResolver } from './http/budgets.ts';
import { TEST_CLOCK_REFUSED } from './config.ts';
import { turnIceServers } from './turn/turn-credentials.ts';
import { createServerClock, type ServerClock } from './clock/server-clock.ts';
import { testClockRoute } from './clock/test-clock-route.ts';

export interface SignallingServer {
  port: number;
  http: HttpServer;
  io: Server;
  sfu: SfuClient;
  rooms: RoomRegistry;
  links: LinkSigner;
  prisma: PrismaClient;
  timetable: TimetableService;
  health: HealthMonitor;
  /** The device check's network tests. */
  probes: NetworkProbes;
  /** Business time (clock/server-clock.ts): movable only with DP_TEST_CLOCK=1. */
  clock: ServerClock;
  close(): Promise<void>;
}

export interface SignallingOptions {
  /** Observes every fired timetable job (tests, the job-timing benchmark). */
  onJobOutcome?: (o: JobOutcome) => void;
  timetableQueue?: string;
  /** How long a lost participant keeps its place (tests shorten the 30 s). */
  resumeGraceMs?: number;
  /** Health sampling interval (tests shorten the 2 s). */
  healthIntervalMs?: number;
  /** A network test's lifetime (tests shorten the 20 s). */
  probeLifetimeMs?: number;
}

/** Composes the signalling process; main.ts and the tests both start it this way. */
export async function startSignalling(config: SignallingConfig, log: Logger, opts: SignallingOptions = {}): Promise<SignallingServer> {
  // The config refuses it already; a process composed another way must not get it either.
  if (config.testClock && (process.env.NODE_ENV === 'production' || config.mode === 'production')) throw new Error(TEST_CLOCK_REFUSED);
  // One clock for business time: the API, the timetable, the gate, the links, the mail, the rooms' limits.
  const clock = createServerClock({ movable: config.testClock });
  if (config.testClock) log.warn('DP_TEST_CLOCK=1: the test harness may move business time (POST /__test/clock)');
  const now = () => clock.date();
  const sfu = new SfuClient({ url: config.sfuUrl, secret: config.sfuSecret, log });
  const links = new LinkSigner(config.linkSecret, now);
  const prisma = createPrisma(config.databaseUrl);
  const rooms = new RoomRegistry(sfu, log, (id) => prismaRoomRecords(prisma, id, now), opts.resumeGraceMs, clock);
  const gate = new ConsultationGate(prisma, now);
  // E-mail to clients (SMTP_URL unset: every notification is recorded as skipped).
  const notifier = new Notifier({
    prisma,
    smtpUrl: config.mail.smtpUrl,
    from: config.mail.from,
    publicUrl: () => config.publicUrl ?? `http://localhost:${listeningPort}`,
    signLink: (claims) => links.sign(claims),
    log,
    now,
  });
  const timetable = new TimetableService({
    prisma,
    redisUrl: config.redisUrl,
    rooms,
    log,
    notifier,
    now,
    ...(opts.onJobOutcome ? { onOutcome: opts.onJobOutcome } : {}),
    ...(opts.timetableQueue ? { queueName: opts.timetableQueue } : {}),
  });
  // Moved business time: the jobs now due run at once.
  clock.onAdvance(() => timetable.replan());
  let listeningPort = config.port;
  // Sign-in failures are counted in Redis, so that every signalling instance sees them all.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (e: Error) => log.warn({ err: e.message }, 'redis (sign-in guard, limits)'));
  // Sessions stay on the real clock: how long a person was idle is not business time.
  const sessions = new SessionStore(prisma, config.session, () => new Date());
  // Connections, joins, network tests and link look-ups per link, session and address (every instance counts together).
  const budgets = new Budgets(redis, config.budgets);
  // Set once the socket.io server exists (the monitor counts its sockets).
  let countSockets = () => 0;
  const health = new HealthMonitor({
    sfu,
    rooms,
    prisma,
    log,
    instanceId: sfu.instanceId,
    sockets: () => countSockets(),
    ...(opts.healthIntervalMs ? { intervalMs: opts.healthIntervalMs } : {}),
  });
  const metrics = createMetrics();
  health.onSnapshot((snapshot) => metrics.update(snapshot, health.latestSfu));
  const apiDeps: ApiDeps = {
    prisma,
    auth: {
      sessions,
      guard: new SignInGuard(redis, {
        maxFailures: config.signIn.maxFailures,
        lockSeconds: config.signIn.lockSeconds,
        // Beside the other budgets: instances sharing LIMIT_KEY_PREFIX count failures together.
        keyPrefix: `${config.budgets.keyPrefix}:signin`,
      }),
    },
    get publicUrl() {
      return config.publicUrl ?? `http://localhost:${listeningPort}`;
    },
    signLink: (claims) => links.sign(claims),
    links: { verify: (token) => links.verify(token), describe: (claims) => gate.describe(claims) },
    budgets,
    media: { capabilities: cachedCapabilities(sfu) },
    timetable,
    notifier,
    now,
    log,
    health,
    rooms: {
      revoked: async (consultationId, participantId) => rooms.get(consultationId)?.revoked(participantId),
      linkRotated: async (consultationId, participantId) => {
        await rooms.get(consultationId)?.takeOutParticipant(participantId, 'link_revoked');
      },
      takeOutStaff: async (staffUserId) => {
        await rooms.takeOutStaff(staffUserId, prisma);
      },
      technicalFailure: async (consultationId) => rooms.get(consultationId)?.close('technical_failure'),
    },
  };
  const app = createApp({
    sfu,
    webDist: config.webDist,
    log,
    api: createApiRouter(apiDeps),
    trustProxy: config.trustProxy,
    metrics: metricsHandler(metrics.registry, config.metricsToken),
    ...(clock.movable ? { testClock: testClockRoute(clock) } : {}),
  });
  const http = createServer(app);
  // Above the protocol's 64 KB limit, so an oversized message still gets an error ack.
  const io = new Server(http, { maxHttpBufferSize: 256 * 1024, serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 });
  const probes = new NetworkProbes(sfu, prisma, log, { now, ...(opts.probeLifetimeMs ? { lifetimeMs: opts.probeLifetimeMs } : {}) });
  attachRoomNamespace(
    io,
    rooms,
    new RoomAccess(prisma, links, sessions),
    gate,
    log,
    probes,
    { budgets, addressOf: clientAddressResolver(config.trustProxy) },
    // coturn checks a credential's expiry against its own (real) clock, never the business one.
    () => turnIceServers(config.turn, new Date()),
  );
  attachAdminNamespace(io, health, sessions, log);
  countSockets = () => io.of(ROOM_NAMESPACE).sockets.size;
  await sfu.connect();
  timetable.start();
  health.start();
  const reconciled = await timetable.reconcile();
  log.info({ consultations: reconciled }, 'timetable jobs reconciled with the database');
  await new Promise<void>((resolve) => http.listen(config.port, config.host, resolve));
  const port = (http.address() as AddressInfo).port;
  listeningPort = port;
  log.info({ port }, 'signalling listening');
  return {
    port,
    http,
    io,
    sfu,
    rooms,
    links,
    prisma,
    timetable,
    health,
    probes,
    clock,
    async close() {
      await rooms.closeAll('server_shutdown');
      await health.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await timetable.close();
      await notifier.close();
      redis.disconnect();
      await prisma.$disconnect();
      sfu.close();
    },
  };
}
