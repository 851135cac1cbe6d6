import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { SfuConfig } from './config.ts';
import type { Logger } from './logger.ts';

/** One worker process and its WebRtcServer; slot i always listens on port base + i. */
export interface WorkerSlot {
  index: number;
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  routers: number;
  /** performance.now() just before the worker process was spawned (its CPU-time baseline). */
  startedAt: number;
}

export interface WorkerPoolEvents {
  /** The slot's worker died and every router on it is gone; a replacement is being started. */
  workerDied: [slot: number, pid: number];
  workerReplaced: [slot: number, oldPid: number, newPid: number];
}

export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  private readonly slots: (WorkerSlot | undefined)[] = [];
  private closed = false;
  private readonly config: SfuConfig;
  private readonly log: Logger;

  constructor(config: SfuConfig, log: Logger) {
    super();
    this.config = config;
    this.log = log;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.config.workers; i++) this.slots[i] = await this.startSlot(i);
  }

  /** The live slot with the fewest routers (rooms), for placing a new room. */
  pick(): WorkerSlot {
    const live = this.slots.filter((s): s is WorkerSlot => s !== undefined && !s.worker.closed);
    if (live.length === 0) throw new Error('no live mediasoup worker');
    return live.reduce((a, b) => (b.routers < a.routers ? b : a));
  }

  list(): WorkerSlot[] {
    return this.slots.filter((s): s is WorkerSlot => s !== undefined);
  }

  close(): void {
    this.closed = true;
    for (const s of this.list()) s.worker.close();
  }

  private async startSlot(index: number): Promise<WorkerSlot> {
    const startedAt = performance.now();
    const worker = await mediasoup.createWorker({
      logLevel: this.config.logLevel === 'debug' ? 'debug' : 'warn',
      logTags: ['ice', 'dtls', 'srtp'],
      ...(this.config.workerBin ? { workerBin: this.config.workerBin } : {}),
    });
    const port = this.config.rtcPortBase + index;
    const listen = (protocol: 'udp' | 'tcp'): types.TransportListenInfo => ({
      protocol,
      ip: this.config.listenIp,
      port,
      ...(this.config.announcedAddress ? { announcedAddress: this.config.announcedAddress } : {}),
    });
    const webRtcServer = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
    const slot: WorkerSlot = { index, worker, webRtcServer, routers: 0, startedAt };
    worker.on('died', (err) => void this.onDied(slot, err));
    this.log.info({ slot: index, workerPid: worker.pid, port }, 'mediasoup worker started');
    return slot;
  }

  private async onDied(slot: WorkerSlot, err: Error): Promise<void> {
    const oldPid = slot.worker.pid;
    this.log.error({ slot: slot.index, workerPid: oldPid, err: err.message }, 'mediasoup worker died; replacing it');
    this.slots[slot.index] = undefined;
    this.emit('workerDied', slot.index, oldPid);
    // A worker that dies at once (bad binary, port taken) must not spin: back off.
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        const fresh = await this.startSlot(slot.index);
        this.slots[slot.index] = fresh;
        this.emit('workerReplaced', slot.index, oldPid, fresh.worker.pid);
        return;
      } catch (e) {
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        this.log.error({ slot: slot.index, err: (e as Error).message, retryInMs: delay }, 'could not start a replacement worker');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
