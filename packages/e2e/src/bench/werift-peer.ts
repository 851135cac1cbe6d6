// A child process of webinar-capacity.ts holding many receive-only webinar attendees:
// werift (a WebRTC stack in Node: real ICE, DTLS, SRTP) behind the stock mediasoup-client,
// so the SFU does for each of them exactly what it does for a browser. werift does not
// decode: frames are counted by the RTP marker bit, key frames from the VP8 payload
// header (one seen proves the stream decrypts and parses). Driven over the fork IPC
// channel: `join` (links) → `joined`; `stats` → `stats`; `stop` closes everything.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { installPolyfill } from 'werift/polyfill';
import { Device } from 'mediasoup-client';
import type { types as msc } from 'mediasoup-client';
import { io, type Socket } from 'socket.io-client';
import { ROOM_NAMESPACE, type NewConsumer } from '@dp/protocol';

// Loopback only: werift skips loopback candidates and asks a public STUN server by default.
installPolyfill({
  mediaRegister: [],
  peerConnectionConfig: { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceInterfaceAddresses: { udp4: '127.0.0.1' } },
});

export interface AttendeeCounts {
  /** Both consumers set up, the receive transport connected and a video key frame seen. */
  ready: boolean;
  videoPackets: number;
  videoBytes: number;
  frames: number;
  keyFrames: number;
  /** Packets missing from the video sequence (after retransmissions). */
  videoLost: number;
  audioPackets: number;
  /** Width of the last key frame (which simulcast layer the SFU forwards). */
  width: number;
  /** ms from opening the socket to: the join acknowledged, both consumers set up (acknowledged
   *  to the server, which then resumes them), the receive transport connected (ICE + DTLS),
   *  the first audio packet, the first video key frame (a consumer's video starts with one). */
  joinAckMs: number;
  consumedMs: number;
  connectedMs: number;
  firstAudioMs: number;
  joinToKeyFrameMs: number;
  /** SRTP protection profile the DTLS handshake chose (werift's transport stats). */
  srtpCipher: string;
  error?: string;
}

export type ToChild = { type: 'join'; url: string; links: string[]; parallel: number } | { type: 'stats' } | { type: 'stop' };
export type FromChild =
  | { type: 'joined'; ok: number; failed: string[] }
  | { type: 'stats'; attendees: AttendeeCounts[]; loopDelayP99Ms: number; loopDelayMaxMs: number };

interface Attendee {
  counts: AttendeeCounts;
  socket: Socket;
  transport?: msc.Transport;
}

const attendees: Attendee[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let device: Device | undefined;

const send = (m: FromChild) => process.send!(m);

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
async function request<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await socket.timeout(20_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

/** VP8 payload descriptor (RFC 7741 §4.2) → the key-frame bit and, on a key frame, the width. */
function vp8KeyFrame(payload: Buffer): { key: boolean; width: number } {
  if (payload.length < 1) return { key: false, width: 0 };
  const b0 = payload[0]!;
  const start = (b0 & 0x10) !== 0 && (b0 & 0x07) === 0;
  if (!start) return { key: false, width: 0 };
  let i = 1;
  if (b0 & 0x80) {
    const x = payload[i++]!;
    if (x & 0x80) i += payload[i]! & 0x80 ? 2 : 1;
    if (x & 0x40) i++;
    if (x & 0x30) i++;
  }
  if (i >= payload.length) return { key: false, width: 0 };
  const key = (payload[i]! & 0x01) === 0;
  // Key frame header: 3 bytes frame tag, 3 bytes start code, then 14-bit width.
  const width = key && payload.length >= i + 10 ? payload.readUInt16LE(i + 6) & 0x3fff : 0;
  return { key, width };
}

async function joinOne(url: string, link: string): Promise<void> {
  const t0 = performance.now();
  const counts: AttendeeCounts = {
    ready: false,
    videoPackets: 0,
    videoBytes: 0,
    frames: 0,
    keyFrames: 0,
    videoLost: 0,
    audioPackets: 0,
    width: 0,
    joinAckMs: NaN,
    consumedMs: NaN,
    connectedMs: NaN,
    firstAudioMs: NaN,
    joinToKeyFrameMs: NaN,
    srtpCipher: '',
  };
  const socket = io(url + ROOM_NAMESPACE, { transports: ['websocket'], forceNew: true, reconnection: false });
  const me: Attendee = { counts, socket };
  attendees.push(me);
  await new Promise<void>((res, rej) => {
    socket.once('connect', () => res());
    socket.once('connect_error', rej);
  });
  if (!device) {
    const caps = (await (await fetch(`${url}/api/media/capabilities`)).json()) as { routerRtpCapabilities: msc.RtpCapabilities };
    const d = new Device({ handlerName: 'Chrome111' });
    await d.load({ routerRtpCapabilities: caps.routerRtpCapabilities });
    device ??= d;
  }
  const dev = device;

  let recvReady!: (t: msc.Transport) => void;
  const recv = new Promise<msc.Transport>((r) => (recvReady = r));
  let videoSeen = false;
  let audioSeen = false;
  let connected = false;
  const check = () => {
    counts.ready = videoSeen && audioSeen && connected && counts.keyFrames > 0;
  };
  socket.on('newConsumer', (data: NewConsumer, ack: (r: { ok: boolean }) => void) => {
    void (async () => {
      try {
        const transport = await recv;
        const consumer = await transport.consume({
          id: data.consumerId,
          producerId: data.producerId,
          kind: data.kind,
          rtpParameters: data.rtpParameters as msc.RtpParameters,
        });
        const track = consumer.track as unknown as {
          onReceiveRtp: {
            subscribe(f: (rtp: { header: { marker: boolean; sequenceNumber: number }; payload: Buffer }) => void): unknown;
          };
        };
        if (data.kind === 'audio') {
          audioSeen = true;
          track.onReceiveRtp.subscribe(() => {
            if (counts.audioPackets++ === 0) counts.firstAudioMs = performance.now() - t0;
          });
        } else {
          videoSeen = true;
          let first = -1;
          let highest = -1;
          let received = 0;
          track.onReceiveRtp.subscribe((rtp) => {
            counts.videoPackets++;
            counts.videoBytes += rtp.payload.length;
            if (rtp.header.marker) counts.frames++;
            // Extended sequence numbers: loss = expected − received (retransmissions fill gaps).
            const seq = rtp.header.sequenceNumber;
            if (first < 0) first = highest = seq;
            else {
              const base = highest - (highest & 0xffff);
              let ext = base + seq;
              if (ext < highest - 0x8000) ext += 0x10000;
              else if (ext > highest + 0x8000) ext -= 0x10000;
              if (ext > highest) highest = ext;
            }
            received++;
            counts.videoLost = Math.max(0, highest - first + 1 - received);
            const vp8 = vp8KeyFrame(rtp.payload);
            if (vp8.key) {
              counts.keyFrames++;
              if (vp8.width) counts.width = vp8.width;
              if (Number.isNaN(counts.joinToKeyFrameMs)) counts.joinToKeyFrameMs = performance.now() - t0;
              check();
            }
          });
        }
        if (videoSeen && audioSeen) counts.consumedMs = performance.now() - t0;
        ack({ ok: true });
        check();
      } catch (e) {
        counts.error = `consume: ${(e as Error).message}`;
        ack({ ok: false });
      }
    })();
  });

  const joined = await request<{
    transports: { recv: { id: string; iceParameters: unknown; iceCandidates: unknown; dtlsParameters: unknown } };
  }>(socket, 'join', { token: new URL(link).pathname.split('/').pop(), rtpCapabilities: dev.rtpCapabilities });
  counts.joinAckMs = performance.now() - t0;
  const r = joined.transports.recv;
  const transport = dev.createRecvTransport({
    id: r.id,
    iceParameters: r.iceParameters as msc.IceParameters,
    iceCandidates: r.iceCandidates as msc.IceCandidate[],
    dtlsParameters: r.dtlsParameters as msc.DtlsParameters,
    iceServers: [],
  });
  me.transport = transport;
  transport.on('connect', ({ dtlsParameters }, ok, fail) => {
    request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(() => ok(), fail);
  });
  transport.on('connectionstatechange', (s) => {
    if (s === 'connected') {
      connected = true;
      counts.connectedMs = performance.now() - t0;
      void transport.getStats().then((stats) => {
        for (const st of stats.values()) if (st.type === 'transport') counts.srtpCipher = String(st.srtpCipher ?? '');
      });
    }
    if (s === 'failed') counts.error = 'transport failed';
    check();
  });
  recvReady(transport);
}

async function joinAll(url: string, links: string[], parallel: number): Promise<void> {
  const failed: string[] = [];
  let ok = 0;
  let next = 0;
  const lane = async () => {
    while (next < links.length) {
      const link = links[next++]!;
      try {
        await joinOne(url, link);
        ok++;
      } catch (e) {
        failed.push((e as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  send({ type: 'joined', ok, failed });
}

process.on('message', (m: ToChild) => {
  if (m.type === 'join') void joinAll(m.url, m.links, m.parallel);
  else if (m.type === 'stats') {
    send({
      type: 'stats',
      attendees: attendees.map((a) => ({ ...a.counts })),
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
    });
    loopDelay.reset();
  } else if (m.type === 'stop') {
    for (const a of attendees) {
      a.transport?.close();
      a.socket.close();
    }
    setTimeout(() => process.exit(0), 200);
  }
});
process.on('disconnect', () => process.exit(0));
