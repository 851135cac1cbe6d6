// Findings 8 and 10 of the security review, on the real product: two signalling instances
// sharing one Redis and one PostgreSQL, a real SFU, real sockets and HTTP.
//
// Limits (http/budgets.ts) with the production numbers: per link first (10 joins, 5 network
// tests, 60 look-ups a minute), then per address (300 connections, 120 joins, 300 look-ups).
// Each test comes from addresses of its own through X-Forwarded-For, which the default
// TRUST_PROXY ('loopback') believes from 127.0.0.1 — as behind the shipped nginx — so the
// tests do not share budgets, and the address really is the one the proxy names.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { loadSfuConfig, startSfuNode, type SfuNode } from '@dp/sfu';
import { ROOM_NAMESPACE, type Ack, type MediaCapabilities } from '@dp/protocol';
import { loadSignallingConfig, startSignalling, type SignallingServer } from '../src/index.ts';
import { createTestDatabase } from './api/support.ts';
import { LINK_SECRET, SECRET, errorCode, ok, roomId, seatFor, tokenFor, waitFor, type Stack } from './harness.ts';

const quiet = pino({ level: 'silent' });
let sfu: SfuNode;
let db: { url: string; drop(): Promise<void> };
/** Two instances of signalling, as behind a load balancer: one SFU, one database, one Redis. */
let a: SignallingServer;
let b: SignallingServer;
let stack: Stack;
const urlOf = (s: SignallingServer) => `http://127.0.0.1:${s.port}`;
let rtpCapabilities: MediaCapabilities['routerRtpCapabilities'];

beforeAll(async () => {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  sfu = await startSfuNode(
    loadSfuConfig({
      SFU_RPC_SECRET: SECRET,
      SFU_RPC_PORT: '0',
      SFU_WORKERS: '1',
      SFU_LISTEN_IP: '127.0.0.1',
      SFU_RTC_PORT: '24700',
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    }),
    quiet,
  );
  db = await createTestDatabase();
  // The production defaults, except the counters' key prefix: this run's own (both instances share it).
  const config = loadSignallingConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    SFU_URL: `ws://127.0.0.1:${sfu.rpcPort}`,
    SFU_RPC_SECRET: SECRET,
    LINK_SECRET,
    WEB_DIST: '/nonexistent',
    DATABASE_URL: db.url,
    REDIS_URL: process.env.REDIS_URL ?? '',
    LIMIT_KEY_PREFIX: `test:limits:${randomUUID()}`,
  });
  expect(config.budgets).toMatchObject({
    windowSeconds: 60,
    perHolder: { join: 10, networkTest: 5, lookup: 60 },
    perAddress: { connection: 300, join: 120, lookup: 300 },
  });
  const queue = `test-limits-${randomUUID()}`;
  a = await startSignalling(config, quiet, { timetableQueue: queue });
  b = await startSignalling(config, quiet, { timetableQueue: queue });
  stack = { sfu, signalling: a, url: urlOf(a), close: async () => undefined };
  rtpCapabilities = ((await (await fetch(`${urlOf(a)}/api/media/capabilities`)).json()) as MediaCapabilities).routerRtpCapabilities;
}, 60_000);

afterAll(async () => {
  for (const s of [a, b]) {
    await s?.close();
    s?.http.close();
  }
  sfu?.close();
  await db?.drop();
}, 30_000);

let nextAddress = 1;
/** An address of the documentation range (RFC 5737) no other test uses. */
const freshAddress = () => `203.0.113.${nextAddress++}`;

interface Peer {
  socket: Socket;
  request<T = unknown>(event: string, payload?: unknown): Promise<Ack<T>>;
  close(): void;
}

/** A socket to `server` as if from `address` (through the proxy); rejects with connect_error's data. */
async function peerFrom(server: SignallingServer, address: string, cookie?: string): Promise<Peer> {
  const socket = connect(urlOf(server) + ROOM_NAMESPACE, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    // A staff page's session cookie comes with its own origin (the cookie counts only then).
    extraHeaders: { 'x-forwarded-for': address, ...(cookie ? { cookie, origin: urlOf(server) } : {}) },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (e: Error & { data?: unknown }) => reject(Object.assign(new Error(e.message), { data: e.data })));
  });
  socket.on('newConsumer', (_d: unknown, ack: (r: { ok: boolean }) => void) => ack({ ok: true }));
  return {
    socket,
    request: (event, payload = {}) => socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<never>>,
    close: () => socket.close(),
  };
}

const lookUp = (server: SignallingServer, token: string, address: string) =>
  fetch(`${urlOf(server)}/api/links/${encodeURIComponent(token)}`, { headers: { 'x-forwarded-for': address } });

const retryAfterOf = (ack: Ack<unknown>) => (ack.ok ? undefined : ack.error.details?.retryAfterSeconds);

describe('joins: 10 a minute per link, counted by every instance together', () => {
  it('the 11th join of one link in a minute is refused with rate_limited and a retry hint; a second link from the same address is not', async () => {
    const address = freshAddress();
    const token = await tokenFor(stack, 'limits-join', 'client');
    // Alternately through both instances: the count is Redis's, not a process's.
    for (let i = 0; i < 10; i++) {
      const p = await peerFrom(i % 2 === 0 ? a : b, address);
      ok(await p.request('join', { token }));
      ok(await p.request('leave'));
      p.close();
    }
    for (const server of [a, b]) {
      const p = await peerFrom(server, address);
      const refused = await p.request('join', { token });
      expect(errorCode(refused)).toBe('rate_limited');
      expect(retryAfterOf(refused)).toBeGreaterThanOrEqual(1);
      expect(retryAfterOf(refused)).toBeLessThanOrEqual(60);
      p.close();
    }
    // Another link from the same address (a family's second device, an office) still joins.
    const other = await peerFrom(a, address);
    ok(await other.request('join', { token: await tokenFor(stack, 'limits-join-2', 'client') }));
    other.close();
  });

  it('a staff session has the same 10 joins a minute (its own budget, whichever address)', async () => {
    const seat = await seatFor(stack, 'limits-staff', 'specialist');
    const cookie = seat.peerOptions.cookie!;
    for (let i = 0; i < 10; i++) {
      const p = await peerFrom(i % 2 === 0 ? a : b, freshAddress(), cookie);
      ok(await p.request('join', seat.join));
      ok(await p.request('leave'));
      p.close();
    }
    const p = await peerFrom(a, freshAddress(), cookie);
    expect(errorCode(await p.request('join', seat.join))).toBe('rate_limited');
    p.close();
  });

  it('per address: 120 joins a minute from one address, whatever the links; another address is not affected', async () => {
    const address = freshAddress();
    // Forged tokens spend the address's budget too (nothing else: they have no link). Twenty
    // per socket: a socket's own flood limit (40 events a second) is not what is tested here.
    const forged = `${'x'.repeat(40)}`;
    for (let i = 0; i < 120; i += 20) {
      const p = await peerFrom(i % 40 === 0 ? a : b, address);
      const codes = await Promise.all(Array.from({ length: 20 }, () => p.request('join', { token: forged }).then(errorCode)));
      expect(codes.every((c) => c === 'invalid_token')).toBe(true);
      p.close();
    }
    const p = await peerFrom(a, address);
    expect(errorCode(await p.request('join', { token: forged }))).toBe('rate_limited');
    expect(errorCode(await p.request('join', { token: await tokenFor(stack, 'limits-join-3', 'client') }))).toBe('rate_limited');
    p.close();
    const elsewhere = await peerFrom(b, freshAddress());
    ok(await elsewhere.request('join', { token: await tokenFor(stack, 'limits-join-4', 'client') }));
    elsewhere.close();
  });
});

describe('network tests: 5 starts a minute per link', () => {
  it('the 6th start of one link in a minute is refused (across instances); another link is not', async () => {
    const address = freshAddress();
    const token = await tokenFor(stack, 'limits-probe', 'client');
    for (let i = 0; i < 5; i++) {
      const p = await peerFrom(i % 2 === 0 ? a : b, address);
      ok(await p.request('networkTestStart', { token, rtpCapabilities }));
      p.close(); // a closed socket closes its probe (the concurrency limit is not what is tested here)
      await waitFor(async () => a.probes.openCount === 0 && b.probes.openCount === 0);
    }
    const p = await peerFrom(b, address);
    const refused = await p.request('networkTestStart', { token, rtpCapabilities });
    expect(errorCode(refused)).toBe('rate_limited');
    expect(retryAfterOf(refused)).toBeGreaterThanOrEqual(1);
    const other = await p.request<{ probeId: string }>('networkTestStart', {
      token: await tokenFor(stack, 'limits-probe-2', 'client'),
      rtpCapabilities,
    });
    expect(ok(other).probeId).toBeTruthy();
    p.close();
    await waitFor(async () => b.probes.openCount === 0);
  });
});

describe('link look-ups: 60 a minute per link, 300 per address', () => {
  it('the 301st look-up from one address answers 429 with Retry-After and a JSON error, whichever instance', async () => {
    const address = freshAddress();
    // Valid links, six of them, 50 look-ups each (under a link's 60), 150 through each instance.
    const tokens = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => tokenFor(stack, `limits-lookup-${i}`, 'client')));
    const statuses: number[] = [];
    for (let i = 0; i < 300; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) => lookUp((i + j) % 2 === 0 ? a : b, tokens[(i + j) % 6]!, address).then((r) => r.status)),
      );
      statuses.push(...batch);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(300);
    // A link not looked up yet: refused by the address's budget, not its own.
    const fresh = await tokenFor(stack, 'limits-lookup-fresh', 'client');
    for (const server of [a, b]) {
      const res = await lookUp(server, fresh, address);
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: retryAfter } } });
    }
    // Another address is not affected.
    expect((await lookUp(a, fresh, freshAddress())).status).toBe(200);
  }, 60_000);

  it('the 61st look-up of one link answers 429; another link from the same address does not', async () => {
    const address = freshAddress();
    const token = await tokenFor(stack, 'limits-lookup-one', 'client');
    for (let i = 0; i < 60; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, () => lookUp(i % 20 === 0 ? a : b, token, address).then((r) => r.status)));
      expect(batch.every((s) => s === 200)).toBe(true);
    }
    expect((await lookUp(b, token, address)).status).toBe(429);
    expect((await lookUp(a, await tokenFor(stack, 'limits-lookup-other', 'client'), address)).status).toBe(200);
  });
});

describe('socket.io connections: 300 a minute per address', () => {
  it('the 301st connection from one address is refused with rate_limited; another address connects', async () => {
    const address = freshAddress();
    for (let i = 0; i < 300; i += 25) {
      const batch = await Promise.all(Array.from({ length: 25 }, (_, j) => peerFrom((i + j) % 2 === 0 ? a : b, address)));
      for (const p of batch) p.close();
    }
    const refused = await peerFrom(a, address).then(
      (p) => (p.close(), undefined),
      (e: Error & { data?: { code?: string; retryAfterSeconds?: number } }) => e.data,
    );
    expect(refused).toMatchObject({ code: 'rate_limited' });
    expect(refused?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    (await peerFrom(b, freshAddress())).close();
  }, 60_000);
});

describe('control characters in the chat (finding 8)', () => {
  it('a NUL in a chat message answers bad_request; nothing is stored, the room goes on', async () => {
    // A webinar's attendee: in the room at once (no waiting room), and may write.
    const p = await peerFrom(a, freshAddress());
    ok(await p.request('join', { token: await tokenFor(stack, 'limits-chat', 'attendee', { kind: 'webinar' }) }));
    const prisma = a.prisma;
    const consultationId = roomId('limits-chat');
    const refused = await p.request('sendChat', { text: 'привет\u0000' });
    expect(errorCode(refused)).toBe('bad_request');
    expect(refused.ok ? '' : refused.error.message).toMatch(/text/);
    expect(errorCode(await p.request('sendChat', { text: 'вопрос\u0007', question: true }))).toBe('bad_request');
    expect(await prisma.roomMessage.count({ where: { consultationId } })).toBe(0);
    // Line breaks are text: the next message is stored as written.
    ok(await p.request('sendChat', { text: 'строка 1\nстрока 2' }));
    expect((await prisma.roomMessage.findMany({ where: { consultationId } })).map((m) => m.body)).toEqual(['строка 1\nстрока 2']);
    p.close();
  });
});
