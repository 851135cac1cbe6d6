// The device check's network test on the real stack (a real SFU worker, real signalling).
// A test peer cannot do DTLS, so what is asserted here is the probe's lifecycle (its own
// router and transports, the test producer looped back to a consumer, closed on finish, by
// time and with the socket), who may open one (a valid link of any state but over or
// cancelled, staff taking part — not another consultation, not admins), the limits, and
// the stored DeviceCheck row. The media itself is measured by the e2e test in Chromium.
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

type Started = RequestResult<'networkTestStart'>;
type Finished = RequestResult<'networkTestFinish'>;

let stack: Stack;
let rtpCapabilities: MediaCapabilities['routerRtpCapabilities'];

beforeAll(async () => {
  stack = await startStack(43900);
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
    // No media flows from a test peer: the SFU has no figures yet.
    const server = ok(await p.request<RequestResult<'networkTestStats'>>('networkTestStats', { probeId: started.probeId }));
    expect(server.bitrateKbps ?? 0).toBe(0);

    const finished = ok(
      await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: true, microphone: false, figures: good }),
    );
    expect(finished).toEqual({ verdict: 'video', figures: good });
    expect((await sfuRoom(started.probeId)).exists).toBe(false);
    const rows = await stack.signalling.prisma.deviceCheck.findMany({ where: { consultationId: roomId('probe-happy') } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      verdict: 'video',
      camera: true,
      microphone: false,
      rttMs: 35,
      lossPct: 0.4,
      bitrateKbps: 480,
      path: 'udp',
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
    const none = { rttMs: null, lossPct: null, bitrateKbps: null, path: null };
    const finished = ok(
      await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: false, microphone: true, figures: none }),
    );
    expect(finished.verdict).toBe('no_connection');
    const row = await stack.signalling.prisma.deviceCheck.findFirstOrThrow({ where: { consultationId: roomId('probe-upcoming') } });
    expect(row).toMatchObject({ verdict: 'no_connection', camera: false, microphone: true, rttMs: null, bitrateKbps: null, path: null });
  });

  it('a weak link is told «audio only», computed by the server from the figures', async () => {
    const token = await tokenFor(stack, 'probe-weak', 'client');
    const p = await peer();
    const started = ok(await start(p, { token }));
    const weak = { rttMs: 600, lossPct: 8, bitrateKbps: 120, path: 'tcp' as const };
    expect(
      ok(await p.request<Finished>('networkTestFinish', { probeId: started.probeId, camera: true, microphone: true, figures: weak }))
        .verdict,
    ).toBe('audio_only');
  });
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
    await stack.signalling.prisma.consultation.update({ where: { id: roomId('probe-cancelled') }, data: { state: 'cancelled' } });
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

    it("the consultation's specialist (the pre-check) → a probe; stored as their participant", async () => {
      const s = await member('specialist');
      const prisma = stack.signalling.prisma;
      await prisma.consultationSpecialist.create({ data: { consultationId, specialistId: s.id } });
      const participant = await prisma.participant.create({
        data: { consultationId, role: 'specialist', staffUserId: s.id, displayName: 'Специалист' },
      });
      const p = await peer({ cookie: s.cookie, origin: stack.url });
      const started = ok(await start(p, { consultationId }));
      ok(await p.request('networkTestFinish', { probeId: started.probeId, camera: true, microphone: true, figures: good }));
      const row = await prisma.deviceCheck.findFirstOrThrow({ where: { consultationId, participantId: participant.id } });
      expect(row.verdict).toBe('video');
      // The specialist's check is the consultation's equipment pre-check too, with its figures.
      const precheck = await prisma.precheckResult.findFirstOrThrow({ where: { consultationId, specialistId: s.id } });
      expect(precheck).toMatchObject({ passed: true, rttMs: good.rttMs, bitrateKbps: good.bitrateKbps });
    });

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

  it(`at most ${NETWORK_TEST.maxPerWindow} starts per link in ${NETWORK_TEST.rateWindowS / 60} minutes`, async () => {
    const token = await tokenFor(stack, 'probe-rate', 'client');
    const p = await peer();
    for (let i = 0; i < NETWORK_TEST.maxPerWindow; i++) {
      const s = ok(await start(p, { token }));
      ok(await p.request('networkTestFinish', { probeId: s.probeId, camera: true, microphone: true, figures: good }));
    }
    expect(errorCode(await start(p, { token }))).toBe('rate_limited');
  });

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
