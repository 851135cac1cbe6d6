import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { resolve } from 'node:path';
import { bookConsultation, forceStateForTest, LinkSigner, SfuClient, randomId } from '@dp/signalling';
import { createPrisma, createScratchDatabase, type PrismaClient } from '@dp/db';
import { startSmtpCapture, type SmtpCapture } from '../../../apps/signalling/test/smtp-capture.ts';
import type { ConsultationState, LifecycleEvent } from '@dp/protocol';
import { afterAll, beforeAll } from '@jest/globals';
import type { Browser } from 'puppeteer-core';
import { launchChromium } from './browser.ts';
import { repoRoot, type StaffSeat } from './common.ts';
import { staffOf, type TestStaff } from './staff.ts';

/** How `link` and `staff` create a consultation the first time its name is used (later calls reuse it). */
export interface ConsultationOpts {
  start?: Date;
  /** Reached through the lifecycle table from `planned` (forceStateForTest); default `open`. */
  state?: ConsultationState;
  /** The lifecycle events that lead to `state` when the shortest way is not the one meant (e.g. open → no_show, not the limit). */
  events?: LifecycleEvent[];
  /** Default one_to_one; the role given to `link` or `staff` must be one of the kind's (room-policy.ts `rolesOfKind`). */
  kind?: 'one_to_one' | 'webinar' | 'dyad';
  /** Stored as the participant's name (what the others see as its label). */
  displayName?: string;
  /** When this participant's link expires (default: in an hour). */
  linkExpiresAt?: Date;
}

/** The roles that have a link: clients (room-policy.ts). */
export type ClientRole = 'client' | 'attendee';
/** The roles staff take in a room: they enter signed in, never by a link. */
export type LeadRole = 'specialist' | 'host' | 'cohost' | 'curator';

const DIRECTION = { one_to_one: 'specialist_client', webinar: 'specialist_client', dyad: 'client_client' } as const;

/** The product as it runs in production: an SFU process and a signalling process serving the built web app. */
export interface Product {
  url: string;
  /** The origin the pages use (`localhost`: cookies are per host, so every page uses the same). */
  base: string;
  /**
   * A link for a new client participant of the named consultation (created, open now, on
   * first use), signed as the server signs it: the participant's stored link generation.
   */
  link(consultation: string, role: ClientRole, query?: string, opts?: ConsultationOpts): Promise<string>;
  /**
   * A new member of staff (role `specialist` in the institution; or the account `as`) taking
   * part in the named consultation in a lead role; `browser.ts` `openStaff` signs it in and
   * opens its room.
   */
  staff(consultation: string, role: LeadRole, query?: string, opts?: ConsultationOpts & { as?: TestStaff }): Promise<StaffSeat>;
  /** The consultation id behind a name given to `link`. */
  consultationId(name: string): string;
  prisma: PrismaClient;
  /** An RPC client of the SFU node, to look at what the server really holds. */
  sfu: SfuClient;
  stop(): Promise<void>;
  logs: string[];
}

async function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createSocket('udp4');
    s.once('error', () => res(false));
    s.bind(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

async function freeRtcPort(): Promise<number> {
  for (;;) {
    const port = await freeTcpPort();
    if (port < 65000 && (await udpFree(port))) return port;
  }
}

/** What a test may set up before the processes start (e.g. consultations the timetable plans at its start-up reconcile). */
export type BeforeStart = (product: Pick<Product, 'url' | 'base' | 'prisma' | 'link' | 'staff' | 'consultationId'>) => Promise<void>;

export async function startProduct(
  opts: { workers?: number; env?: Record<string, string>; beforeStart?: BeforeStart } = {},
): Promise<Product> {
  const workerBin = process.env.MEDIASOUP_WORKER_BIN;
  if (!workerBin) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL)
    throw new Error('DATABASE_URL and REDIS_URL must be set: run the tests through ./pnpm test');
  const db = await createScratchDatabase(process.env.DATABASE_URL);
  const prisma = createPrisma(db.url);
  const sfuSecret = `e2e-${randomId(16)}`;
  const linkSecret = `e2e-${randomId(32)}`;
  const [rpcPort, httpPort, rtcPort] = [await freeTcpPort(), await freeTcpPort(), await freeRtcPort()];
  const env = {
    ...process.env,
    SFU_RPC_SECRET: sfuSecret,
    SFU_RPC_PORT: String(rpcPort),
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_RTC_PORT: String(rtcPort),
    SFU_WORKERS: String(opts.workers ?? 1),
    SFU_URL: `ws://127.0.0.1:${rpcPort}`,
    LINK_SECRET: linkSecret,
    HOST: '127.0.0.1',
    PORT: String(httpPort),
    WEB_DIST: resolve(repoRoot, 'apps/web/dist'),
    MEDIASOUP_WORKER_BIN: workerBin,
    DEMO: '0',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL,
    // Every browser of every test, and the benchmarks' hundreds of attendees, come from
    // 127.0.0.1: the per-address budgets (http/budgets.ts) are loopback-sized here, and each
    // product counts in Redis keys of its own. The per-link budgets stay as in production.
    LIMIT_KEY_PREFIX: `e2e:limit:${randomId(8)}`,
    LIMIT_CONNECTIONS_PER_ADDRESS: '100000',
    LIMIT_JOINS_PER_ADDRESS: '100000',
    LIMIT_NETWORK_TESTS_PER_ADDRESS: '100000',
    LIMIT_LINK_LOOKUPS_PER_ADDRESS: '100000',
    ...opts.env,
  };
  const logs: string[] = [];
  const children: ChildProcess[] = [];
  const run = (name: string, script: string) => {
    const child = spawn(process.execPath, [resolve(repoRoot, script)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => logs.push(`[${name}] ${d.toString()}`));
    child.stderr!.on('data', (d: Buffer) => logs.push(`[${name}] ${d.toString()}`));
    children.push(child);
  };
  const url = `http://127.0.0.1:${httpPort}`;
  const signer = new LinkSigner(linkSecret);
  const ids = new Map<string, string>();
  const consultationId = (name: string) => {
    if (!ids.has(name)) ids.set(name, randomUUID());
    return ids.get(name)!;
  };
  let institutionId: string | undefined;
  const ensureConsultation = async (name: string, opts: ConsultationOpts = {}): Promise<string> => {
    const id = consultationId(name);
    if (await prisma.consultation.findUnique({ where: { id }, select: { id: true } })) return id;
    institutionId ??= (
      await prisma.institution.create({
        data: {
          department: { create: { name: 'E2E департамент' } },
          name: 'E2E учреждение',
          phone: '+7 (3812) 00-00-00',
          timeZone: 'Asia/Omsk',
          // Working round the clock every day: e2e consultations start whenever a test runs,
          // and the staff screens read the calendar (at least one working day is a rule).
          week: Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, { start: '00:00', end: '23:59' }])),
        },
      })
    ).id;
    // Booked, then walked to the wanted state through the lifecycle table (the test-only entry).
    await bookConsultation(
      prisma,
      {
        id,
        institutionId,
        kind: opts.kind ?? 'one_to_one',
        direction: DIRECTION[opts.kind ?? 'one_to_one'],
        mode: 'on_request',
        start: opts.start ?? new Date(Date.now() - 60_000),
        durationMinutes: 45,
      },
      { actorId: null, at: new Date() },
    );
    await forceStateForTest(prisma, id, opts.state ?? 'open', opts.events ? { events: opts.events } : {});
    return id;
  };
  const base = url.replace('127.0.0.1', 'localhost');
  const link: Product['link'] = async (name, role, query = '', opts = {}) => {
    if (role !== 'client' && role !== 'attendee') throw new Error(`staff do not have links (${String(role)}): use product.staff`);
    const id = await ensureConsultation(name, opts);
    const participant = await prisma.participant.create({
      data: { consultationId: id, role, displayName: opts.displayName ?? null },
    });
    const expiresAt = opts.linkExpiresAt ?? new Date(Date.now() + 3600_000);
    const token = signer.sign({
      consultationId: id,
      participantId: participant.id,
      role,
      generation: participant.linkGeneration,
      expiresAt,
    });
    return `${base}/join/${token}${query}`;
  };
  const staff: Product['staff'] = async (name, role, query = '', opts = {}) => {
    const id = await ensureConsultation(name, opts);
    const member = opts.as ?? (await staffOf(prisma, id, 'specialist', opts.displayName ?? 'Соколова Ирина Викторовна'));
    // One of the consultation's specialists (their own, as booked) and its lead participant.
    await prisma.consultationSpecialist.create({ data: { consultationId: id, specialistId: member.id } });
    const participant = await prisma.participant.create({
      data: { consultationId: id, role, staffUserId: member.id, displayName: member.displayName },
    });
    return { ...member, participantId: participant.id, consultationId: id, roomUrl: `${base}/staff/room/${id}${query}` };
  };
  await opts.beforeStart?.({ url, base, prisma, link, staff, consultationId });
  run('sfu', 'apps/sfu/src/main.ts');
  await waitFor(`tcp://127.0.0.1:${rpcPort}`, logs);
  run('signalling', 'apps/signalling/src/main.ts');
  await waitFor(`${url}/api/health`, logs);
  const sfu = new SfuClient({ url: `ws://127.0.0.1:${rpcPort}`, secret: sfuSecret });
  await sfu.connect();
  return {
    url,
    base,
    logs,
    sfu,
    prisma,
    consultationId,
    link,
    staff,
    async stop() {
      sfu.close();
      await prisma.$disconnect();
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((res) => {
              if (c.exitCode !== null) return res();
              c.once('exit', () => res());
              c.kill('SIGTERM');
              setTimeout(() => c.kill('SIGKILL'), 3000).unref();
            }),
        ),
      );
      await db.drop();
    },
  };
}

const tcpOpen = (host: string, port: number) =>
  new Promise<boolean>((res) => {
    const c = createConnection({ host, port }, () => (c.end(), res(true)));
    c.on('error', () => res(false));
  });

/** Waits until a TCP port accepts connections (`tcp://host:port`) or a URL answers 2xx. */
async function waitFor(target: string, logs: string[], timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (target.startsWith('tcp://')) {
      const [host, port] = target.slice(6).split(':');
      if (await tcpOpen(host!, Number(port))) return;
    } else if (
      await fetch(target).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${target} did not come up:\n${logs.join('')}`);
}

/**
 * For a test file: the product and one Chromium, started before its tests and stopped after.
 * Read them through the returned getters (they exist once beforeAll has run).
 */
export function productAndBrowser(
  env?: () => Record<string, string>,
  beforeStart?: BeforeStart,
): { readonly product: Product; readonly browser: Browser } {
  let product: Product | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    product = await startProduct({ ...(env ? { env: env() } : {}), ...(beforeStart ? { beforeStart } : {}) });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  }, 30_000); // the processes' SIGTERM grace (3 s) and dropping the scratch database, on a busy machine
  return {
    get product() {
      return product!;
    },
    get browser() {
      return browser!;
    },
  };
}

/**
 * `productAndBrowser` whose product mails through a real SMTP server of the test's own
 * (apps/signalling/test/smtp-capture.ts): read what arrived from `smtp.mails`.
 */
export function productWithMail(
  env: Record<string, string> = {},
  beforeStart?: BeforeStart,
): {
  readonly product: Product;
  readonly browser: Browser;
  readonly smtp: SmtpCapture;
} {
  let smtp: SmtpCapture | undefined;
  beforeAll(async () => {
    smtp = await startSmtpCapture();
  });
  afterAll(async () => {
    await smtp?.close();
  });
  const ctx = productAndBrowser(
    () => ({ SMTP_URL: `smtp://127.0.0.1:${smtp!.port}`, MAIL_FROM: 'Приёмная <priem@example.org>', ...env }),
    beforeStart,
  );
  return {
    get product() {
      return ctx.product;
    },
    get browser() {
      return ctx.browser;
    },
    get smtp() {
      return smtp!;
    },
  };
}
