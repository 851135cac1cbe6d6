import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { SignallingConfig } from './config.ts';
import { createApiRouter, type ApiDeps } from './api/index.ts';
import { createApp } from './http/app.ts';
import { LinkSigner } from './links/link-token.ts';
import { RoomRegistry } from './rooms/room-registry.ts';
import { SfuClient } from './sfu/sfu-client.ts';
import { attachRoomNamespace } from './socket/room-socket.ts';
import { createPrisma, type PrismaClient } from '@dp/db';
import { ConsultationGate } from './timetable/consultation-gate.ts';
import { TimetableService, type JobOutcome } from './timetable/timetable-service.ts';

export interface SignallingServer {
  port: number;
  http: HttpServer;
  io: Server;
  sfu: SfuClient;
  rooms: RoomRegistry;
  links: LinkSigner;
  prisma: PrismaClient;
  timetable: TimetableService;
  close(): Promise<void>;
}

export interface SignallingOptions {
  /** Observes every fired timetable job (tests, the job-timing benchmark). */
  onJobOutcome?: (o: JobOutcome) => void;
  timetableQueue?: string;
}

/** Composes the signalling process; main.ts and the tests both start it this way. */
export async function startSignalling(config: SignallingConfig, log: Logger, opts: SignallingOptions = {}): Promise<SignallingServer> {
  const sfu = new SfuClient({ url: config.sfuUrl, secret: config.sfuSecret, log });
  const links = new LinkSigner(config.linkSecret);
  const rooms = new RoomRegistry(sfu, log);
  const prisma = createPrisma(config.databaseUrl);
  const gate = new ConsultationGate(prisma);
  const timetable = new TimetableService({
    prisma,
    redisUrl: config.redisUrl,
    rooms,
    log,
    ...(opts.onJobOutcome ? { onOutcome: opts.onJobOutcome } : {}),
    ...(opts.timetableQueue ? { queueName: opts.timetableQueue } : {}),
  });
  let listeningPort = config.port;
  const apiDeps: ApiDeps = {
    prisma,
    adminToken: config.adminToken,
    get publicUrl() {
      return config.publicUrl ?? `http://localhost:${listeningPort}`;
    },
    signLink: (claims) => links.sign(claims),
    timetable,
    now: () => new Date(),
    log,
  };
  const app = createApp({ links, gate, sfu, webDist: config.webDist, log, api: createApiRouter(apiDeps) });
  const http = createServer(app);
  // Above the protocol's 64 KB limit, so an oversized message still gets an error ack.
  const io = new Server(http, { maxHttpBufferSize: 256 * 1024, serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 });
  rooms.onRoomClosed = (id, reason) =>
    void timetable.roomClosed(id, reason).catch((e: Error) => log.error({ err: e.message }, 'could not record a closed room'));
  attachRoomNamespace(io, rooms, links, gate, log);
  await sfu.connect();
  timetable.start();
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
    async close() {
      await rooms.closeAll('server_shutdown');
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await timetable.close();
      await prisma.$disconnect();
      sfu.close();
    },
  };
}
