import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestResult } from '@dp/protocol';
import { connectPeer, connectSeat, ok, seatFor, startStack, tokenFor, waitFor, type Stack } from './harness.ts';

// The audio-only time of each stay (room_visits.audio_only_ms, the journal's «онлайн, только
// звук»), on the real stack: a real mediasoup worker, the socket.io signalling and PostgreSQL.
// A client is audio only while it asked for no video («Только звук») or sends no camera.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack(27500);
}, 60_000);
afterAll(async () => {
  await stack?.close();
}, 30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VP8 parameters mediasoup accepts without a browser (no media flows; the producer is real). */
const vp8 = (ssrc: number) => ({
  mid: '1',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `v${ssrc}`, reducedSize: true },
});

describe('audio-only time in the room', () => {
  it('a client audio only for part of its stay gets about that time; one without a camera, all of it', async () => {
    const seat = await seatFor(stack, 'audio-only-stay', 'specialist');
    const consultationId = seat.consultationId;
    const specialist = await connectSeat(stack, seat);
    ok(await specialist.request('join', seat.join));
    const client = await connectPeer(stack);
    const joined = ok(await client.request<RequestResult<'join'>>('join', { token: await tokenFor(stack, 'audio-only-stay', 'client') }));
    const admitted = client.next('admitted');
    ok(await specialist.request('admit', { peerId: joined.self.id }));
    await admitted;
    const sendTransportId = joined.transports.send.id;
    // The client sends its camera (the specialist never does: audio only throughout).
    ok(await client.request('produce', { transportId: sendTransportId, kind: 'video', rtpParameters: vp8(2222), source: 'camera' }));
    await sleep(600); // with video
    ok(await client.request('setAudioOnly', { audioOnly: true }));
    await sleep(1200); // «Только звук»
    ok(await client.request('setAudioOnly', { audioOnly: false }));
    await sleep(400); // video again
    const leftAt = Date.now();
    ok(await client.request('leave'));
    await sleep(500);
    ok(await specialist.request('leave'));
    const prisma = stack.signalling.prisma;
    await waitFor(async () => (await prisma.roomVisit.count({ where: { consultationId, leftAt: null } })) === 0);
    const visits = await prisma.roomVisit.findMany({ where: { consultationId }, include: { participant: { select: { role: true } } } });
    const of = (role: string) => visits.find((v) => v.participant.role === role)!;
    const client_ = of('client');
    expect(client_.audioOnlyMs).toBeGreaterThanOrEqual(1100);
    expect(client_.audioOnlyMs).toBeLessThanOrEqual(1700);
    const spec = of('specialist');
    const stay = spec.leftAt!.getTime() - spec.joinedAt.getTime();
    expect(spec.audioOnlyMs).toBeGreaterThanOrEqual(stay - 50);
    expect(spec.audioOnlyMs).toBeLessThanOrEqual(stay);
    expect(client_.leftAt!.getTime()).toBeLessThanOrEqual(leftAt + 1000);
    client.close();
    specialist.close();
  }, 60_000);
});
