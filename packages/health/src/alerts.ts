import type { AlertKind, HealthAlert, ParticipantHealth } from '@dp/protocol';

/** The product's alert thresholds, all in one place. */
export const ALERT_RULES = {
  /** Loss above this (%), sustained this long, per participant: a blip is not worth an alert. */
  loss: { abovePercent: 5, sustainMs: 10_000, severity: 'warning' },
  /** RTT above this (ms), per participant, at once. */
  rtt: { aboveMs: 400, severity: 'warning' },
  /** ICE of a participant's transport, at once: 'disconnected' may recover, 'failed' will not. */
  ice: { disconnected: 'warning', failed: 'critical' },
  /** A mediasoup worker above this share of one core (%). */
  workerCpu: { abovePercent: 80, severity: 'warning' },
  /** A failed equipment pre-check, shown while its room is listed. */
  precheck: { severity: 'warning' },
  /** Minutes left to the room's 60-minute limit. */
  timeLimit: { warningAtMinutesLeft: 5, criticalAtMinutesLeft: 1 },
} as const;

type Severity = HealthAlert['severity'];

export interface AlertRoomInput {
  roomId: string;
  minutesLeft: number | null;
  participants: ParticipantHealth[];
}

export interface AlertInput {
  rooms: AlertRoomInput[];
  workers: Array<{ pid: number; cpuPercent: number }>;
  failedPrechecks: Array<{ roomId: string; at: number }>;
}

/** A condition that holds now, before its start time is settled. */
interface Condition {
  kind: AlertKind;
  severity: Severity;
  roomId: string | null;
  peerId: string | null;
  workerPid: number | null;
  value: number | null;
  /** When it began as far as this sample can tell (ms); an earlier start already known wins. */
  startedAt: number;
}

export function alertId(kind: AlertKind, subject: { roomId?: string | null; peerId?: string | null; workerPid?: number | null }): string {
  return `${kind}:${subject.roomId ?? ''}:${subject.peerId ?? subject.workerPid ?? ''}`;
}

/**
 * Turns each health sample into the alerts that hold now. Stateful only so that alerts
 * keep their `since` while they last and loss can be required to persist; time comes in
 * as an argument, so the same inputs always give the same alerts.
 */
export class AlertTracker {
  /** Alert id → when its condition began (ms). */
  #since = new Map<string, number>();
  /** `${roomId}:${peerId}` → the first sample of the current run of loss above the threshold. */
  #lossAboveSince = new Map<string, number>();

  update(now: number, input: AlertInput): HealthAlert[] {
    const conditions = [
      ...this.#participantConditions(now, input.rooms),
      ...workerConditions(now, input.workers),
      ...precheckConditions(input.rooms, input.failedPrechecks),
      ...timeLimitConditions(now, input.rooms),
    ];

    const since = new Map<string, number>();
    const alerts: HealthAlert[] = [];
    for (const c of conditions) {
      const id = alertId(c.kind, c);
      if (since.has(id)) continue; // the same subject listed twice: one alert
      const began = this.#since.get(id) ?? c.startedAt;
      since.set(id, began);
      alerts.push({
        id,
        kind: c.kind,
        severity: c.severity,
        roomId: c.roomId,
        peerId: c.peerId,
        workerPid: c.workerPid,
        value: c.value,
        since: new Date(began).toISOString(),
      });
    }
    // Conditions that have ended are forgotten: if they come back, they begin anew.
    this.#since = since;
    return alerts.sort(bySeverityThenAge);
  }

  #participantConditions(now: number, rooms: AlertRoomInput[]): Condition[] {
    const conditions: Condition[] = [];
    const lossAboveSince = new Map<string, number>();
    for (const room of rooms) {
      for (const p of room.participants) {
        const subject = { roomId: room.roomId, peerId: p.peerId, workerPid: null };
        if (p.lossPercent > ALERT_RULES.loss.abovePercent) {
          const key = `${room.roomId}:${p.peerId}`;
          const above = this.#lossAboveSince.get(key) ?? now;
          lossAboveSince.set(key, above);
          if (now - above >= ALERT_RULES.loss.sustainMs) {
            conditions.push({ kind: 'loss', severity: ALERT_RULES.loss.severity, ...subject, value: p.lossPercent, startedAt: above });
          }
        }
        if (p.rttMs > ALERT_RULES.rtt.aboveMs) {
          conditions.push({ kind: 'rtt', severity: ALERT_RULES.rtt.severity, ...subject, value: p.rttMs, startedAt: now });
        }
        if (p.iceState === 'disconnected' || p.iceState === 'failed') {
          const severity = ALERT_RULES.ice[p.iceState];
          conditions.push({ kind: 'ice_disconnected', severity, ...subject, value: null, startedAt: now });
        }
      }
    }
    // A sample at or below the threshold, or a participant gone, resets its clock.
    this.#lossAboveSince = lossAboveSince;
    return conditions;
  }
}

function workerConditions(now: number, workers: AlertInput['workers']): Condition[] {
  return workers
    .filter((w) => w.cpuPercent > ALERT_RULES.workerCpu.abovePercent)
    .map((w): Condition => ({
      kind: 'worker_cpu',
      severity: ALERT_RULES.workerCpu.severity,
      roomId: null,
      peerId: null,
      workerPid: w.pid,
      value: w.cpuPercent,
      startedAt: now,
    }));
}

function precheckConditions(rooms: AlertRoomInput[], failed: AlertInput['failedPrechecks']): Condition[] {
  const listed = new Set(rooms.map((r) => r.roomId));
  // One alert per room, dated from its earliest failure.
  const firstFailure = new Map<string, number>();
  for (const f of failed) {
    if (!listed.has(f.roomId)) continue;
    firstFailure.set(f.roomId, Math.min(f.at, firstFailure.get(f.roomId) ?? f.at));
  }
  return [...firstFailure].map(([roomId, at]): Condition => ({
    kind: 'precheck_failed',
    severity: ALERT_RULES.precheck.severity,
    roomId,
    peerId: null,
    workerPid: null,
    value: null,
    startedAt: at,
  }));
}

function timeLimitConditions(now: number, rooms: AlertRoomInput[]): Condition[] {
  const { warningAtMinutesLeft, criticalAtMinutesLeft } = ALERT_RULES.timeLimit;
  return rooms.flatMap((room): Condition[] => {
    const left = room.minutesLeft;
    if (left === null || left > warningAtMinutesLeft) return [];
    const severity: Severity = left <= criticalAtMinutesLeft ? 'critical' : 'warning';
    return [{ kind: 'time_limit', severity, roomId: room.roomId, peerId: null, workerPid: null, value: left, startedAt: now }];
  });
}

const severityRank: Record<Severity, number> = { critical: 0, warning: 1 };

/** Critical first, then the oldest, then by id so the order is stable. */
function bySeverityThenAge(a: HealthAlert, b: HealthAlert): number {
  return severityRank[a.severity] - severityRank[b.severity] || a.since.localeCompare(b.since) || a.id.localeCompare(b.id);
}
