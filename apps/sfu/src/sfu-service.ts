import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import {
  NETWORK_TEST,
  ProtocolError,
  type SfuEvent,
  type SfuEventName,
  type SfuMethod,
  type SfuNodeStats,
  type SfuRequest,
  type SfuResponse,
  type WorkerStats,
} from '@dp/protocol';
import type { SfuConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { mediaCodecs } from './media-codecs.ts';
import { MediaRoom } from './media-room.ts';
import { CpuMeter, settle } from './media-stats.ts';
import type { WorkerPool, WorkerSlot } from './worker-pool.ts';

type Handlers = { [M in SfuMethod]: (req: SfuRequest<M>, caller: string) => Promise<SfuResponse<M>> };
export type SfuEmitter = EventEmitter<{ [E in SfuEventName]: [SfuEvent<E>] }>;

/**
 * Everything the SFU node can be asked to do, independent of the wire. Signalling
 * owns every decision (who may join, roles, limits); this only keeps media objects
 * and refuses ids a peer does not own.
 */
export class SfuService {
  readonly events: SfuEmitter = new EventEmitter();
  private readonly rooms = new Map<string, MediaRoom>();
  private readonly opening = new Map<string, Promise<MediaRoom>>();
  /** Open network-test probes (their routers are in `rooms` too) by the key they were opened for. */
  private readonly probes = new Map<string, { key: string; timer: NodeJS.Timeout }>();
  private readonly pool: WorkerPool;
  private readonly config: SfuConfig;
  private readonly log: Logger;
  /** CPU baselines: the Node process's, and each worker's by pid (dropped when the pid is gone). */
  private readonly processCpu = new CpuMeter({ cpuMs: 0, atMs: 0 });
  private readonly workerCpu = new Map<number, CpuMeter>();
  /** A `stats` call already running is shared, not repeated (two signalling instances polling). */
  private statsInFlight: Promise<SfuNodeStats> | undefined;

  constructor(pool: WorkerPool, config: SfuConfig, log: Logger) {
    this.pool = pool;
    this.config = config;
    this.log = log;
    pool.on('workerReplaced', (_slot, oldPid, newPid) => this.events.emit('workerReplaced', { oldPid, newPid }));
  }

  readonly handlers: Handlers = {
    // Routers are made from the same codec list, so their capabilities are known up front.
    capabilities: async () => ({
      rtpCapabilities: mediasoup.ortc.generateRouterRtpCapabilities(mediaCodecs) as SfuResponse<'capabilities'>['rtpCapabilities'],
    }),
    openRouter: async ({ roomId }, caller) => {
      const room = await this.openRoom(roomId, caller);
      return {
        rtpCapabilities: room.router.rtpCapabilities as SfuResponse<'openRouter'>['rtpCapabilities'],
        workerPid: room.slot.worker.pid,
      };
    },
    closeRouter: async ({ roomId }) => {
      const room = this.rooms.get(roomId);
      if (room) this.closeRoom(room, 'closed by signalling');
      return { closed: room !== undefined };
    },
    createWebRtcTransport: async (req) => this.room(req.roomId).createWebRtcTransport(req),
    connectTransport: async (req) => {
      await this.room(req.roomId).connectTransport(req);
      return {};
    },
    restartIce: async (req) => this.room(req.roomId).restartIce(req),
    produce: async (req) => this.room(req.roomId).produce(req),
    consume: async (req) => this.room(req.roomId).consume(req) as Promise<SfuResponse<'consume'>>,
    setProducerPaused: async (req) => {
      await this.room(req.roomId).setProducerPaused(req);
      return {};
    },
    closeProducer: async (req) => {
      this.room(req.roomId).closeProducer(req);
      return {};
    },
    setConsumerPaused: async (req) => {
      await this.room(req.roomId).setConsumerPaused(req);
      return {};
    },
    closeConsumer: async (req) => {
      this.room(req.roomId).closeConsumer(req);
      return {};
    },
    closePeer: async ({ roomId, peerId }) => {
      this.rooms.get(roomId)?.closePeer(peerId);
      return {};
    },
    roomState: async ({ roomId }) => {
      const room = this.rooms.get(roomId);
      if (!room) return { exists: false, transports: 0, producers: 0, consumers: 0 };
      return { exists: true, ...room.counts() };
    },
    nodeInfo: async () => ({
      nodeId: this.config.nodeId,
      workers: this.pool
        .list()
        .map((s) => ({ pid: s.worker.pid, routers: s.routers, workerBin: this.config.workerBin ?? '(mediasoup default)' })),
    }),
    openProbe: async ({ roomId, key, lifetimeMs }, caller) => {
      if (this.rooms.has(roomId) || this.opening.has(roomId)) throw new ProtocolError('bad_request', 'this id is taken');
      const open = [...this.probes.values()].filter((p) => p.key === key).length;
      if (open >= NETWORK_TEST.maxConcurrentPerLink) throw new ProtocolError('rate_limited', 'too many network tests at once');
      // Counted before the router exists, so two requests at once cannot both pass the check.
      const timer = setTimeout(() => {
        const probe = this.rooms.get(roomId);
        if (probe) this.closeRoom(probe, 'network test time is up');
        this.probes.delete(roomId);
      }, lifetimeMs);
      timer.unref();
      this.probes.set(roomId, { key, timer });
      try {
        const room = await this.openRoom(roomId, caller);
        room.router.observer.once('close', () => {
          clearTimeout(timer);
          this.probes.delete(roomId);
        });
        return { rtpCapabilities: room.router.rtpCapabilities as SfuResponse<'openProbe'>['rtpCapabilities'] };
      } catch (e) {
        clearTimeout(timer);
        this.probes.delete(roomId);
        throw e;
      }
    },
    probeStats: async ({ roomId }) => {
      if (!this.probes.has(roomId)) throw new ProtocolError('not_found', 'no such network test');
      return this.room(roomId).probeStats();
    },
    stats: async () => {
      this.statsInFlight ??= this.collectStats().finally(() => (this.statsInFlight = undefined));
      return this.statsInFlight;
    },
  };

  /** Rooms opened by a signalling instance that is gone for good are closed: no zombies. */
  closeRoomsOwnedBy(owner: string): number {
    const owned = [...this.rooms.values()].filter((r) => r.owner === owner);
    for (const room of owned) this.closeRoom(room, 'owner signalling instance gone');
    return owned.length;
  }

  roomCount(): number {
    return [...this.rooms.keys()].filter((id) => !this.probes.has(id)).length;
  }

  probeCount(): number {
    return this.probes.size;
  }

  close(): void {
    for (const room of [...this.rooms.values()]) this.closeRoom(room, 'sfu shutting down');
  }

  /**
   * The node's health sample: every worker and every room, all objects asked at once.
   * Anything that closes or does not answer meanwhile is left out; the call itself does
   * not fail for that. A worker's counts come from its rooms' own index, read after the
   * answers: an object closing at that very moment (closed in the worker, its notification
   * not yet in Node) may be counted but not listed.
   */
  private async collectStats(): Promise<SfuNodeStats> {
    const slots = this.pool.list().filter((s) => !s.worker.closed);
    // Network-test probes are not consultations: the dashboard lists rooms only (their
    // transports still count in their worker's figures, they are real load).
    const rooms = [...this.rooms.values()].filter((r) => !r.closed && !this.probes.has(r.id));
    const [usages, peers] = await Promise.all([
      Promise.all(slots.map((slot) => settle(() => slot.worker.getResourceUsage()))),
      Promise.all(rooms.map((room) => room.stats())),
    ]);
    const now = performance.now();
    const live = new Set(slots.map((s) => s.worker.pid));
    for (const pid of this.workerCpu.keys()) if (!live.has(pid)) this.workerCpu.delete(pid);

    const workers: WorkerStats[] = [];
    slots.forEach((slot, i) => {
      const usage = usages[i];
      if (!usage || slot.worker.closed) return; // died (or stuck) meanwhile: left out
      workers.push(this.workerStats(slot, usage, now));
    });
    const cpu = process.cpuUsage();
    return {
      nodeId: this.config.nodeId,
      process: {
        // performance.now() counts from the process's start, as process.cpuUsage() does.
        cpuPercent: this.processCpu.sample((cpu.user + cpu.system) / 1000, now),
        memoryBytes: process.memoryUsage.rss(),
      },
      workers,
      // A room closed meanwhile is left out (its objects already were).
      rooms: rooms.flatMap((room, i) => (room.closed ? [] : [{ roomId: room.id, workerPid: room.slot.worker.pid, peers: peers[i] ?? [] }])),
    };
  }

  private workerStats(slot: WorkerSlot, usage: mediasoup.types.WorkerResourceUsage, now: number): WorkerStats {
    const pid = slot.worker.pid;
    let meter = this.workerCpu.get(pid);
    if (!meter) {
      // First sample of this worker: measured from its spawn (CPU time 0 then).
      meter = new CpuMeter({ cpuMs: 0, atMs: slot.startedAt });
      this.workerCpu.set(pid, meter);
    }
    const counts = { routers: 0, transports: 0, producers: 0, consumers: 0 };
    for (const room of this.rooms.values()) {
      if (room.slot !== slot || room.closed) continue;
      const c = room.counts();
      counts.routers++;
      counts.transports += c.transports;
      counts.producers += c.producers;
      counts.consumers += c.consumers;
    }
    return {
      pid,
      cpuPercent: meter.sample(usage.ru_utime + usage.ru_stime, now),
      // ru_maxrss is in KiB on Linux; it is the peak resident size so far, not the current one.
      memoryBytes: usage.ru_maxrss * 1024,
      ...counts,
    };
  }

  private async openRoom(roomId: string, owner: string): Promise<MediaRoom> {
    const existing = this.rooms.get(roomId);
    if (existing && !existing.closed) return existing;
    // Two peers joining at once must share one router, not race to create two.
    let pending = this.opening.get(roomId);
    if (!pending) {
      pending = this.createRoom(roomId, owner).finally(() => this.opening.delete(roomId));
      this.opening.set(roomId, pending);
    }
    return pending;
  }

  private async createRoom(roomId: string, owner: string): Promise<MediaRoom> {
    let slot;
    try {
      slot = this.pool.pick();
    } catch {
      throw new ProtocolError('sfu_unavailable', 'no live mediasoup worker on this node');
    }
    const router = await slot.worker.createRouter({ mediaCodecs, appData: { roomId } });
    const room = new MediaRoom(
      roomId,
      router,
      slot,
      owner,
      {
        consumerClosed: (peerId, consumerId) => this.events.emit('consumerClosed', { roomId, peerId, consumerId }),
        consumerPaused: (peerId, consumerId, paused) => this.events.emit('consumerPaused', { roomId, peerId, consumerId, paused }),
        consumerLayers: (peerId, consumerId, spatial) => this.events.emit('consumerLayers', { roomId, peerId, consumerId, spatial }),
        transportLink: (peerId, transportId, up) => this.events.emit('transportLink', { roomId, peerId, transportId, up }),
      },
      this.config.initialAvailableOutgoingBitrate,
    );
    slot.routers++;
    this.rooms.set(roomId, room);
    router.observer.once('close', () => {
      slot.routers--;
      if (this.rooms.get(roomId) === room) this.rooms.delete(roomId);
    });
    // A dead worker closes its routers with it: tell signalling, which tells the clients.
    router.once('workerclose', () => {
      this.log.warn({ roomId }, 'room lost with its worker');
      this.events.emit('routerClosed', { roomId, reason: 'worker_died' });
    });
    this.log.info({ roomId, workerPid: slot.worker.pid }, 'router opened');
    return room;
  }

  private closeRoom(room: MediaRoom, why: string): void {
    room.close();
    this.log.info({ roomId: room.id, why }, 'router closed');
  }

  private room(roomId: string): MediaRoom {
    const room = this.rooms.get(roomId);
    if (!room || room.closed) throw new ProtocolError('not_found', 'no such room on this SFU node');
    return room;
  }
}
