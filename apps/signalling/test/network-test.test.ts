// The device check's network test on the real stack (a real SFU worker, real signalling):
// the probe's lifecycle (its own router and transports, the test producer looped back to a
// consumer, closed on finish, by time and with the socket), who may open one (a valid link
// of any state but over or cancelled, staff taking part — not another consultation, not
// admins), the limits, and the stored DeviceCheck row. The verdict is the SFU's: a page that
// claims perfect figures but sends nothing gets «no connection», and real media loops (werift
// behind mediasoup-client, loopback-peer.ts) get the verdict of what the SFU measured. Only
// the consultation's own specialist, signed in, records the equipment pre-check.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { NETWORK_TEST, type MediaCapabilities, type RequestResult } from '@dp/protocol';
import type { StaffRole } from '@dp/db';
import {
  connectPeer,
  errorCode,
  ok,
  roomId,
  sessionCookieFor,
  startStack,
  tokenFor,
  waitFor,
  type Stack,
  type TestPeer,
} from './harness.ts';
import { loopbackDevice, runLoop, type Loop } from './loopback-peer.ts';
import { forceStateForTest } from '../src/consultations/lifecycle-writer.ts';

type Started = RequestResult<'networkTestStart'>;
type Finished = RequestResult<'networkTestFinish'>;

let stack: Stack;
let rtpCapabilities: MediaCapabilities['routerRtpCapabilities'];

beforeAll(async () => {
  stack = await startStack(23900);
  const res = await fetch(`${stack.url}/api/media/capabilities`);
  rtpCapabilities = ((await res.json()) as MediaCapabilities).routerRtpCapabilities;
}, 60_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

const peers: TestPeer[] = [];
async function peer(opts: Parameters<typeof connectPeer>[1] = {}): Promise<TestPeer> {
  const p = await connectPeer(stack, opts);
  peers.push(p);
  return p;
}
afterAll(() => peers.forEach((p) => p.close()));

const start = (p: TestPeer, auth: { token: string } | { consultationId: string }) =>
  p.request<Started>('networkTestStart', { ...auth, rtpCapabilities });

/** Parameters mediasoup accepts for a VP8 producer without a browser (no media flows). */
const vp8 = (ssrc: number) => ({
  mid: '0',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: 96,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
    },
  ],
  headerExtensions: [],
  encodings: [{ ssrc, maxBitrate: NETWORK_TEST.targetBitrateKbps * 1000 }],
  rtcp: { cname: `c${ssrc}`, reducedSize: true },
});

const sfuRoom = (id: string) => stack.sfu.service.handlers.roomState({ roomId: id }, 'test');
const good = { rttMs: 35, lossPct: 0.4, bitrateKbps: 480, path: 'udp' as const };
const none = { rttMs: null, lossPct: null, bitrateKbps: null, path: null };

/** Long enough for the SFU to read its stats more than once while media flows (PROBE_SAMPLE_MS = 1 s). */
const LOOP_SEND_MS = 3_000;

/**
 * A page's whole network test with real media: opens a probe, loops `kbps` of video
 * through the SFU for LOOP_SEND_MS and finishes it — telling the server `claims` as its
 * own figures (they must not matter).
 */
async function realTest(
  auth: { token: string } | { consultationId: string },
  opts: { kbps: number; claims?: typeof good | typeof none; cookie?: string },
): Promise<{ finished: Finished; received: number }> {
  const device = await loopbackDevice(rtpCapabilities);
  const p = await peer(opts.cookie ? { cookie: opts.cookie, origin: stack.url } : {});
  const started = ok(await p.request<Started>('networkTestStart', { ...auth, rtpCapabilities: device.rtpCapabilities }));
  let loop: Loop | undefined;
  try {
    loop = await runLoop(p, device, started, { kbps: opts.kbps, sendMs: LOOP_SEND_MS });
    const finished = ok(
      await p.request<Finished>('networkTestFinish', {
        probeId: started.probeId,
        camera: true,
        microphone: true,
        figures: opts.claims ?? none,
      }),
    );
    return { finished, received: loop.received() };
  } finally {
    loop?.close();
    p.close();
  }
}

describe('a client runs the network test with its link', () => {
  it('gets a probe router of its own, loops a test video back, and the result is stored with its consultation', async () => {
    const token = await tokenFor(stack, 'probe-happy', 'client');
    const p = await peer();
    const started = ok(await start(p, { token }));
    expect(started.targetBitrateKbps).toBe(NETWORK_TEST.targetBitrateKbps);
    expect(started.closesInMs).toBe(NETWORK_TEST.lifetimeMs);
    expect(started.transports.send.iceCandidates.length).toBeGreaterThan(0);
    expect(started.routerRtpCapabilities.codecs?.length).toBeGreaterThan(0);
    // Its own router, not the consultation's room: nobody in the room sees it.
    expect(started.probeId).not.toBe(roomId('probe-happy'));
    expect(await sfuRoom(started.probeId)).toEqual({ exists: true, transports: 2, producers: 0, consumers: 0 });
    expect((await sfuRoom(roomId('probe-happy'))).exists).toBe(false);
    expect((await stack.sfu.service.handlers.stats({}, 'test')).rooms.map((r) => r.roomId)).not.toContain(started.probeId);

    // Only its own transports; producing only on the send one.
    const dtls = { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] };
    expect(
      errorCode(await p.request('networkTestConnect', { probeId: started.probeId, transportId: 'someone-elses', dtlsParameters: dtls })),
    ).toBe('not_found');
    expect(
      errorCode(
        await p.request('networkTestProduce', { probeId: started.probeId, transportId: started.transports.recv.id, rtpParameters: vp8(1) }),
      ),
    ).toBe('not_found');
    const produced = ok(
      await p.request<RequestResult<'networkTestProduce'>>('networkTestProduce', {
        probeId: started.probeId,
        transportId: started.transports.send.id,
        rtpParameters: vp8(1111),
      }),
    );
    expect(produced.consumer.producerId).toBe(produced.producerId);
    expect(await sfuRoom(started.probeId)).toEqual({ exists: true, transports: 2, producers: 1, consumers: 1 });
    // No media flows from this test peer (it never even connects): the SFU measured nothing.
    const server = ok(await p.request<RequestResult<'networkTestStats'>>('networkTestStats', { probeId: started.probeId }));
    expect(server).toEqual({ rttMs: null, lossPct: null, bitrateKbps: 0, path: null });

    // The page claims a perfect link: the verdict is what the SFU saw — nothing.
    const finished = ok(
      await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: true, microphone: false, figures: good }),
    );
    expect(finished).toEqual({ verdict: 'no_connection', figures: { rttMs: null, lossPct: null, bitrateKbps: 0, path: null } });
    expect((await sfuRoom(started.probeId)).exists).toBe(false);
    const rows = await stack.signalling.prisma.deviceCheck.findMany({ where: { consultationId: roomId('probe-happy') } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      verdict: 'no_connection',
      camera: true,
      microphone: false,
      rttMs: null,
      lossPct: null,
      bitrateKbps: 0,
      path: null,
    });
    // Once per probe.
    expect(
      errorCode(await p.request('networkTestFinish', { probeId: started.probeId, camera: true, microphone: true, figures: good })),
    ).toBe('not_found');
  });

  it('before the room opens (the countdown), and «no connection» is stored as well', async () => {
    const token = await tokenFor(stack, 'probe-upcoming', 'client', { start: new Date(Date.now() + 3 * 3600_000) });
    const p = await peer();
    const started = ok(await start(p, { token }));
    const finished = ok(
      await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: false, microphone: true, figures: none }),
    );
    expect(finished.verdict).toBe('no_connection');
    const row = await stack.signalling.prisma.deviceCheck.findFirstOrThrow({ where: { consultationId: roomId('probe-upcoming') } });
    expect(row).toMatchObject({ verdict: 'no_connection', camera: false, microphone: true, rttMs: null, bitrateKbps: null, path: null });
  });

  it('a real media loop gets the verdict of what the SFU measured, whatever the page claims', async () => {
    const { finished, received } = await realTest({ token: await tokenFor(stack, 'probe-loop', 'client') }, { kbps: 500 });
    // The page said it measured nothing; the SFU saw the test video arrive and go back.
    expect(received).toBeGreaterThan(50);
    expect(finished.verdict).toBe('video');
    const f = finished.figures;
    expect(f.bitrateKbps).toBeGreaterThan(400);
    expect(f.bitrateKbps).toBeLessThan(700);
    expect(f.rttMs).toBeGreaterThanOrEqual(1); // from the page's receiver reports on loopback
    expect(f.rttMs).toBeLessThan(200);
    expect(f.lossPct ?? 0).toBeLessThan(1);
    expect(f.path).toBe('udp');
    const row = await stack.signalling.prisma.deviceCheck.findFirstOrThrow({ where: { consultationId: roomId('probe-loop') } });
    expect(row).toMatchObject({ verdict: 'video', bitrateKbps: f.bitrateKbps, rttMs: f.rttMs, path: 'udp' });
    // A client's test, however good, is never the consultation's equipment pre-check.
    expect(await stack.signalling.prisma.precheckResult.count({ where: { consultationId: roomId('probe-loop') } })).toBe(0);
  }, 30_000);

  it('a weak link is told «audio only» from the bitrate that really arrived, though the page claims a perfect one', async () => {
    const token = await tokenFor(stack, 'probe-weak', 'client');
    const { finished } = await realTest({ token }, { kbps: 120, claims: good });
    expect(finished.verdict).toBe('audio_only');
    expect(finished.figures.bitrateKbps).toBeGreaterThan(80);
    expect(finished.figures.bitrateKbps).toBeLessThan(200);
    // A client's test is never the consultation's equipment pre-check.
    expect(await stack.signalling.prisma.precheckResult.count({ where: { consultationId: roomId('probe-weak') } })).toBe(0);
  }, 30_000);
});

describe('who may open a probe', () => {
  it('a forged, an expired, a revoked link; a cancelled or long-over consultation → refused', async () => {
    const p = await peer();
    expect(errorCode(await start(p, { token: 'x'.repeat(40) }))).toBe('invalid_token');
    const expired = await tokenFor(stack, 'probe-expired', 'client', { ttlMs: -1000 });
    expect(errorCode(await start(p, { token: expired }))).toBe('link_expired');

    const revoked = await tokenFor(stack, 'probe-revoked', 'client');
    await stack.signalling.prisma.participant.updateMany({
      where: { consultationId: roomId('probe-revoked') },
      data: { linkRevokedAt: new Date() },
    });
    expect(errorCode(await start(p, { token: revoked }))).toBe('link_revoked');

    const cancelled = await tokenFor(stack, 'probe-cancelled', 'client');
    await forceStateForTest(stack.signalling.prisma, roomId('probe-cancelled'), 'cancelled', { events: ['cancel'] });
    expect(errorCode(await start(p, { token: cancelled }))).toBe('cancelled');

    const over = await tokenFor(stack, 'probe-over', 'client', { start: new Date(Date.now() - 3 * 3600_000) });
    expect(errorCode(await start(p, { token: over }))).toBe('consultation_over');
    expect(stack.signalling.probes.openCount).toBe(0);
  });

  it("another socket's probe, or another consultation's, is not found", async () => {
    const a = await peer();
    const b = await peer();
    const started = ok(await start(a, { token: await tokenFor(stack, 'probe-mine', 'client') }));
    ok(await start(b, { token: await tokenFor(stack, 'probe-theirs', 'client') }));
    expect(errorCode(await b.request('networkTestStats', { probeId: started.probeId }))).toBe('not_found');
    expect(
      errorCode(await b.request('networkTestFinish', { probeId: started.probeId, camera: true, microphone: true, figures: good })),
    ).toBe('not_found');
    a.close();
    b.close();
  });

  describe('staff, by the session cookie', () => {
    let consultationId: string;
    const member = async (role: StaffRole) => {
      const prisma = stack.signalling.prisma;
      const institution = await prisma.institution.findFirstOrThrow();
      const user = await prisma.staffUser.create({
        data: {
          email: `${role}-${randomBytes(4).toString('hex')}@example.org`,
          displayName: role,
          role,
          institutionId: role === 'admin' ? null : institution.id,
          departmentId: institution.departmentId,
          passwordHash: 'not-used-here',
          ...(role === 'specialist' ? { specialistProfile: { create: { profession: 'psychologist', title: 'Педагог-психолог' } } } : {}),
        },
      });
      return { id: user.id, cookie: await sessionCookieFor(stack, user.id) };
    };
    beforeAll(async () => {
      await tokenFor(stack, 'probe-staff', 'client');
      consultationId = roomId('probe-staff');
    });

    it("the consultation's own specialist, signed in: their device check is the pre-check, passed from the SFU's figures", async () => {
      const s = await member('specialist');
      const prisma = stack.signalling.prisma;
      await prisma.consultationSpecialist.create({ data: { consultationId, specialistId: s.id } });
      const participant = await prisma.participant.create({
        data: { consultationId, role: 'specialist', staffUserId: s.id, displayName: 'Специалист' },
      });
      // First a page that claims a perfect link but sends nothing: stored, and the pre-check fails.
      const p = await peer({ cookie: s.cookie, origin: stack.url });
      const started = ok(await start(p, { consultationId }));
      expect(
        ok(await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: true, microphone: true, figures: good }))
          .verdict,
      ).toBe('no_connection');
      expect(await prisma.precheckResult.findMany({ where: { consultationId, specialistId: s.id } })).toMatchObject([{ passed: false }]);

      // Then a real media loop: passed, with the figures the SFU measured.
      const { finished } = await realTest({ consultationId }, { kbps: 500, cookie: s.cookie });
      expect(finished.verdict).toBe('video');
      const rows = await prisma.deviceCheck.findMany({ where: { consultationId, participantId: participant.id }, orderBy: { at: 'asc' } });
      expect(rows.map((r) => r.verdict)).toEqual(['no_connection', 'video']);
      const passed = await prisma.precheckResult.findFirstOrThrow({ where: { consultationId, specialistId: s.id, passed: true } });
      expect(passed).toMatchObject({ rttMs: finished.figures.rttMs, bitrateKbps: finished.figures.bitrateKbps });
    }, 30_000);

    it("a head's or a social worker's run in the room, even seated as the specialist, never passes the specialist's pre-check", async () => {
      const prisma = stack.signalling.prisma;
      await tokenFor(stack, 'probe-not-specialist', 'client');
      const room = roomId('probe-not-specialist');
      const specialist = await member('specialist');
      await prisma.consultationSpecialist.create({ data: { consultationId: room, specialistId: specialist.id } });
      const head = await member('head');
      const worker = await member('social_worker');
      await prisma.participant.create({ data: { consultationId: room, role: 'specialist', staffUserId: head.id } });
      await prisma.participant.create({ data: { consultationId: room, role: 'curator', staffUserId: worker.id } });
      // Both at once (each its own probe and socket): one loop's time, not two.
      const runs = await Promise.all([head, worker].map((m) => realTest({ consultationId: room }, { kbps: 500, cookie: m.cookie })));
      for (const { finished } of runs) expect(finished.verdict).toBe('video'); // their own device check works and is stored
      expect(await prisma.deviceCheck.count({ where: { consultationId: room, verdict: 'video' } })).toBe(2);
      expect(await prisma.precheckResult.count({ where: { consultationId: room } })).toBe(0);
    }, 40_000);

    it('another specialist → not_found; an admin → forbidden; no session → unauthenticated', async () => {
      const other = await member('specialist');
      expect(errorCode(await start(await peer({ cookie: other.cookie, origin: stack.url }), { consultationId }))).toBe('not_found');
      const admin = await member('admin');
      expect(errorCode(await start(await peer({ cookie: admin.cookie, origin: stack.url }), { consultationId }))).toBe('forbidden');
      expect(errorCode(await start(await peer(), { consultationId }))).toBe('unauthenticated');
    });
  });
});

describe('limits', () => {
  it(`at most ${NETWORK_TEST.maxConcurrentPerLink} probes per link at once; a finished one frees its place`, async () => {
    const token = await tokenFor(stack, 'probe-concurrent', 'client');
    const p = await peer();
    const open: Started[] = [];
    for (let i = 0; i < NETWORK_TEST.maxConcurrentPerLink; i++) open.push(ok(await start(p, { token })));
    expect(errorCode(await start(p, { token }))).toBe('rate_limited');
    // Another socket with the same link counts too (the limit is the link's, not the tab's).
    expect(errorCode(await start(await peer(), { token }))).toBe('rate_limited');
    ok(await p.request('networkTestFinish', { probeId: open[0]!.probeId, camera: true, microphone: true, figures: good }));
    const again = ok(await start(p, { token }));
    for (const s of [open[1]!, again])
      ok(await p.request('networkTestFinish', { probeId: s.probeId, camera: true, microphone: true, figures: good }));
  });

  // How many starts a link may make a minute is a budget in Redis: test/limits.test.ts.

  it('a probe closes by time whatever happens (its result can still be stored), and with its socket', async () => {
    const probes = stack.signalling.probes;
    const lifetime = probes.lifetimeMs;
    probes.lifetimeMs = 400;
    try {
      const token = await tokenFor(stack, 'probe-timeout', 'client');
      const p = await peer();
      const started = ok(await start(p, { token }));
      expect(started.closesInMs).toBe(400);
      await waitFor(async () => !(await sfuRoom(started.probeId)).exists, 3000);
      expect(errorCode(await p.request('networkTestStats', { probeId: started.probeId }))).toBe('room_closed');
      const none = { rttMs: null, lossPct: null, bitrateKbps: null, path: null };
      expect(
        ok(await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: true, microphone: true, figures: none }))
          .verdict,
      ).toBe('no_connection');

      const q = await peer();
      const other = ok(await start(q, { token: await tokenFor(stack, 'probe-socket', 'client') }));
      probes.lifetimeMs = lifetime;
      q.close();
      await waitFor(async () => !(await sfuRoom(other.probeId)).exists, 3000);
    } finally {
      probes.lifetimeMs = lifetime;
    }
    await waitFor(async () => probes.openCount === 0, 3000);
  });
});

describe('a client late after the no-show mark (issue 16: the gate let it in, the network test refused it)', () => {
  it('runs the device check and enters the room while the room was not closed; neither once a member of staff closed it', async () => {
    const prisma = stack.signalling.prisma;
    const late = await tokenFor(stack, 'probe-late', 'client', { start: new Date(Date.now() - 20 * 60_000) });
    await forceStateForTest(prisma, roomId('probe-late'), 'no_show', { events: ['no_show'] });
    const p = await connectPeer(stack);
    const started = ok(await start(p, { token: late }));
    expect(started.probeId).toEqual(expect.any(String));
    const joined = ok(await p.request<{ admission: string }>('join', { token: late }));
    expect(['waiting', 'admitted']).toContain(joined.admission);

    const closed = await tokenFor(stack, 'probe-late-closed', 'client', { start: new Date(Date.now() - 20 * 60_000) });
    await forceStateForTest(prisma, roomId('probe-late-closed'), 'no_show', { events: ['no_show', 'closed_without_client'] });
    const q = await connectPeer(stack);
    expect(errorCode(await start(q, { token: closed }))).toBe('consultation_over');
    expect(errorCode(await q.request('join', { token: closed }))).toBe('consultation_over');
    p.close();
    q.close();
    await waitFor(async () => stack.signalling.probes.openCount === 0);
  });
});
