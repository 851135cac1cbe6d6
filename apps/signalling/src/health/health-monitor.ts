// Room health for the admins' dashboard: every HEALTH_INTERVAL_MS the monitor asks the SFU
// for mediasoup's own figures (`stats`), joins them with what each browser last reported
// (`clientStats`) and with what signalling knows of each room (kind, institution, time
// left), derives a score and the alerts (@dp/health), keeps 10 minutes of chart points,
// and hands the snapshot to whoever listens (the /admin namespace, /metrics). When a room
// is gone, its quality summary is written to the consultation, for the monthly report.
import type { PrismaClient } from '@dp/db';
import {
  AlertTracker,
  mergeParticipant,
  participantFigures,
  QualityAccumulator,
  qualitySample,
  roomFigures,
  roomScore,
  SeriesStore,
} from '@dp/health';
import {
  HEALTH_INTERVAL_MS,
  isLead,
  type ConsultationState,
  type HealthSnapshot,
  type ParticipantHealth,
  type RoomHealth,
  type RoomPhase,
  type RoomSeries,
  type SfuNodeStats,
} from '@dp/protocol';
import type { Logger } from 'pino';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { SfuClient } from '../sfu/sfu-client.ts';

/** Where a room belongs, for the dashboard's scope (admin: department, head: institution). */
export interface RoomScope {
  institutionId: string | null;
  departmentId: string | null;
}

interface RoomMeta extends RoomScope {
  institution: string;
  specialist: string;
  start: Date | null;
}

export interface HealthMonitorDeps {
  sfu: SfuClient;
  rooms: RoomRegistry;
  prisma: PrismaClient;
  log: Logger;
  /** This signalling process, and how many sockets it holds now. */
  instanceId: string;
  sockets(): number;
  intervalMs?: number;
  now?: () => number;
}

/** A room's minutes to its limit from which the dashboard calls it «closing». */
const CLOSING_MINUTES = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A quality accumulator of a room not seen for this long is forgotten (it was written when the room went). */
const FORGET_MS = 2 * 60 * 60_000;

export class HealthMonitor {
  private readonly deps: HealthMonitorDeps;
  private readonly now: () => number;
  private readonly alerts = new AlertTracker();
  private readonly series = new SeriesStore();
  private readonly quality = new Map<string, { acc: QualityAccumulator; seen: number }>();
  private readonly meta = new Map<string, Promise<RoomMeta>>();
  /** Where each listed room belongs (for the viewers' scope), as of the latest sample. */
  private scopes = new Map<string, RoomScope>();
  private readonly listeners = new Set<(snapshot: HealthSnapshot) => void>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastRooms = new Set<string>();
  latest: HealthSnapshot | null = null;
  /** The SFU's last answer, kept whole (rooms included) for /metrics. */
  latestSfu: SfuNodeStats | null = null;

  constructor(deps: HealthMonitorDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? HEALTH_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.flushClosed(new Set());
  }

  /** Called with every new snapshot. */
  onSnapshot(listener: (snapshot: HealthSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  roomSeries(roomId: string): RoomSeries | null {
    return this.series.series(roomId);
  }

  /** The scope of a listed room (null: not open now). */
  scopeOf(roomId: string): RoomScope | null {
    return this.scopes.get(roomId) ?? null;
  }

  /** One sample (the timer's; tests call it directly). Never runs twice at once. */
  async tick(): Promise<HealthSnapshot | null> {
    if (this.running) {
      await this.running;
      return this.latest;
    }
    this.running = this.sample()
      .catch((e: Error) => this.deps.log.warn({ err: e.message }, 'health sample failed'))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
    return this.latest;
  }

  private async sample(): Promise<void> {
    const now = this.now();
    const sfuStats = await this.deps.sfu.request('stats', {}).catch((e: Error) => {
      this.deps.log.warn({ err: e.message }, 'no stats from the SFU');
      return null;
    });
    this.latestSfu = sfuStats;
    const sfuRooms = new Map((sfuStats?.rooms ?? []).map((r) => [r.roomId, r]));
    const open = this.deps.rooms.list().filter((r) => r.phase === 'open');

    const rooms: RoomHealth[] = [];
    const scopes = new Map<string, RoomScope>();
    const states = await this.statesOf(open.map((r) => r.id));
    for (const room of open) {
      const meta = await this.metaOf(room.id);
      scopes.set(room.id, { institutionId: meta.institutionId, departmentId: meta.departmentId });
      const sfuRoom = sfuRooms.get(room.id);
      const sfuPeers = new Map((sfuRoom?.peers ?? []).map((p) => [p.peerId, p]));
      const members = room.members();
      const roles = new Map(members.map(({ peer }) => [peer.id, peer.role]));
      // The room's other peers say whose video each participant receives (the «why» of its quality).
      const context = { peers: sfuRoom?.peers ?? [], roleOf: (id: string) => roles.get(id) ?? null };
      const participants: ParticipantHealth[] = members.map(({ peer }) =>
        mergeParticipant(sfuPeers.get(peer.id), peer.browserStats, peer.role, now, peer.id, context),
      );
      const minutesLeft = room.endsAt ? Math.max(0, (room.endsAt.getTime() - now) / 60_000) : null;
      rooms.push({
        roomId: room.id,
        kind: room.kind,
        institutionId: meta.institutionId,
        institution: meta.institution,
        specialist: meta.specialist,
        phase: phaseOf(room, meta, minutesLeft, now, states.get(room.id)),
        endsAt: room.endsAt?.toISOString() ?? null,
        minutesLeft: minutesLeft === null ? null : Math.round(minutesLeft * 10) / 10,
        workerPid: sfuRoom?.workerPid ?? null,
        participants,
        score: roomScore(participants),
      });
    }

    const failedPrechecks = await this.failedPrechecks(rooms.map((r) => r.roomId));
    const alerts = this.alerts.update(now, {
      rooms: rooms.map((r) => ({ roomId: r.roomId, minutesLeft: r.minutesLeft, participants: r.participants })),
      workers: sfuStats?.workers ?? [],
      failedPrechecks,
    });

    for (const r of rooms) {
      this.series.push(
        now,
        r.roomId,
        roomFigures(r.participants),
        Object.fromEntries(r.participants.map((p) => [p.peerId, participantFigures(p)])),
      );
      const q = this.quality.get(r.roomId) ?? { acc: new QualityAccumulator(), seen: now };
      q.seen = now;
      q.acc.add(
        qualitySample(
          r.participants,
          alerts.filter((a) => a.roomId === r.roomId).map((a) => a.kind),
        ),
      );
      this.quality.set(r.roomId, q);
    }
    await this.flushClosed(new Set(rooms.map((r) => r.roomId)));

    const { rooms: _rooms, ...node } = sfuStats ?? { rooms: [] };
    this.scopes = scopes;
    this.latest = {
      at: new Date(now).toISOString(),
      nodes: sfuStats ? [node as Omit<SfuNodeStats, 'rooms'>] : [],
      signalling: [{ instanceId: this.deps.instanceId, sockets: this.deps.sockets(), rooms: open.length }],
      rooms,
      alerts,
    };
    for (const l of this.listeners) l(this.latest);
  }

  /** Rooms listed last time and gone now: their quality summary goes to the consultation. */
  private async flushClosed(openNow: Set<string>): Promise<void> {
    const gone = [...this.lastRooms].filter((id) => !openNow.has(id));
    this.lastRooms = openNow;
    for (const id of gone) {
      this.series.drop(id);
      this.meta.delete(id);
      const q = this.quality.get(id);
      if (!q || q.acc.samples === 0) continue;
      // Written again if the room reopens (the accumulator goes on): the last write is the whole consultation.
      await this.deps.prisma.consultation
        .updateMany({ where: { id }, data: { qualitySummary: q.acc.summary() } })
        .catch((e: Error) => this.deps.log.warn({ roomId: id, err: e.message }, 'could not store a room quality summary'));
    }
    const now = this.now();
    for (const [id, q] of this.quality) if (now - q.seen > FORGET_MS) this.quality.delete(id);
  }

  private metaOf(roomId: string): Promise<RoomMeta> {
    let meta = this.meta.get(roomId);
    if (!meta) {
      meta = this.loadMeta(roomId);
      this.meta.set(roomId, meta);
    }
    return meta;
  }

  private async loadMeta(roomId: string): Promise<RoomMeta> {
    const c = await this.deps.prisma.consultation
      .findUnique({
        where: { id: roomId },
        select: {
          start: true,
          institution: { select: { id: true, name: true, departmentId: true } },
          specialists: { select: { specialist: { select: { displayName: true } } }, take: 1 },
        },
      })
      .catch(() => null);
    return {
      institutionId: c?.institution.id ?? null,
      departmentId: c?.institution.departmentId ?? null,
      institution: c?.institution.name ?? '',
      specialist: c?.specialists[0]?.specialist.displayName ?? '',
      start: c?.start ?? null,
    };
  }

  /**
   * The rooms' consultation states as the database holds them, read fresh every sample: the
   * dashboard says «идёт» exactly when the staff lists do (the lifecycle state is the one place).
   */
  private async statesOf(roomIds: string[]): Promise<Map<string, ConsultationState>> {
    const ids = roomIds.filter((id) => UUID.test(id));
    if (ids.length === 0) return new Map();
    const rows = await this.deps.prisma.consultation
      .findMany({ where: { id: { in: ids } }, select: { id: true, state: true } })
      .catch(() => []);
    return new Map(rows.map((r) => [r.id, r.state]));
  }

  /** Open rooms whose latest equipment pre-check failed. */
  private async failedPrechecks(roomIds: string[]): Promise<{ roomId: string; at: number }[]> {
    if (roomIds.length === 0) return [];
    const rows = await this.deps.prisma.precheckResult
      .findMany({
        where: { consultationId: { in: roomIds } },
        orderBy: { at: 'desc' },
        distinct: ['consultationId'],
        select: { consultationId: true, at: true, passed: true },
      })
      .catch(() => []);
    return rows.filter((r) => !r.passed).map((r) => ({ roomId: r.consultationId, at: r.at.getTime() }));
  }
}

/**
 * Near the limit: closing. Otherwise the consultation's lifecycle state, as every staff list
 * shows it: planned or pre-check → precheck, live (a client came) → live, open or no-show →
 * waiting. A room with no consultation (tests, benchmarks): by the clock and who is in.
 */
function phaseOf(room: Room, meta: RoomMeta, minutesLeft: number | null, now: number, state?: ConsultationState): RoomPhase {
  if (minutesLeft !== null && minutesLeft <= CLOSING_MINUTES) return 'closing';
  if (state === 'live') return 'live';
  if (state === 'planned' || state === 'precheck') return 'precheck';
  if (state === 'open' || state === 'no_show') return 'waiting';
  if (meta.start && now < meta.start.getTime()) return 'precheck';
  const clientIn = room.members().some(({ peer, waiting }) => !waiting && !isLead(peer.role));
  return clientIn ? 'live' : 'waiting';
}
