import { MediaSource, type SfuConsumerStats, type SfuProducerStats, type SfuTransportStats } from '@dp/protocol';
import { parseScalabilityMode, type types } from 'mediasoup';

// Turning mediasoup's own stats into the `stats` RPC's shapes (packages/protocol/src/health.ts).
//
// Cost: every getStats() / getResourceUsage() is one request over the worker's channel (a
// few hundred bytes of flatbuffers each way). Measured on the dev machine (500 transports +
// 500 consumers, 20 rounds): ~5 µs of worker CPU and ~30 µs of Node CPU per object, and a
// round of 1 000 objects answered in ~35 ms. A room of two peers (a send and a recv
// transport, two producers and two consumers each) is 12 requests, so 100 such rooms sampled
// every 2 s cost ~36 ms of Node CPU per 2 s (< 2 % of a core) and ~6 ms spread over the
// workers. Nothing here walks more than the objects that exist.

/** An object that does not answer within this is left out of the sample (it may be closing, or its worker stuck). */
export const STATS_TIMEOUT_MS = 1_500;

/**
 * The call's result, or undefined when it fails (the object closed meanwhile: mediasoup
 * rejects with InvalidStateError/NotFoundError) or does not answer in time. A sample skips
 * such objects rather than failing as a whole.
 */
export async function settle<T>(call: () => Promise<T>, timeoutMs = STATS_TIMEOUT_MS): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, undefined);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `sample` for every object at once and keeps the answers that came (see settle). */
export async function sampleAll<O extends { closed: boolean }, R>(objects: Iterable<O>, sample: (o: O) => Promise<R>): Promise<R[]> {
  const results = await Promise.all([...objects].map((o) => settle(() => sample(o)).then((r) => (o.closed ? undefined : r))));
  return results.filter((r): r is Awaited<R> => r !== undefined);
}

/** RTCP "fraction lost" is an 8-bit fixed-point fraction (lost/expected × 256), as mediasoup reports it. */
const lossPercent = (fractionLost: number): number => (fractionLost / 256) * 100;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const max = (xs: number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

/** Only WebRtcTransports are kept in a room; a PlainTransport (tests feed RTP through one) has no ICE or DTLS. */
type AnyTransport = types.WebRtcTransport | types.PlainTransport;

export async function transportStats(transport: AnyTransport): Promise<SfuTransportStats> {
  const stats: (types.WebRtcTransportStat | types.PlainTransportStat)[] = await transport.getStats();
  const s = stats.find((x) => x.transportId === transport.id) ?? stats[0];
  if (!s) throw new Error('transport has no stats'); // skipped by settle
  const webRtc = 'iceState' in s ? s : undefined;
  const tuple = webRtc ? webRtc.iceSelectedTuple : 'tuple' in s ? s.tuple : undefined;
  return {
    transportId: transport.id,
    direction: transport.appData.direction === 'send' ? 'send' : 'recv',
    iceState: webRtc?.iceState ?? 'none',
    dtlsState: webRtc?.dtlsState ?? 'none',
    // No selected tuple yet (ICE not connected): unknown. A TURN relay shows as its udp/tcp leg.
    protocol: tuple?.protocol ?? 'unknown',
    recvBitrate: s.recvBitrate,
    sendBitrate: s.sendBitrate,
    // transport-cc's estimate; absent until the first feedback (and on a PlainTransport).
    availableOutgoingBitrate: s.availableOutgoingBitrate ?? null,
  };
}

export async function producerStats(producer: types.Producer): Promise<SfuProducerStats> {
  // One 'inbound-rtp' entry per encoding (simulcast layer) that has received media.
  const streams = (await producer.getStats()).filter((s) => s.type === 'inbound-rtp');
  const codecs = producer.rtpParameters.codecs;
  // mediasoup's jitter is RFC 3550 interarrival jitter in RTP timestamp units of the stream's codec.
  const jitterMs = (s: types.ProducerStat): number => {
    const clockRate = codecs.find((c) => c.mimeType.toLowerCase() === s.mimeType.toLowerCase())?.clockRate ?? codecs[0]?.clockRate;
    return clockRate ? s.jitter / (clockRate / 1000) : 0;
  };
  const source = MediaSource.safeParse(producer.appData.source);
  // Each stream to its encoding (simulcast layer, low → high) by rid, else by SSRC.
  const encodings = producer.rtpParameters.encodings ?? [];
  const layers = encodings.map((e) => sum(streams.filter((s) => (e.rid ? s.rid === e.rid : s.ssrc === e.ssrc)).map((s) => s.bitrate)));
  return {
    producerId: producer.id,
    kind: producer.kind,
    // Always set by MediaRoom.produce from a validated request; the fallback is never expected.
    source: source.success ? source.data : producer.kind === 'audio' ? 'mic' : 'camera',
    paused: producer.paused,
    bitrate: sum(streams.map((s) => s.bitrate)),
    lossPercent: lossPercent(max(streams.map((s) => s.fractionLost))),
    jitterMs: max(streams.map(jitterMs)),
    nackCount: sum(streams.map((s) => s.nackCount)),
    pliCount: sum(streams.map((s) => s.pliCount)),
    firCount: sum(streams.map((s) => s.firCount)),
    score: max(producer.score.map((s) => s.score)),
    layers: layers.length > 0 ? layers.slice(0, 8) : [sum(streams.map((s) => s.bitrate))],
  };
}

export async function consumerStats(consumer: types.Consumer): Promise<SfuConsumerStats> {
  // A consumer's stats are its own 'outbound-rtp' stream followed by its producer's 'inbound-rtp' ones.
  const out = (await consumer.getStats()).find((s): s is types.ConsumerStat => s.type === 'outbound-rtp');
  const layers = consumer.currentLayers;
  // A simulcast consumer's one encoding says the producer's layers (mediasoup writes «L3T1» there).
  const layerCount = parseScalabilityMode(consumer.rtpParameters.encodings?.[0]?.scalabilityMode).spatialLayers;
  return {
    consumerId: consumer.id,
    producerId: consumer.producerId,
    kind: consumer.kind,
    paused: consumer.paused || consumer.producerPaused,
    bitrate: out?.bitrate ?? 0,
    // Loss and RTT come from the receiver's RTCP receiver reports: 0 until the first one.
    lossPercent: lossPercent(out?.fractionLost ?? 0),
    rttMs: out?.roundTripTime ?? 0,
    nackCount: out?.nackCount ?? 0,
    pliCount: out?.pliCount ?? 0,
    firCount: out?.firCount ?? 0,
    score: consumer.score.score,
    spatialLayer: layers?.spatialLayer ?? null,
    temporalLayer: layers?.temporalLayer ?? null,
    layerCount: Math.min(8, Math.max(1, layerCount)),
    preferredSpatialLayer: consumer.preferredLayers?.spatialLayer ?? null,
    priority: consumer.priority,
    producerScore: consumer.score.producerScore,
  };
}

/**
 * CPU use of a process as % of one core between two samples, from its cumulative CPU time.
 * The first sample measures from the baseline given (the process's start, CPU time 0), so
 * the dashboard shows the average since start rather than a meaningless 0. Samples closer
 * together than MIN_SAMPLE_MS (two signalling instances polling out of step) repeat the
 * previous figure and keep the baseline, so a short window never makes a spike.
 */
export class CpuMeter {
  static readonly MIN_SAMPLE_MS = 500;
  private cpuMs: number;
  private atMs: number;
  private percent = 0;

  constructor(baseline: { cpuMs: number; atMs: number }) {
    this.cpuMs = baseline.cpuMs;
    this.atMs = baseline.atMs;
  }

  sample(cpuMs: number, atMs: number): number {
    const wall = atMs - this.atMs;
    if (wall < CpuMeter.MIN_SAMPLE_MS) return this.percent;
    this.percent = Math.max(0, ((cpuMs - this.cpuMs) / wall) * 100);
    this.cpuMs = cpuMs;
    this.atMs = atMs;
    return this.percent;
  }
}
