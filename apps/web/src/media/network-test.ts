import { Device, type types as ms } from 'mediasoup-client';
import type { DeviceCheckVerdict, NetworkFigures, RequestResult } from '@dp/protocol';
import {
  toMsRtpCapabilities,
  toMsRtpParameters,
  toMsTransportOptions,
  toProtocolRtpCapabilities,
  toProtocolRtpParameters,
} from '../room/ms-adapt.ts';
import { RoomError } from '../room/room-error.ts';
import { api } from '../staff/api.ts';
import { connectRoomSocket, request, type RoomSocket } from '../room/signalling.ts';
import { summariseProbe, type ProbeReading, type ProbeStatsEntry } from './network-stats.ts';

// The network test of the device check, the browser's side (the protocol and why it is a
// loopback through the SFU: packages/protocol/src/network-test.ts). Reusable: the client's
// link page and the specialist's pre-check both call runNetworkTest with their own
// authorisation (a link token, or a consultation id with the staff session cookie).

export type NetworkTestPhase = 'connecting' | 'sending' | 'finishing';

export interface NetworkTestOptions {
  auth: { token: string } | { consultationId: string };
  forceTcp?: boolean;
  /** What the device check found (stored with the result). */
  camera: boolean;
  microphone: boolean;
  /** Progress for the UI: the phase and 0…1 of the whole test. */
  onProgress?: (phase: NetworkTestPhase, fraction: number) => void;
  signal?: AbortSignal;
}

export interface NetworkTestResult {
  /** The server's verdict, from what the SFU measured of this page's test stream (never from the page's own figures). */
  verdict: DeviceCheckVerdict;
  /** The SFU's figures the verdict came from. */
  figures: NetworkFigures;
  /** Stored with the consultation (false: the server could not be reached to store it). */
  stored: boolean;
}

/** How long ICE + DTLS may take before the link counts as «no connection» (3G, TCP fallback). */
const CONNECT_TIMEOUT_MS = 9_000;
const NO_FIGURES: NetworkFigures = { rttMs: null, lossPct: null, bitrateKbps: null, path: null };

/**
 * Runs the test: opens a probe, sends the test video for NETWORK_TEST.sendMs, measures,
 * and asks the server for the verdict — computed and stored from what the SFU itself
 * measured of the stream (its figures are what the page shows); the page's own figures go
 * along for information only. Never throws for a bad network: no connection is a
 * result («нет связи»). Everything it opened is closed when it returns.
 */
export async function runNetworkTest(opts: NetworkTestOptions): Promise<NetworkTestResult> {
  const progress = opts.onProgress ?? (() => undefined);
  progress('connecting', 0);
  const cleanup: (() => void)[] = [];
  let socket: RoomSocket | null = null;
  try {
    // The socket and the Device load at once (each is a round trip on 3G).
    socket = connectRoomSocket();
    cleanup.push(() => socket?.disconnect());
    const [device] = await Promise.all([loadDevice(opts.signal), connected(socket, opts.signal)]);
    const started = await request(socket, 'networkTestStart', {
      ...opts.auth,
      ...(opts.forceTcp ? { forceTcp: true } : {}),
      rtpCapabilities: toProtocolRtpCapabilities(device.rtpCapabilities),
    });
    const s = socket;
    const finish = async (figures: NetworkFigures): Promise<NetworkTestResult> => {
      progress('finishing', 0.95);
      const done = await request(s, 'networkTestFinish', {
        probeId: started.probeId,
        camera: opts.camera,
        microphone: opts.microphone,
        figures,
      });
      progress('finishing', 1);
      return { ...done, stored: true };
    };
    const figures = await measure(s, device, started, opts, progress, cleanup).catch((e: unknown) => {
      if (opts.signal?.aborted) throw e;
      console.warn('[network-test] no media path', e);
      return NO_FIGURES;
    });
    return await finish(figures);
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    // Too many tests from this link or address: not a verdict on the network — the page says «подождите минуту».
    if (e instanceof RoomError && e.code === 'rate_limited') throw e;
    // Signalling itself is unreachable (or refused): nothing can be stored, the page says «нет связи».
    console.warn('[network-test] failed', e);
    return { verdict: 'no_connection', figures: NO_FIGURES, stored: false };
  } finally {
    for (const c of cleanup.reverse()) {
      try {
        c();
      } catch {
        // already closed
      }
    }
  }
}

async function measure(
  socket: RoomSocket,
  device: Device,
  started: RequestResult<'networkTestStart'>,
  opts: NetworkTestOptions,
  progress: (phase: NetworkTestPhase, fraction: number) => void,
  cleanup: (() => void)[],
): Promise<NetworkFigures> {
  const probeId = started.probeId;
  // The consultation's TURN servers too: a network that lets media out only through TURN passes.
  const iceServers = started.iceServers;
  const send = device.createSendTransport({ ...toMsTransportOptions(started.transports.send), iceServers });
  const recv = device.createRecvTransport({ ...toMsTransportOptions(started.transports.recv), iceServers });
  cleanup.push(
    () => send.close(),
    () => recv.close(),
  );
  for (const t of [send, recv]) {
    t.on('connect', ({ dtlsParameters }, callback, errback) => {
      request(socket, 'networkTestConnect', { probeId, transportId: t.id, dtlsParameters }).then(() => callback(), errback);
    });
  }
  let consumerInfo: RequestResult<'networkTestProduce'>['consumer'] | null = null;
  send.on('produce', ({ rtpParameters }, callback, errback) => {
    request(socket, 'networkTestProduce', { probeId, transportId: send.id, rtpParameters: toProtocolRtpParameters(rtpParameters) }).then(
      (res) => {
        consumerInfo = res.consumer;
        callback({ id: res.producerId });
      },
      errback,
    );
  });

  // Always the drawn picture, never the camera: the server judges by the bytes that really
  // arrive, so the stream must fill the target whatever the camera sees (a still room
  // encodes far below it), and nobody's picture leaves the device for a test.
  const track = canvasTrack(cleanup);
  cleanup.push(() => track.stop());
  const target = started.targetBitrateKbps * 1000;
  const producer = await send.produce({
    track,
    // One layer at the fixed target: what is measured is the link, not simulcast's choices.
    encodings: [{ maxBitrate: target }],
    // Start near the target, so the 5 s are spent at the rate under test, not ramping up.
    codecOptions: { videoGoogleStartBitrate: Math.round(started.targetBitrateKbps * 0.8) },
    stopTracks: false,
  });
  cleanup.push(() => producer.close());
  const info = consumerInfo as RequestResult<'networkTestProduce'>['consumer'] | null;
  if (!info) throw new Error('no consumer for the test producer');
  const consumer = await recv.consume({
    id: info.consumerId,
    producerId: info.producerId,
    kind: 'video',
    rtpParameters: toMsRtpParameters(info.rtpParameters),
  });
  cleanup.push(() => consumer.close());

  await Promise.all([connectedTransport(send, opts.signal), connectedTransport(recv, opts.signal)]);
  progress('sending', 0.15);

  // The first second is the ramp-up and the first key frame: measured from then on.
  const read = async (): Promise<ProbeReading> => ({ at: performance.now(), send: await entries(send), recv: await entries(recv) });
  const sendMs = started.sendMs;
  const begin = performance.now();
  await sleep(1000, opts.signal);
  const first = await read();
  while (performance.now() - begin < sendMs) {
    await sleep(250, opts.signal);
    progress('sending', 0.15 + 0.8 * Math.min(1, (performance.now() - begin) / sendMs));
  }
  const last = await read();
  return summariseProbe(first, last, started.targetBitrateKbps);
}

async function entries(t: ms.Transport): Promise<ProbeStatsEntry[]> {
  const report = await t.getStats();
  return [...report.values()] as ProbeStatsEntry[];
}

async function loadDevice(signal?: AbortSignal): Promise<Device> {
  const { routerRtpCapabilities } = await api.call('media.capabilities', {}, {}, { timeoutMs: 10_000, ...(signal ? { signal } : {}) });
  const device = await Device.factory();
  await device.load({ routerRtpCapabilities: toMsRtpCapabilities(routerRtpCapabilities) });
  return device;
}

function connected(socket: RoomSocket, signal?: AbortSignal): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('signalling unreachable')), 15_000);
    signal?.addEventListener('abort', () => reject(new Error('aborted')));
    socket.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
    // The server refuses connections over the address's budget (data.code 'rate_limited').
    socket.once('connect_error', (e: Error & { data?: { code?: string } }) => {
      if (e.data?.code !== 'rate_limited') return; // socket.io retries other failures by itself
      clearTimeout(t);
      reject(new RoomError('rate_limited', 'too many connections from this address'));
    });
  });
}

function connectedTransport(t: ms.Transport, signal?: AbortSignal): Promise<void> {
  if (t.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ICE/DTLS did not connect')), CONNECT_TIMEOUT_MS);
    signal?.addEventListener('abort', () => reject(new Error('aborted')));
    t.on('connectionstatechange', (state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve();
      } else if (state === 'failed' || state === 'closed') {
        clearTimeout(timer);
        reject(new Error(`transport ${state}`));
      }
    });
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });
}

/**
 * The test picture: a 640×360 canvas at 15 fps that changes everywhere in every frame, so
 * the encoder has to use the whole target bitrate (a still picture would encode to almost
 * nothing and the test would measure the picture, not the link).
 */
function canvasTrack(cleanup: (() => void)[]): MediaStreamTrack {
  const canvas = document.createElement('canvas');
  canvas.width = 640;
  canvas.height = 360;
  const ctx = canvas.getContext('2d');
  let frame = 0;
  const draw = () => {
    if (!ctx) return;
    frame++;
    for (let y = 0; y < 360; y += 20) {
      for (let x = 0; x < 640; x += 20) {
        const v = (x * 7 + y * 13 + frame * 31 + ((x * y) ^ frame)) & 255;
        ctx.fillStyle = `rgb(${v},${(v * 3) & 255},${(v * 5 + frame) & 255})`;
        ctx.fillRect(x, y, 20, 20);
      }
    }
  };
  draw();
  const timer = setInterval(draw, 1000 / 15);
  cleanup.push(() => clearInterval(timer));
  const track = canvas.captureStream(15).getVideoTracks()[0];
  if (!track) throw new Error('canvas capture unsupported');
  return track;
}
