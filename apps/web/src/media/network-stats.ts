import type { IcePath, NetworkFigures } from '@dp/protocol';

// The network test's figures from the browser's getStats of the two probe transports (see
// packages/protocol/src/network-test.ts). Pure: two readings in, figures out — so the
// specialist's pre-check and the client's device check measure alike, and it is unit-tested.

/** An RTCStats entry as getStats() yields it; only the fields read here. */
export interface ProbeStatsEntry {
  type: string;
  id: string;
  kind?: string;
  bytesReceived?: number;
  bytesSent?: number;
  packetsReceived?: number;
  packetsLost?: number;
  currentRoundTripTime?: number;
  totalRoundTripTime?: number;
  responsesReceived?: number;
  availableOutgoingBitrate?: number;
  state?: string;
  nominated?: boolean;
  selected?: boolean;
  localCandidateId?: string;
  selectedCandidatePairId?: string;
  candidateType?: string;
  protocol?: string;
  mid?: string;
}

/** One reading of both transports. */
export interface ProbeReading {
  at: number;
  send: ProbeStatsEntry[];
  recv: ProbeStatsEntry[];
}

/** The candidate pair carrying the traffic (also the room's stats report uses it). */
export function selectedPair(stats: ProbeStatsEntry[]): ProbeStatsEntry | undefined {
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const byTransport = transport && stats.find((s) => s.id === transport.selectedCandidatePairId);
  if (byTransport) return byTransport;
  // Without the transport's pointer several pairs may be nominated (an earlier one stays
  // «succeeded» after ICE moved on): the one carrying the traffic is the selected one.
  const bytes = (s: ProbeStatsEntry) => (s.bytesSent ?? 0) + (s.bytesReceived ?? 0);
  return stats
    .filter((s) => s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded')))
    .sort((a, b) => bytes(b) - bytes(a))[0];
}

/**
 * The pair's round-trip time in seconds: the worse of the latest STUN check and the average
 * of all of them (one lucky last check on a jittery 3G link must not make it look good).
 */
function rttOf(pair: ProbeStatsEntry | undefined): number | undefined {
  if (!pair) return undefined;
  const average =
    pair.totalRoundTripTime !== undefined && pair.responsesReceived ? pair.totalRoundTripTime / pair.responsesReceived : undefined;
  const values = [pair.currentRoundTripTime, average].filter((v): v is number => typeof v === 'number');
  return values.length ? Math.max(...values) : undefined;
}

/** udp, tcp or relay (TURN) of the selected pair's local candidate; null when unknown. */
export function pathOf(stats: ProbeStatsEntry[], pair: ProbeStatsEntry | undefined): IcePath | null {
  const local = pair?.localCandidateId ? stats.find((s) => s.id === pair.localCandidateId) : undefined;
  if (!local) return null;
  if (local.candidateType === 'relay') return 'relay';
  if (local.protocol === 'udp' || local.protocol === 'tcp') return local.protocol;
  return 'unknown';
}

/** mediasoup's bandwidth probe (mid 'probator') carries no media: it is left out. */
const inboundVideo = (r: ProbeReading) => r.recv.filter((s) => s.type === 'inbound-rtp' && s.mid !== 'probator');
const sum = (xs: ProbeStatsEntry[], f: 'bytesReceived' | 'packetsReceived' | 'packetsLost') =>
  xs.reduce((a, s) => a + (Number(s[f]) || 0), 0);

/**
 * The figures between two readings:
 * - RTT: the selected candidate pair's round-trip time (STUN consent checks, so it is the
 *   network's, not the encoder's), the worse of the two transports at the end;
 * - loss: packets the receive side lost of those expected in the window (the way there and
 *   back; the server adds what it saw of the way there);
 * - bitrate: what came back, per second of the window — a lower bound, since a still picture
 *   encodes below the target — or the send side's congestion-control estimate
 *   (availableOutgoingBitrate) when larger, capped at the target: beyond it nothing was tried;
 * - path: udp, tcp (ICE-TCP) or relay (TURN), of the selected pair.
 * No selected pair at the end (ICE never connected): every figure null → «no connection».
 */
export function summariseProbe(first: ProbeReading, last: ProbeReading, targetKbps: number): NetworkFigures {
  const recvPair = selectedPair(last.recv);
  const sendPair = selectedPair(last.send);
  if (!recvPair && !sendPair) return { rttMs: null, lossPct: null, bitrateKbps: null, path: null };

  const rtts = [rttOf(recvPair), rttOf(sendPair)].filter((v): v is number => typeof v === 'number');
  // Whole milliseconds, rounded up: a loopback's 0.4 ms reads «1 ms», not «0» (no figure).
  const rttMs = rtts.length ? Math.ceil(Math.max(...rtts) * 1000) : null;

  const a = inboundVideo(first);
  const b = inboundVideo(last);
  const received = Math.max(0, sum(b, 'packetsReceived') - sum(a, 'packetsReceived'));
  const lost = Math.max(0, sum(b, 'packetsLost') - sum(a, 'packetsLost'));
  const lossPct = received + lost > 0 ? Math.round((lost / (received + lost)) * 1000) / 10 : null;

  const seconds = (last.at - first.at) / 1000;
  const bytes = Math.max(0, sum(b, 'bytesReceived') - sum(a, 'bytesReceived'));
  const recvKbps = seconds > 0 ? (bytes * 8) / seconds / 1000 : 0;
  const estimateKbps = sendPair?.availableOutgoingBitrate ? Math.min(sendPair.availableOutgoingBitrate / 1000, targetKbps) : 0;
  // Nothing came back at all: the estimate alone proves nothing about the way back.
  const bitrateKbps = received > 0 ? Math.round(Math.max(recvKbps, estimateKbps)) : 0;

  return { rttMs, lossPct, bitrateKbps, path: pathOf(last.recv, recvPair) ?? pathOf(last.send, sendPair) };
}
