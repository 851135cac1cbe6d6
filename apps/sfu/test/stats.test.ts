import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sfuMethods, type SfuNodeStats, type SfuPeerStats } from '@dp/protocol';
import type { types } from 'mediasoup';
import { pino } from 'pino';
import { loadSfuConfig, startSfuNode, type SfuConfig, type SfuNode } from '../src/index.ts';
import type { MediaRoom } from '../src/media-room.ts';

// The `stats` RPC against real mediasoup workers with real RTP. A test cannot speak ICE +
// DTLS, so each peer's media goes over a PlainTransport slipped into the room's own peer
// index (white-box, `adoptPlainTransport`): every handler then treats it as that peer's
// transport. Each peer also gets a real WebRtcTransport through the handler, which stays
// unconnected (ICE/DTLS 'new').

const NODE_ID = 'sfu-stats-test';
let node: SfuNode;
let config: SfuConfig;
beforeAll(async () => {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  node = await startSfuNode(
    (config = loadSfuConfig({
      SFU_NODE_ID: NODE_ID,
      SFU_RPC_SECRET: 'stats-test-secret-0123456789',
      SFU_RPC_PORT: '0',
      SFU_WORKERS: '2',
      SFU_LISTEN_IP: '127.0.0.1',
      SFU_RTC_PORT: '22200',
      MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
    })),
    pino({ level: 'silent' }),
  );
});
afterAll(() => node?.close());

const h = () => node.service.handlers;
const stats = async (): Promise<SfuNodeStats> => sfuMethods.stats.response.parse(await h().stats({}, 't'));

// --- white-box access to a room's objects (the service keeps them private) -------------------

interface PeerIndex {
  transports: Map<string, types.Transport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
}
function roomOf(roomId: string): MediaRoom {
  const room = (node.service as unknown as { rooms: Map<string, MediaRoom> }).rooms.get(roomId);
  if (!room) throw new Error(`no room ${roomId}`);
  return room;
}
function peerIndex(roomId: string, peerId: string): PeerIndex {
  const peer = (roomOf(roomId) as unknown as { peers: Map<string, PeerIndex> }).peers.get(peerId);
  if (!peer) throw new Error(`MediaRoom has no peer ${peerId} (did its private index change?)`);
  return peer;
}
async function adoptPlainTransport(roomId: string, peerId: string, direction: 'send' | 'recv'): Promise<types.PlainTransport> {
  const transport = await roomOf(roomId).router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: direction === 'send', // learns the sender's address from its first packet
    appData: { peerId, direction },
  });
  const peer = peerIndex(roomId, peerId);
  peer.transports.set(transport.id, transport);
  transport.observer.once('close', () => peer.transports.delete(transport.id));
  return transport;
}

// --- a small RTP sender: Opus-sized audio and VP8 "key frames", every 20 ms from one socket ---

const AUDIO = { ssrc: 11111111, payloadType: 100, clockRate: 48000 };
const VIDEO = { ssrc: 22222222, payloadType: 101, clockRate: 90000 };
const PACKET_MS = 20;

function rtpPacket(pt: number, marker: boolean, seq: number, timestamp: number, ssrc: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80; // version 2, no padding, no extension, no CSRC
  header[1] = (marker ? 0x80 : 0) | pt;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(ssrc, 8);
  return Buffer.concat([header, payload]);
}

/** Sends both streams to `port`; every 10th video packet is skipped (10 % loss on the way in). */
function startRtp(port: number): { socket: Socket; stop: () => void } {
  const socket = createSocket('udp4');
  const opus = Buffer.concat([Buffer.from([0x78]), Buffer.alloc(79, 0x55)]); // TOC byte + 80-byte frame
  // VP8 payload descriptor (S=1, partition 0) then a payload header with the P bit clear: a key
  // frame, so the consumer forwards from the first packet it sees.
  const vp8 = Buffer.concat([Buffer.from([0x10, 0x00]), Buffer.alloc(998, 0xaa)]);
  let n = 0;
  const timer = setInterval(() => {
    n++;
    socket.send(rtpPacket(AUDIO.payloadType, false, n, n * (AUDIO.clockRate / 1000) * PACKET_MS, AUDIO.ssrc, opus), port, '127.0.0.1');
    if (n % 10 !== 0) {
      socket.send(rtpPacket(VIDEO.payloadType, true, n, n * (VIDEO.clockRate / 1000) * PACKET_MS, VIDEO.ssrc, vp8), port, '127.0.0.1');
    }
  }, PACKET_MS);
  return {
    socket,
    stop: () => {
      clearInterval(timer);
      socket.close();
    },
  };
}

interface MediaSetup {
  roomId: string;
  workerPid: number;
  audioProducerId: string;
  videoProducerId: string;
  consumerIds: string[];
  received: () => number;
  stop: () => void;
}

/** alice sends audio + video (RTP flowing), bob consumes both; each also has an idle WebRtcTransport. */
async function mediaRoom(roomId: string): Promise<MediaSetup> {
  const { workerPid, rtpCapabilities } = await h().openRouter({ roomId }, 't');
  const common = { roomId, forceTcp: false };
  await h().createWebRtcTransport({ ...common, peerId: 'alice', direction: 'send' }, 't');
  await h().createWebRtcTransport({ ...common, peerId: 'bob', direction: 'recv' }, 't');
  const send = await adoptPlainTransport(roomId, 'alice', 'send');
  const recv = await adoptPlainTransport(roomId, 'bob', 'recv');

  const feedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }];
  const { producerId: audioProducerId } = await h().produce(
    {
      roomId,
      peerId: 'alice',
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO.payloadType, clockRate: AUDIO.clockRate, channels: 2 }],
        encodings: [{ ssrc: AUDIO.ssrc }],
      },
    },
    't',
  );
  const { producerId: videoProducerId } = await h().produce(
    {
      roomId,
      peerId: 'alice',
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: VIDEO.payloadType, clockRate: VIDEO.clockRate, rtcpFeedback: feedback }],
        encodings: [{ ssrc: VIDEO.ssrc }],
      },
    },
    't',
  );

  // bob's receiving end: a socket that counts what the consumers forward.
  const sink = createSocket('udp4');
  let received = 0;
  sink.on('message', () => received++);
  sink.bind(0, '127.0.0.1');
  await once(sink, 'listening');
  await recv.connect({ ip: '127.0.0.1', port: sink.address().port });
  const consumerIds: string[] = [];
  for (const producerId of [audioProducerId, videoProducerId]) {
    const { consumerId } = await h().consume({ roomId, peerId: 'bob', transportId: recv.id, producerId, rtpCapabilities }, 't');
    await h().setConsumerPaused({ roomId, peerId: 'bob', consumerId, paused: false }, 't');
    consumerIds.push(consumerId);
  }

  const rtp = startRtp(send.tuple.localPort);
  return {
    roomId,
    workerPid,
    audioProducerId,
    videoProducerId,
    consumerIds,
    received: () => received,
    stop: () => {
      rtp.stop();
      sink.close();
    },
  };
}

/** Samples until `ready` holds (media needs a moment: bitrates over 1 s, loss at the next RTCP report). */
async function statsWhen(ready: (s: SfuNodeStats) => boolean, timeoutMs = 10_000): Promise<SfuNodeStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await stats();
    if (ready(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const peerOf = (s: SfuNodeStats, roomId: string, peerId: string): SfuPeerStats | undefined =>
  s.rooms.find((r) => r.roomId === roomId)?.peers.find((p) => p.peerId === peerId);

describe('stats', () => {
  it('reports the process, every worker with its counts, and each peer’s transports, producers and consumers with real RTP', async () => {
    const m = await mediaRoom('stats-live');
    try {
      // Once media flows, bob resumes his video again: that asks alice's video for a key frame (a PLI).
      await statsWhen((x) => peerOf(x, m.roomId, 'alice')?.producers.every((p) => p.bitrate > 0) ?? false);
      const videoConsumerId = m.consumerIds[1]!;
      await h().setConsumerPaused({ roomId: m.roomId, peerId: 'bob', consumerId: videoConsumerId, paused: true }, 't');
      await h().setConsumerPaused({ roomId: m.roomId, peerId: 'bob', consumerId: videoConsumerId, paused: false }, 't');

      const s = await statsWhen((x) => {
        const alice = peerOf(x, m.roomId, 'alice');
        const bob = peerOf(x, m.roomId, 'bob');
        const video = alice?.producers.find((p) => p.kind === 'video');
        const audio = alice?.producers.find((p) => p.kind === 'audio');
        // Bitrates are over a 1 s window: wait until it is full of steady traffic.
        return (
          (audio?.bitrate ?? 0) > 25_000 &&
          (video?.bitrate ?? 0) > 250_000 &&
          (video?.lossPercent ?? 0) > 0 &&
          (video?.pliCount ?? 0) > 0 &&
          bob?.consumers.length === 2 &&
          bob.consumers.every((c) => c.bitrate > 0)
        );
      });

      expect(s.nodeId).toBe(NODE_ID);
      expect(s.process.cpuPercent).toBeGreaterThanOrEqual(0);
      expect(s.process.memoryBytes).toBeGreaterThan(10 * 1024 * 1024);

      // Workers: both listed; the room's carries its router and objects, the other none.
      expect(s.workers.map((w) => w.pid).sort()).toEqual(
        node.pool
          .list()
          .map((slot) => slot.worker.pid)
          .sort(),
      );
      for (const w of s.workers) {
        expect(w.cpuPercent).toBeGreaterThanOrEqual(0);
        expect(w.cpuPercent).toBeLessThan(400);
        expect(w.memoryBytes).toBeGreaterThan(1024 * 1024); // ru_maxrss KiB → bytes
      }
      expect(s.workers.find((w) => w.pid === m.workerPid)).toMatchObject({ routers: 1, transports: 4, producers: 2, consumers: 2 });
      expect(s.workers.find((w) => w.pid !== m.workerPid)).toMatchObject({ routers: 0, transports: 0, producers: 0, consumers: 0 });

      const room = s.rooms.find((r) => r.roomId === m.roomId);
      expect(room?.workerPid).toBe(m.workerPid);
      expect(room?.peers.map((p) => p.peerId).sort()).toEqual(['alice', 'bob']);

      const alice = peerOf(s, m.roomId, 'alice')!;
      const bob = peerOf(s, m.roomId, 'bob')!;
      // The handler-made WebRtcTransport, never connected; and the plain one RTP arrives on.
      expect(alice.transports).toHaveLength(2);
      expect(alice.transports).toContainEqual(
        expect.objectContaining({ direction: 'send', iceState: 'new', dtlsState: 'new', protocol: 'unknown', recvBitrate: 0 }),
      );
      const plainIn = alice.transports.find((t) => t.iceState === 'none');
      expect(plainIn).toMatchObject({ direction: 'send', protocol: 'udp' });
      expect(plainIn!.recvBitrate).toBeGreaterThan(0);
      // The estimate exists once a transport sends media (bob's plain one): the configured initial
      // bitrate until transport-cc feedback comes (a test sends none). Transports sending nothing have none.
      for (const t of [...alice.transports, ...bob.transports])
        expect(t.availableOutgoingBitrate).toBe(t.sendBitrate > 100_000 ? config.initialAvailableOutgoingBitrate : null);
      expect(bob.transports.map((t) => t.direction)).toEqual(['recv', 'recv']);
      expect(Math.max(...bob.transports.map((t) => t.sendBitrate))).toBeGreaterThan(0);

      const audio = alice.producers.find((p) => p.producerId === m.audioProducerId)!;
      const video = alice.producers.find((p) => p.producerId === m.videoProducerId)!;
      expect(audio).toMatchObject({ kind: 'audio', source: 'mic', paused: false });
      expect(video).toMatchObject({ kind: 'video', source: 'camera', paused: false });
      // 92 B every 20 ms ≈ 37 kbit/s; 1012 B × 45/s ≈ 365 kbit/s (RTP header included).
      expect(audio.bitrate).toBeGreaterThan(25_000);
      expect(audio.bitrate).toBeLessThan(60_000);
      expect(video.bitrate).toBeGreaterThan(250_000);
      expect(video.bitrate).toBeLessThan(600_000);
      // Every 10th video packet never arrives: RTCP fraction lost ≈ 26/256; audio loses nothing.
      expect(video.lossPercent).toBeGreaterThan(3);
      expect(video.lossPercent).toBeLessThan(25);
      expect(audio.lossPercent).toBe(0);
      expect(video.nackCount).toBeGreaterThan(0); // the worker asks for the missing packets
      expect(video.pliCount).toBeGreaterThanOrEqual(1); // bob's resume asked for a key frame
      // Jitter in ms, not RTP ticks (a timer on loopback: a few ms, not thousands of 90 kHz ticks).
      for (const p of [audio, video]) {
        expect(p.jitterMs).toBeGreaterThanOrEqual(0);
        expect(p.jitterMs).toBeLessThan(100);
        expect(p.score).toBeGreaterThanOrEqual(0);
        expect(p.score).toBeLessThanOrEqual(10);
        // One encoding each (no simulcast): the one layer carries the whole bitrate.
        expect(p.layers).toHaveLength(1);
        expect(p.layers[0]).toBe(p.bitrate);
      }

      expect(bob.consumers.map((c) => c.producerId).sort()).toEqual([m.audioProducerId, m.videoProducerId].sort());
      for (const c of bob.consumers) {
        expect(m.consumerIds).toContain(c.consumerId);
        expect(c).toMatchObject({ paused: false, spatialLayer: null, temporalLayer: null, rttMs: 0, lossPercent: 0 });
        // A simple (non-simulcast) consumer: one layer, no preference, the default priority.
        expect(c).toMatchObject({ layerCount: 1, preferredSpatialLayer: null, priority: 1 });
        expect(c.producerScore).toBeGreaterThanOrEqual(0);
        expect(c.bitrate).toBeGreaterThan(0);
        expect(c.score).toBeGreaterThanOrEqual(0);
      }
      expect(m.received()).toBeGreaterThan(0);

      // A paused producer shows paused on both ends.
      await h().setProducerPaused({ roomId: m.roomId, peerId: 'alice', producerId: m.audioProducerId, paused: true }, 't');
      const paused = await stats();
      expect(peerOf(paused, m.roomId, 'alice')?.producers.find((p) => p.kind === 'audio')?.paused).toBe(true);
      expect(peerOf(paused, m.roomId, 'bob')?.consumers.find((c) => c.kind === 'audio')?.paused).toBe(true);
      expect(peerOf(paused, m.roomId, 'bob')?.consumers.find((c) => c.kind === 'video')?.paused).toBe(false);
    } finally {
      m.stop();
      await h().closeRouter({ roomId: m.roomId }, 't');
    }
  }, 20_000);

  it('leaves out objects closed between calls or while a call runs, and never fails for them', async () => {
    const m = await mediaRoom('stats-closing');
    try {
      await statsWhen((x) => peerOf(x, m.roomId, 'alice')?.producers.every((p) => p.bitrate > 0) ?? false);

      // Closed between two calls. (bob's consumer of it closes when the worker says so: the
      // service's consumerClosed event; until then it is listed in the room but cannot answer.)
      const consumerClosed = once(node.service.events, 'consumerClosed');
      await h().closeProducer({ roomId: m.roomId, peerId: 'alice', producerId: m.audioProducerId }, 't');
      await consumerClosed;
      const after = await stats();
      expect(peerOf(after, m.roomId, 'alice')?.producers.map((p) => p.producerId)).toEqual([m.videoProducerId]);
      expect(peerOf(after, m.roomId, 'bob')?.consumers.map((c) => c.producerId)).toEqual([m.videoProducerId]);
      expect(after.workers.find((w) => w.pid === m.workerPid)).toMatchObject({ producers: 1, consumers: 1 });

      // Closed while the call runs: its requests are already with the worker.
      const pending = h().stats({}, 't');
      await h().closePeer({ roomId: m.roomId, peerId: 'bob' }, 't');
      const during = sfuMethods.stats.response.parse(await pending);
      expect(peerOf(during, m.roomId, 'bob') ?? { transports: [], consumers: [] }).toMatchObject({ transports: [], consumers: [] });
      expect(peerOf(during, m.roomId, 'alice')?.producers).toHaveLength(1);

      // An object whose stats request fails, and one that never answers, are skipped.
      const alice = peerIndex(m.roomId, 'alice');
      const [webRtc, plain] = [...alice.transports.values()];
      jest.spyOn(webRtc!, 'getStats').mockRejectedValueOnce(new Error('InvalidStateError: closed'));
      jest.spyOn(plain!, 'getStats').mockReturnValueOnce(new Promise(() => {}));
      const started = Date.now();
      const partial = await stats();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(peerOf(partial, m.roomId, 'alice')?.transports).toEqual([]);
      expect(peerOf(partial, m.roomId, 'alice')?.producers).toHaveLength(1);
      expect((await stats()).workers.find((w) => w.pid === m.workerPid)).toMatchObject({ routers: 1, transports: 2 });

      // The whole room closed while a call runs.
      const pending2 = h().stats({}, 't');
      await h().closeRouter({ roomId: m.roomId }, 't');
      const gone = sfuMethods.stats.response.parse(await pending2);
      expect(gone.rooms.find((r) => r.roomId === m.roomId)).toBeUndefined();
      expect(gone.workers.find((w) => w.pid === m.workerPid)).toMatchObject({ routers: 0, transports: 0 });
    } finally {
      m.stop();
      await h().closeRouter({ roomId: m.roomId }, 't');
    }
  }, 20_000);

  it('answers when a worker dies just before or during the call, and lists its replacement afterwards', async () => {
    const m = await mediaRoom('stats-worker-death');
    try {
      const replaced = once(node.pool, 'workerReplaced');
      // SIGKILL is pending before the requests are written: the worker never answers them,
      // and they fail only when Node notices the death (the channel closes).
      process.kill(m.workerPid, 'SIGKILL');
      const s = sfuMethods.stats.response.parse(await h().stats({}, 't'));
      expect(s.workers.map((w) => w.pid)).not.toContain(m.workerPid);
      expect(s.workers).toHaveLength(1);
      expect(s.rooms.find((r) => r.roomId === m.roomId)).toBeUndefined();

      const [, oldPid, newPid] = (await replaced) as [number, number, number];
      expect(oldPid).toBe(m.workerPid);
      const next = await stats();
      expect(next.workers.map((w) => w.pid).sort()).toEqual(
        node.pool
          .list()
          .map((slot) => slot.worker.pid)
          .sort(),
      );
      expect(next.workers.find((w) => w.pid === newPid)).toMatchObject({ routers: 0, transports: 0, producers: 0, consumers: 0 });
      expect(next.workers.find((w) => w.pid === newPid)!.cpuPercent).toBeGreaterThanOrEqual(0);
    } finally {
      m.stop();
    }
  }, 20_000);
});
