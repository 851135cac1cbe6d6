import type { ParticipantHealth } from '@dp/protocol';
import { clamp, roundTo } from './numbers.ts';

export interface ScoreInput {
  /** Packet loss, 0–100 %. */
  lossPercent: number;
  /** Round-trip time, ms (0 while unknown). */
  rttMs: number;
  /** Jitter, ms. */
  jitterMs: number;
  /** ICE state of the transport the participant depends on. */
  iceState: string;
  /** Whether any media flows yet. */
  hasMedia: boolean;
}

const MOS_MIN = 1;
const MOS_MAX = 4.5;
const SCORE_MAX = 5;

/**
 * The network's quality as a 0–5 score (one decimal), the ITU-T G.107 E-model simplified
 * the way VoIP monitors do it:
 *
 *   effective latency Le = RTT/2 + 2·jitter + 10 ms (the last term: codec delay)
 *   latency impairment Id = Le/40 when Le < 160 ms, else (Le − 120)/10
 *   R = 93.2 − Id − 2.5·loss%
 *   MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R), clamped to 1..4.5
 *
 * and MOS 1..4.5 mapped linearly onto 0..5. ICE then overrides the figures: a transport that
 * has failed or closed carries nothing (0), a disconnected one may come back but carries
 * nothing now (at most 1).
 *
 * Without media yet (`hasMedia` false) the score is the network-only one: a participant
 * still joining is not rated excellent merely because nothing has been measured.
 */
export function qualityScore(input: ScoreInput): number {
  const { iceState } = input;
  if (iceState === 'failed' || iceState === 'closed') return 0;
  const score = mosToScore(meanOpinionScore(rFactor(input)));
  return roundTo(iceState === 'disconnected' ? Math.min(score, 1) : score, 1);
}

/** The E-model transmission rating R (ITU-T G.107, simplified), from loss, RTT and jitter. */
export function rFactor({ lossPercent, rttMs, jitterMs }: Pick<ScoreInput, 'lossPercent' | 'rttMs' | 'jitterMs'>): number {
  const loss = clamp(lossPercent, 0, 100);
  const effectiveLatency = Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs) + 10;
  // Delay hurts little until ~160 ms one way, then four times as fast.
  const latencyImpairment = effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency - 120) / 10;
  return 93.2 - latencyImpairment - 2.5 * loss;
}

/** R → MOS (ITU-T G.107 Annex B), clamped to 1..4.5. */
export function meanOpinionScore(r: number): number {
  if (r <= 0) return MOS_MIN;
  if (r >= 100) return MOS_MAX;
  // The cubic dips just below 1 for R < ~6.5; the clamp keeps it monotonic.
  return clamp(1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r), MOS_MIN, MOS_MAX);
}

function mosToScore(mos: number): number {
  return ((mos - MOS_MIN) / (MOS_MAX - MOS_MIN)) * SCORE_MAX;
}

/** A room is as good as its worst participant; an empty room has nothing wrong with it. */
export function roomScore(participants: ReadonlyArray<Pick<ParticipantHealth, 'score'>>): number {
  if (participants.length === 0) return SCORE_MAX;
  return Math.min(...participants.map((p) => p.score));
}
