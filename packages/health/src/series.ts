import { HEALTH_HISTORY_MS, HEALTH_INTERVAL_MS } from '@dp/protocol';
import type { AlertKind, ParticipantHealth, RoomQualitySummary, RoomSeries, SeriesPoint } from '@dp/protocol';
import { maxOf, roundTo, sum } from './numbers.ts';
import { roomScore } from './score.ts';

/** A chart point before it is stamped with its time. */
export type SeriesFigures = Omit<SeriesPoint, 't'>;

/**
 * Points kept per chart: the history at one sample per interval (10 min / 2 s = 300), plus
 * slack for samples that come early. Age alone would bound it too, but a clock that jumps
 * or a caller that samples too often must not make memory grow.
 */
export const SERIES_CAPACITY = Math.ceil(HEALTH_HISTORY_MS / HEALTH_INTERVAL_MS) + 20;

/** A participant's chart figures: its traffic both ways through the SFU, its loss and RTT. */
export function participantFigures(p: Pick<ParticipantHealth, 'sendBitrate' | 'recvBitrate' | 'lossPercent' | 'rttMs'>): SeriesFigures {
  return { bitrate: p.sendBitrate + p.recvBitrate, lossPercent: p.lossPercent, rttMs: p.rttMs };
}

/** A room's chart figures: the total traffic, and the worst loss and RTT of its participants. */
export function roomFigures(
  participants: ReadonlyArray<Pick<ParticipantHealth, 'sendBitrate' | 'recvBitrate' | 'lossPercent' | 'rttMs'>>,
): SeriesFigures {
  const figures = participants.map(participantFigures);
  return {
    bitrate: sum(figures.map((f) => f.bitrate)),
    lossPercent: maxOf(figures.map((f) => f.lossPercent)),
    rttMs: maxOf(figures.map((f) => f.rttMs)),
  };
}

/** A fixed-capacity ring of points in time order: pushing onto a full ring drops the oldest. */
export class PointRing {
  readonly capacity: number;
  readonly #slots: Array<SeriesPoint | undefined>;
  #start = 0;
  #length = 0;

  constructor(capacity: number = SERIES_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`PointRing: capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#slots = new Array<SeriesPoint | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.#length;
  }

  push(point: SeriesPoint): void {
    const end = (this.#start + this.#length) % this.capacity;
    this.#slots[end] = point;
    if (this.#length < this.capacity) this.#length += 1;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** Drops the points older than `t` from the front (points arrive in time order). */
  dropBefore(t: number): void {
    while (this.#length > 0) {
      const oldest = this.#slots[this.#start];
      if (oldest === undefined || oldest.t >= t) return;
      this.#slots[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.capacity;
      this.#length -= 1;
    }
  }

  toArray(): SeriesPoint[] {
    const points: SeriesPoint[] = [];
    for (let i = 0; i < this.#length; i++) {
      const point = this.#slots[(this.#start + i) % this.capacity];
      if (point !== undefined) points.push({ ...point });
    }
    return points;
  }
}

interface RoomRings {
  room: PointRing;
  participants: Map<string, PointRing>;
}

/** The charts of every room: the room's figures and each participant's, the last HEALTH_HISTORY_MS. */
export class SeriesStore {
  readonly historyMs: number;
  readonly capacity: number;
  readonly #rooms = new Map<string, RoomRings>();

  constructor(historyMs: number = HEALTH_HISTORY_MS, capacity: number = SERIES_CAPACITY) {
    this.historyMs = historyMs;
    this.capacity = capacity;
  }

  push(now: number, roomId: string, roomPoint: SeriesFigures, participantPoints: Record<string, SeriesFigures>): void {
    const rings = this.#rooms.get(roomId) ?? { room: new PointRing(this.capacity), participants: new Map<string, PointRing>() };
    this.#rooms.set(roomId, rings);
    rings.room.push({ ...roomPoint, t: now });
    for (const [peerId, figures] of Object.entries(participantPoints)) {
      const ring = rings.participants.get(peerId) ?? new PointRing(this.capacity);
      rings.participants.set(peerId, ring);
      ring.push({ ...figures, t: now });
    }

    // A participant who has left keeps its chart until its last point ages out.
    const oldestKept = now - this.historyMs;
    rings.room.dropBefore(oldestKept);
    for (const [peerId, ring] of rings.participants) {
      ring.dropBefore(oldestKept);
      if (ring.length === 0) rings.participants.delete(peerId);
    }
  }

  series(roomId: string): RoomSeries | null {
    const rings = this.#rooms.get(roomId);
    if (rings === undefined) return null;
    const participants: Record<string, SeriesPoint[]> = {};
    for (const [peerId, ring] of rings.participants) participants[peerId] = ring.toArray();
    return { roomId, room: rings.room.toArray(), participants };
  }

  drop(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  roomIds(): string[] {
    return [...this.#rooms.keys()];
  }
}

/** One sample of a room for its quality summary. */
export interface QualitySample {
  /** The room's score (its lowest participant's). */
  score: number;
  maxLossPercent: number;
  maxRttMs: number;
  totalBitrate: number;
  /** The kinds of the room's alerts active at this sample. */
  alertKinds: Iterable<AlertKind>;
}

/** A room's sample from its participants and the alerts that concern it. */
export function qualitySample(participants: ParticipantHealth[], alertKinds: Iterable<AlertKind>): QualitySample {
  const figures = roomFigures(participants);
  return {
    score: roomScore(participants),
    maxLossPercent: figures.lossPercent,
    maxRttMs: figures.rttMs,
    totalBitrate: figures.bitrate,
    alertKinds,
  };
}

/**
 * Sums a room's samples while it is open, in constant memory, for the summary it leaves
 * with its consultation. Alerts are counted by onset: a kind seen in consecutive samples is
 * one alert, so a report reads "2 loss alerts", not "37 samples with loss".
 */
export class QualityAccumulator {
  #samples = 0;
  #scoreSum = 0;
  #scoreMin = Infinity;
  #lossSum = 0;
  #lossMax = 0;
  #rttSum = 0;
  #rttMax = 0;
  #bitrateSum = 0;
  #alertCounts = new Map<AlertKind, number>();
  #activeKinds = new Set<AlertKind>();

  get samples(): number {
    return this.#samples;
  }

  add(sample: QualitySample): void {
    this.#samples += 1;
    this.#scoreSum += sample.score;
    this.#scoreMin = Math.min(this.#scoreMin, sample.score);
    this.#lossSum += sample.maxLossPercent;
    this.#lossMax = Math.max(this.#lossMax, sample.maxLossPercent);
    this.#rttSum += sample.maxRttMs;
    this.#rttMax = Math.max(this.#rttMax, sample.maxRttMs);
    this.#bitrateSum += sample.totalBitrate;

    const kinds = new Set(sample.alertKinds);
    for (const kind of kinds) {
      if (!this.#activeKinds.has(kind)) this.#alertCounts.set(kind, (this.#alertCounts.get(kind) ?? 0) + 1);
    }
    this.#activeKinds = kinds;
  }

  /** The summary so far; with no samples, all zeros (`samples: 0` says nothing was measured). */
  summary(): RoomQualitySummary {
    const n = this.#samples;
    const average = (total: number, decimals: number) => (n === 0 ? 0 : roundTo(total / n, decimals));
    return {
      samples: n,
      scoreAvg: average(this.#scoreSum, 2),
      scoreMin: n === 0 ? 0 : this.#scoreMin,
      lossPercentAvg: average(this.#lossSum, 2),
      lossPercentMax: this.#lossMax,
      rttMsAvg: average(this.#rttSum, 0),
      rttMsMax: this.#rttMax,
      bitrateAvg: average(this.#bitrateSum, 0),
      alerts: Object.fromEntries(this.#alertCounts),
    };
  }
}

/** The summary of a whole run of samples at once. */
export function summarise(samples: Iterable<QualitySample>): RoomQualitySummary {
  const acc = new QualityAccumulator();
  for (const sample of samples) acc.add(sample);
  return acc.summary();
}
