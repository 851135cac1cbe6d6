import type { Page } from 'puppeteer-core';
import { summariseStats, type StatsEntry } from '../../../../apps/web/src/room/stats-report.ts';
import { qualityScore } from '../../../../packages/health/src/score.ts';

// What a receiving page gets over an impaired link, read from its own WebRTC statistics
// (`window.__roomClient.getStats()`) and its remote audio (WebAudio): the figures the rural-network
// e2e asserts on and the benchmark tabulates. Counters are compared between two readings, so a
// figure says what happened in that window, not since the call began.

type Stat = StatsEntry & Record<string, unknown>;

/** One reading of a page's stats. */
export interface Reading {
  at: number;
  send: Stat[];
  recv: Stat[];
}

export async function read(page: Page): Promise<Reading> {
  const { send, recv } = await page.evaluate(async () => {
    const client = (window as unknown as { __roomClient?: { getStats(): Promise<{ send: unknown[]; recv: unknown[] }> } }).__roomClient;
    if (!client) throw new Error('window.__roomClient is missing');
    return JSON.parse(JSON.stringify(await client.getStats())) as { send: unknown[]; recv: unknown[] };
  });
  return { at: Date.now(), send: send as Stat[], recv: recv as Stat[] };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const inbound = (r: Reading, kind: 'audio' | 'video') =>
  r.recv.filter((s) => s.type === 'inbound-rtp' && s.kind === kind && s.mid !== 'probator');
const total = (list: Stat[], field: string) => list.reduce((a, s) => a + num(s[field]), 0);

/** What was received between two readings of the same page. */
export interface Window {
  seconds: number;
  audioPackets: number;
  /** Share of the audio played out that the jitter buffer had to invent (0–1); NaN without audio. */
  concealment: number;
  audioLossPercent: number;
  videoFrames: number;
  /** Decoded video frames per second over the window. */
  fps: number;
  /** The picture's size now (of the stream that decoded frames in the window; 0 when none did). */
  width: number;
  height: number;
  /** RTCP round trip (remote-inbound/remote-outbound, the median of the streams'): what the media path's delay is, as the sender's estimator sees it. */
  rtcpRttMs: number;
  /** The selected ICE candidate pair: protocol of the local candidate ('udp' | 'tcp'), its type. */
  protocol: string;
  candidateType: string;
  /** How the client reaches the relay when the pair is relayed ('udp' | 'tcp' | 'tls'), else ''. */
  relayProtocol: string;
  /** The layers this page's own camera sends now (outbound-rtp frame sizes, e.g. '160×90 320×180'). */
  sentLayers: string;
  /** Why this page's own video encoder sends less than asked (outbound-rtp qualityLimitationReason: 'cpu', 'bandwidth'), '' when nothing limits it. */
  sendLimitation: string;
  /** The dashboard's score (0–5, packages/health qualityScore) from the page's own report, as the dashboard takes it. */
  score: number;
}

export function between(a: Reading, b: Reading): Window {
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  const aa = inbound(a, 'audio');
  const ba = inbound(b, 'audio');
  const d = (field: string) => total(ba, field) - total(aa, field);
  const samples = d('totalSamplesReceived');
  const lost = d('packetsLost');
  const audioPackets = d('packetsReceived');
  // The stream that decoded most frames in the window is the picture shown.
  let best: { frames: number; width: number; height: number } = { frames: 0, width: 0, height: 0 };
  for (const v of inbound(b, 'video')) {
    const before = inbound(a, 'video').find((x) => x.id === v.id);
    const frames = num(v.framesDecoded) - num(before?.framesDecoded);
    if (frames > best.frames) best = { frames, width: num(v.frameWidth), height: num(v.frameHeight) };
  }
  const rtts = [...b.recv, ...b.send]
    .filter((s) => s.type === 'remote-inbound-rtp' || s.type === 'remote-outbound-rtp')
    .map((s) => num(s.roundTripTime))
    .filter((v) => v > 0);
  const transport = b.recv.find((s) => s.type === 'transport');
  const pair = b.recv.find((s) => s.type === 'candidate-pair' && s.id === transport?.selectedCandidatePairId);
  const local = b.recv.find((s) => s.type === 'local-candidate' && s.id === pair?.localCandidateId);
  // The dashboard's own reduction of the same two readings (apps/web stats-report.ts), then its
  // score; the ICE state as the page's receive transport reports it (the client sends mediasoup-client's, the same).
  const iceState = String(transport?.iceState ?? (transport?.dtlsState === 'connected' ? 'connected' : 'new'));
  const { report } = summariseStats(b.send, b.recv, iceState, summariseStats(a.send, a.recv, iceState, null, a.at).counters, b.at);
  return {
    seconds,
    audioPackets,
    concealment: samples > 0 ? d('concealedSamples') / samples : Number.NaN,
    audioLossPercent: audioPackets + lost > 0 ? (Math.max(0, lost) / (audioPackets + Math.max(0, lost))) * 100 : 0,
    videoFrames: best.frames,
    fps: best.frames / seconds,
    width: best.frames > 0 ? best.width : 0,
    height: best.frames > 0 ? best.height : 0,
    rtcpRttMs: rtts.length ? Math.round(rtts.sort((x, y) => x - y)[Math.floor(rtts.length / 2)]! * 1000) : 0,
    protocol: String(local?.protocol ?? ''),
    sentLayers: b.send
      .filter((s) => s.type === 'outbound-rtp' && s.kind === 'video' && num(s.frameWidth) > 0)
      .map((s) => [num(s.frameWidth), num(s.frameHeight)])
      .sort((x, y) => x[0]! - y[0]!)
      .map(([w, h]) => `${w}×${h}`)
      .join(' '),
    sendLimitation: [
      ...new Set(
        b.send
          .filter(
            (s) => s.type === 'outbound-rtp' && s.kind === 'video' && s.qualityLimitationReason && s.qualityLimitationReason !== 'none',
          )
          .map((s) => String(s.qualityLimitationReason)),
      ),
    ].join(','),
    candidateType: String(local?.candidateType ?? ''),
    relayProtocol: String(local?.relayProtocol ?? ''),
    score: qualityScore({
      lossPercent: report.recvLossPercent,
      rttMs: report.rttMs,
      jitterMs: report.jitterMs,
      iceState: report.iceState,
      hasMedia: audioPackets > 0 || best.frames > 0,
    }),
  };
}

/** The SFU's port on the selected candidate pair of the page's receive transport (undefined before ICE). */
export function sfuPort(r: Reading): number | undefined {
  const transport = r.recv.find((s) => s.type === 'transport');
  const pair = r.recv.find((s) => s.type === 'candidate-pair' && s.id === transport?.selectedCandidatePairId);
  const remote = r.recv.find((s) => s.type === 'remote-candidate' && s.id === pair?.remoteCandidateId);
  return typeof remote?.port === 'number' ? remote.port : undefined;
}

/** Reads the page twice, `ms` apart: what it received meanwhile. */
export async function measure(page: Page, ms: number): Promise<Window> {
  const a = await read(page);
  await new Promise((r) => setTimeout(r, ms));
  return between(a, await read(page));
}

/**
 * Polls `page` in windows of `stepMs` until `check` holds for one; returns the time it took
 * (ms, counted from the call) and that window. Throws with the last window after `timeoutMs`.
 */
export async function until(
  page: Page,
  check: (w: Window) => boolean,
  what: string,
  timeoutMs: number,
  stepMs = 1_000,
): Promise<{ ms: number; window: Window }> {
  const start = Date.now();
  let last: Window | undefined;
  let prev = await read(page).catch(() => undefined);
  while (Date.now() - start < timeoutMs) {
    await new Promise((r) => setTimeout(r, stepMs));
    const next = await read(page).catch(() => undefined);
    if (prev && next) {
      last = between(prev, next);
      if (check(last)) return { ms: Date.now() - start, window: last };
    }
    prev = next ?? prev;
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last window: ${JSON.stringify(last)}`);
}

/** The loudest moment (RMS, 0–1) of the page's remote audio through WebAudio over `ms`; -1 without a remote audio track. */
export async function remoteAudioLevel(page: Page, ms = 2_000): Promise<number> {
  return page.evaluate(async (duration) => {
    const el = document.querySelector<HTMLAudioElement>('audio[data-testid="remote-audio"]');
    const stream = el?.srcObject;
    if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return -1;
    const audio = new AudioContext();
    await audio.resume();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 2048;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    for (const end = performance.now() + duration; performance.now() < end;) {
      analyser.getFloatTimeDomainData(samples);
      peak = Math.max(peak, Math.sqrt(samples.reduce((a, v) => a + v * v, 0) / samples.length));
      await new Promise((r) => setTimeout(r, 40));
    }
    await audio.close();
    return peak;
  }, ms);
}
