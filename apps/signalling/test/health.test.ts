// The health dashboard's server side on the real stack (a real mediasoup worker, real
// PostgreSQL): the monitor joins the SFU's figures with the browsers' reports, the /admin
// namespace lets in only admins (their department) and heads (their institution), each
// sees only their rooms, /metrics serves the same figures, and a closed room leaves its
// quality summary with the consultation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'socket.io-client';
import { ADMIN_NAMESPACE, HealthSnapshot, RoomQualitySummary, type Ack, type ClientStatsReport, type RoomSeries } from '@dp/protocol';
import type { StaffRole } from '@dp/db';
import {
  admittedClient,
  errorCode,
  ok,
  roomId,
  sessionCookieFor,
  seatFor,
  startStack,
  TEST_RESUME_GRACE_MS,
  threeInstitutions,
  waitFor,
  type Stack,
} from './harness.ts';

let stack: Stack;
const inst = {} as Record<'own' | 'sibling' | 'foreign', { id: string; departmentId: string }>;

beforeAll(async () => {
  stack = await startStack(23600);
  Object.assign(inst, await threeInstitutions(stack));
}, 60_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

async function staffCookie(role: StaffRole, where: { id: string; departmentId: string }): Promise<string> {
  const user = await stack.signalling.prisma.staffUser.create({
    data: {
      email: `${role}-${randomBytes(5).toString('hex')}@example.org`,
      displayName: `${role} health`,
      role,
      institutionId: where.id,
      departmentId: where.departmentId,
      passwordHash: 'not-used-here',
    },
  });
  return sessionCookieFor(stack, user.id);
}

/** Opens /admin as a page of this origin would; resolves the socket or the refusal's code. */
function openDashboard(cookie: string | null, origin = stack.url): Promise<{ socket: Socket } | { refused: string }> {
  const socket = connect(stack.url + ADMIN_NAMESPACE, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(cookie ? { cookie } : {}), origin },
  });
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ refused: e.data?.code ?? e.message });
    });
  });
}

const nextSnapshot = (socket: Socket, timeoutMs = 8_000) =>
  new Promise<HealthSnapshot>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no healthSnapshot')), timeoutMs);
    socket.once('healthSnapshot', (s: unknown) => {
      clearTimeout(t);
      resolve(HealthSnapshot.parse(s));
    });
  });

const report = (o: Partial<ClientStatsReport> = {}): ClientStatsReport => ({
  iceState: 'connected',
  path: 'udp',
  sendBitrate: 500_000,
  recvBitrate: 700_000,
  recvLossPercent: 0.5,
  rttMs: 60,
  jitterMs: 8,
  fps: 24,
  frameWidth: 640,
  frameHeight: 360,
  nackCount: 2,
  pliCount: 1,
  firCount: 0,
  ...o,
});

/**
 * A one-to-one of the given institution with its client let in. The consultation is made
 * (seatFor puts it in the first institution it finds) and moved before anyone joins, so
 * the monitor never sees it elsewhere.
 */
async function openRoomIn(room: string, institutionId: string) {
  await seatFor(stack, room, 'specialist');
  await stack.signalling.prisma.consultation.update({ where: { id: roomId(room) }, data: { institutionId } });
  const seated = await admittedClient(stack, room);
  // The dashboard reads the lifecycle state from the database (as the staff lists do): wait
  // until the room has recorded the client's arrival.
  await waitFor(
    async () => (await stack.signalling.prisma.consultation.findUniqueOrThrow({ where: { id: roomId(room) } })).state === 'live',
  );
  return seated;
}

describe('the health monitor', () => {
  it('joins the SFU’s figures with the browser’s report, scores it, and raises the RTT alert', async () => {
    const { client, specialist, clientId } = await openRoomIn('health-1', inst.own.id);
    ok(
      await client.request(
        'clientStats',
        report({ rttMs: 450, path: 'relay', relayProtocol: 'tls', sendEstimate: 120_000, sendLimitation: 'bandwidth' }),
      ),
    );
    const snapshot = (await stack.signalling.health.tick())!;
    expect(HealthSnapshot.safeParse(snapshot).success).toBe(true);

    const room = snapshot.rooms.find((r) => r.roomId === roomId('health-1'))!;
    expect(room).toMatchObject({ kind: 'one_to_one', institutionId: inst.own.id, phase: 'live' });
    expect(room.minutesLeft).toBeGreaterThan(0);
    expect(room.participants.map((p) => p.role).sort()).toEqual(['client', 'specialist']);
    const c = room.participants.find((p) => p.peerId === clientId)!;
    expect(c).toMatchObject({ browserReport: true, rttMs: 450, path: 'relay', iceState: 'connected', fps: 24, frameWidth: 640 });
    // The browser's path details and uplink figures reach the dashboard; no media is sent here, so no videos received.
    expect(c).toMatchObject({ relayProtocol: 'tls', sendEstimate: 120_000, sendLimitation: 'bandwidth', videoIn: [] });
    expect(c.score).toBeLessThan(5);
    expect(snapshot.alerts).toContainEqual(expect.objectContaining({ kind: 'rtt', roomId: room.roomId, peerId: clientId, value: 450 }));
    // The specialist sent no report: the SFU's view alone (transports created, ICE not started).
    expect(room.participants.find((p) => p.role === 'specialist')).toMatchObject({ browserReport: false });

    // The SFU's node and worker are there, with the room's router counted.
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.nodes[0]!.workers[0]).toMatchObject({ routers: expect.any(Number), transports: expect.any(Number) });
    expect(snapshot.nodes[0]!.workers[0]!.transports).toBeGreaterThanOrEqual(4);
    expect(snapshot.signalling[0]!.sockets).toBeGreaterThanOrEqual(2);

    // A report out of bounds is refused with an error ack and changes nothing.
    expect(errorCode(await client.request('clientStats', { ...report(), rttMs: -5 }))).toBe('bad_request');
    expect(errorCode(await client.request('clientStats', { ...report(), extra: 1 }))).toBe('bad_request');
    expect(errorCode(await client.request('clientStats', { ...report(), relayProtocol: 'quic' }))).toBe('bad_request');

    // The room closes: its quality summary is written to the consultation.
    client.close();
    specialist.close();
    // After the resume grace (1 s in tests) both are gone and the room closes with its router.
    await waitFor(async () => !(await stack.sfu.service.handlers.roomState({ roomId: roomId('health-1') }, 't')).exists, {
      timeoutMs: 5 * TEST_RESUME_GRACE_MS,
      what: 'the room closed',
    });
    await stack.signalling.health.tick();
    const stored = await stack.signalling.prisma.consultation.findUniqueOrThrow({ where: { id: roomId('health-1') } });
    const summary = RoomQualitySummary.parse(stored.qualitySummary);
    expect(summary.samples).toBeGreaterThanOrEqual(1);
    expect(summary.rttMsMax).toBeGreaterThanOrEqual(450);
    expect(summary.alerts['rtt']).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

describe('/admin: who may watch, and what', () => {
  it('refuses anonymous callers, other roles, and a handshake from another site', async () => {
    expect(await openDashboard(null)).toEqual({ refused: 'unauthenticated' });
    expect(await openDashboard(await staffCookie('specialist', inst.own))).toEqual({ refused: 'forbidden' });
    expect(await openDashboard(await staffCookie('social_worker', inst.own))).toEqual({ refused: 'forbidden' });
    expect(await openDashboard(await staffCookie('admin', inst.own), 'https://evil.example')).toEqual({ refused: 'unauthenticated' });
  });

  it('an admin sees the rooms of its department, a head those of its institution, and only their charts', async () => {
    const a = await openRoomIn('health-own', inst.own.id);
    const b = await openRoomIn('health-sibling', inst.sibling.id);
    await stack.signalling.health.tick();

    const admin = await openDashboard(await staffCookie('admin', inst.own));
    const head = await openDashboard(await staffCookie('head', inst.own));
    const foreignAdmin = await openDashboard(await staffCookie('admin', inst.foreign));
    if (!('socket' in admin) || !('socket' in head) || !('socket' in foreignAdmin)) throw new Error('a dashboard was refused');

    const [seenByAdmin, seenByHead, seenByForeign] = await Promise.all([
      nextSnapshot(admin.socket),
      nextSnapshot(head.socket),
      nextSnapshot(foreignAdmin.socket),
    ]);
    const ids = (s: HealthSnapshot) => s.rooms.map((r) => r.roomId).sort();
    expect(ids(seenByAdmin)).toEqual([roomId('health-own'), roomId('health-sibling')].sort());
    expect(ids(seenByHead)).toEqual([roomId('health-own')]);
    expect(ids(seenByForeign)).toEqual([]);
    // Figures only: no participant's name travels to the dashboard.
    expect(JSON.stringify(seenByAdmin)).not.toMatch(/"label"|"displayName"/);

    const watch = (socket: Socket, id: string) =>
      socket.timeout(5_000).emitWithAck('watchRoom', { roomId: id }) as Promise<Ack<{ series: RoomSeries | null }>>;
    const series = ok(await watch(head.socket, roomId('health-own'))).series!;
    expect(series.roomId).toBe(roomId('health-own'));
    expect(series.room.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(series.participants)).toContain(a.clientId);
    expect(errorCode(await watch(head.socket, roomId('health-sibling')))).toBe('not_found');
    expect(errorCode(await watch(foreignAdmin.socket, roomId('health-own')))).toBe('not_found');
    expect(errorCode(await (head.socket.timeout(5_000).emitWithAck('watchRoom', { roomId: 42 }) as Promise<Ack<unknown>>))).toBe(
      'bad_request',
    );
    const pushed = new Promise<RoomSeries>((resolve) => head.socket.once('roomSeries', resolve));
    await stack.signalling.health.tick();
    expect((await pushed).roomId).toBe(roomId('health-own'));

    // The REST twin gives the same cut.
    const rest = await fetch(`${stack.url}/api/health/rooms`, { headers: { cookie: await staffCookie('head', inst.own) } });
    expect(rest.status).toBe(200);
    expect(ids(HealthSnapshot.parse(await rest.json()))).toEqual([roomId('health-own')]);

    for (const s of [admin.socket, head.socket, foreignAdmin.socket]) s.close();
    for (const p of [a.client, a.specialist, b.client, b.specialist]) p.close();
  }, 30_000);
});

describe('/metrics', () => {
  it('serves Prometheus text with worker, room and alert figures to this machine, summed up without room ids', async () => {
    const { client, specialist } = await openRoomIn('health-metrics', inst.own.id);
    ok(await client.request('clientStats', report({ rttMs: 500 })));
    await stack.signalling.health.tick();
    const res = await fetch(`${stack.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^distpriem_sfu_worker_cpu_percent\{.*pid="\d+".*\} [\d.]+$/m);
    expect(text).toMatch(/^distpriem_room_participants\{[^}]*kind="one_to_one"[^}]*role="client"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^distpriem_rooms_by_quality\{[^}]*score="[0-5]"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^distpriem_rooms_worst_rtt_ms\{[^}]*\} [1-9]/m);
    expect(text).toMatch(/^distpriem_alerts_active\{kind="rtt",severity="warning".*\} [1-9]/m);
    expect(text).toContain('distpriem_signalling_process_cpu_seconds_total');
    // A consultation id points at a family: no label carries one (nor any other record id).
    expect(text).not.toContain(roomId('health-metrics'));
    const people = await stack.signalling.prisma.participant.findMany({ where: { consultationId: roomId('health-metrics') } });
    for (const p of people) expect(text).not.toContain(p.id);
    // The only UUID left is a signalling process's own instance id.
    expect(text.replace(/instance="[^"]*"/g, '')).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).not.toMatch(/\broom="/);
    client.close();
    specialist.close();
  }, 20_000);

  it('refuses a request that nginx on this machine proxied for someone outside (X-Forwarded-For)', async () => {
    // nginx connects from 127.0.0.1 and appends the real client; TRUST_PROXY is 'loopback' (the default).
    const proxied = await fetch(`${stack.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).not.toContain('distpriem_');
    // A forged «I am local» in front of the real address does not help either.
    const forged = await fetch(`${stack.url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' } });
    expect(forged.status).toBe(403);
    // RFC 7239 Forwarded, which express does not read, is not taken on trust.
    const rfc = await fetch(`${stack.url}/metrics`, { headers: { forwarded: 'for=203.0.113.9' } });
    expect(rfc.status).toBe(403);
    // A local client going through the local proxy is still local.
    const local = await fetch(`${stack.url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(local.status).toBe(200);
  });
});
