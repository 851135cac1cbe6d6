import { RelayProtocol, SendLimitation, type ClientStatsReport } from '@dp/protocol';
import { pathOf, selectedPair, type ProbeStatsEntry } from '../media/network-stats.ts';

// The browser's own view of its connection for the admins' health dashboard: both
// transports' RTCStats reduced to one small report (ClientStatsReport). Counters
// (bytes, packets) become rates against the previous reading, so the report says what
// happens now, not since the call began.

/** An RTCStats entry as getStats() yields it; only the fields read here and by the network test. */
export interface StatsEntry extends ProbeStatsEntry {
  jitter?: number;
  framesPerSecond?: number;
  frameWidth?: number;
  frameHeight?: number;
  nackCount?: number;
  pliCount?: number;
  firCount?: number;
  /** local-candidate: how a relay candidate reaches its TURN server. */
  relayProtocol?: string;
  /** outbound-rtp (video): why the encoder sends less than asked. */
  qualityLimitationReason?: string;
}

/** The counters a report is measured against. */
export interface StatsCounters {
  at: number;
  bytesSent: number;
  bytesReceived: number;
  packetsReceived: number;
  packetsLost: number;
}

const ICE_STATES = new Set<ClientStatsReport['iceState']>([
  'new',
  'checking',
  'connected',
  'completed',
  'disconnected',
  'failed',
  'closed',
]);

const RELAY_PROTOCOLS = new Set<string>(RelayProtocol.options);
const LIMITATIONS = new Set<string>(SendLimitation.options);
/** The worst over the camera's simulcast layers: bandwidth is what the admin must hear of first. */
const LIMITATION_ORDER: SendLimitation[] = ['bandwidth', 'cpu', 'other', 'none'];

/** How the selected pair's local relay candidate reaches TURN (udp/tcp/tls), when it is one. */
function relayProtocolOf(stats: StatsEntry[], pair: StatsEntry | undefined): RelayProtocol | undefined {
  const local = pair?.localCandidateId ? stats.find((s) => s.id === pair.localCandidateId) : undefined;
  const p = local?.candidateType === 'relay' ? local.relayProtocol : undefined;
  return p && RELAY_PROTOCOLS.has(p) ? (p as RelayProtocol) : undefined;
}

/** mediasoup's bandwidth probe (mid 'probator') carries no media: it is left out. */
const isMedia = (s: StatsEntry) => s.mid !== 'probator';

const sumOf = (entries: StatsEntry[], field: keyof StatsEntry) => entries.reduce((a, s) => a + (Number(s[field]) || 0), 0);

/**
 * One report from the two transports' stats and the previous counters (null the first
 * time: rates are then 0). `iceState` is the receive transport's connection state as
 * mediasoup-client tells it (the path the participant depends on).
 */
export function summariseStats(
  send: StatsEntry[],
  recv: StatsEntry[],
  iceState: string,
  previous: StatsCounters | null,
  now: number,
): { report: ClientStatsReport; counters: StatsCounters } {
  const outbound = send.filter((s) => s.type === 'outbound-rtp' && isMedia(s));
  const inbound = recv.filter((s) => s.type === 'inbound-rtp' && isMedia(s));
  const counters: StatsCounters = {
    at: now,
    bytesSent: sumOf(outbound, 'bytesSent'),
    bytesReceived: sumOf(inbound, 'bytesReceived'),
    packetsReceived: sumOf(inbound, 'packetsReceived'),
    packetsLost: sumOf(inbound, 'packetsLost'),
  };
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  const rate = (bytes: number, before: number) => (seconds > 0 ? Math.max(0, ((bytes - before) * 8) / seconds) : 0);
  const received = previous ? counters.packetsReceived - previous.packetsReceived : 0;
  const lost = previous ? counters.packetsLost - previous.packetsLost : 0;
  const expected = received + Math.max(0, lost);

  const pair = selectedPair(recv) ?? selectedPair(send);
  const audio = inbound.filter((s) => s.kind === 'audio');
  const video = inbound.filter((s) => s.kind === 'video').sort((a, b) => (b.frameWidth ?? 0) - (a.frameWidth ?? 0))[0];
  const limits = new Set(
    outbound
      .filter((s) => s.kind === 'video' && s.qualityLimitationReason && LIMITATIONS.has(s.qualityLimitationReason))
      .map((s) => s.qualityLimitationReason),
  );
  const sendLimitation = LIMITATION_ORDER.find((l) => limits.has(l));
  const sendPair = selectedPair(send);
  const recvStats = recv.length ? recv : send;
  const relayProtocol = relayProtocolOf(recvStats, pair);
  const state = ICE_STATES.has(iceState as ClientStatsReport['iceState']) ? (iceState as ClientStatsReport['iceState']) : 'new';

  const report: ClientStatsReport = {
    iceState: state,
    path: pathOf(recvStats, pair) ?? 'unknown',
    sendBitrate: Math.round(previous ? rate(counters.bytesSent, previous.bytesSent) : 0),
    recvBitrate: Math.round(previous ? rate(counters.bytesReceived, previous.bytesReceived) : 0),
    recvLossPercent: expected > 0 ? Math.min(100, (Math.max(0, lost) / expected) * 100) : 0,
    rttMs: Math.round((pair?.currentRoundTripTime ?? 0) * 1000),
    jitterMs: Math.round(Math.max(0, ...audio.map((s) => (s.jitter ?? 0) * 1000))),
    fps: Math.min(240, Math.max(0, video?.framesPerSecond ?? 0)),
    frameWidth: Math.min(10_000, video?.frameWidth ?? 0),
    frameHeight: Math.min(10_000, video?.frameHeight ?? 0),
    nackCount: sumOf(inbound, 'nackCount'),
    pliCount: sumOf(inbound, 'pliCount'),
    firCount: sumOf(inbound, 'firCount'),
    ...(relayProtocol ? { relayProtocol } : {}),
    ...(sendPair?.availableOutgoingBitrate !== undefined ? { sendEstimate: Math.round(sendPair.availableOutgoingBitrate) } : {}),
    ...(sendLimitation ? { sendLimitation } : {}),
  };
  return { report, counters };
}
