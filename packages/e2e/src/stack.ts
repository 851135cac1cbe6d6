import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LinkSigner, SfuClient, randomId } from '@dp/signalling';
import { createPrisma, createScratchDatabase, type PrismaClient } from '@dp/db';
import { afterAll, beforeAll } from '@jest/globals';
import type { Browser } from 'puppeteer-core';
import { launchChromium } from './browser.ts';
import type { RoomRole } from '@dp/protocol';

/** How `link` creates a consultation the first time its name is used (later calls reuse it). */
export interface ConsultationOpts {
  start?: Date;
  state?: 'planned' | 'open' | 'cancelled';
  /** Default one_to_one; the role given to `link` must be one of the kind's (room-policy.ts `rolesOfKind`). */
  kind?: 'one_to_one' | 'webinar' | 'dyad';
  /** Stored as the participant's name (what the others see as its label). */
  displayName?: string;
  /** When this participant's link expires (default: in an hour). */
  linkExpiresAt?: Date;
}

const DIRECTION = { one_to_one: 'specialist_client', webinar: 'specialist_client', dyad: 'client_client' } as const;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The product as it runs in production: an SFU process and a signalling process serving the built web app. */
export interface Product {
  url: string;
  /** A link for a new participant of the named consultation (created, open now, on first use). */
  link(consultation: string, role: RoomRole, query?: string, opts?: ConsultationOpts): Promise<string>;
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

export async function startProduct(opts: { workers?: number; env?: Record<string, string> } = {}): Promise<Product> {
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
  run('sfu', 'apps/sfu/src/main.ts');
  await waitFor(`tcp://127.0.0.1:${rpcPort}`, logs);
  run('signalling', 'apps/signalling/src/main.ts');
  const url = `http://127.0.0.1:${httpPort}`;
  await waitFor(`${url}/api/health`, logs);
  const sfu = new SfuClient({ url: `ws://127.0.0.1:${rpcPort}`, secret: sfuSecret });
  await sfu.connect();
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
    await prisma.consultation.create({
      data: {
        id,
        institutionId,
        kind: opts.kind ?? 'one_to_one',
        direction: DIRECTION[opts.kind ?? 'one_to_one'],
        mode: 'on_request',
        start: opts.start ?? new Date(Date.now() - 60_000),
        durationMinutes: 45,
        state: opts.state ?? 'open',
      },
    });
    return id;
  };
  return {
    url,
    logs,
    sfu,
    prisma,
    consultationId,
    link: async (name, role, query = '', opts = {}) => {
      const id = await ensureConsultation(name, opts);
      const participant = await prisma.participant.create({
        data: { consultationId: id, role, displayName: opts.displayName ?? null },
      });
      const expiresAt = opts.linkExpiresAt ?? new Date(Date.now() + 3600_000);
      const token = signer.sign({ consultationId: id, participantId: participant.id, role, expiresAt });
      return `${url.replace('127.0.0.1', 'localhost')}/join/${token}${query}`;
    },
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
export function productAndBrowser(env?: () => Record<string, string>): { readonly product: Product; readonly browser: Browser } {
  let product: Product | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    product = await startProduct(env ? { env: env() } : {});
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });
  return {
    get product() {
      return product!;
    },
    get browser() {
      return browser!;
    },
  };
}
