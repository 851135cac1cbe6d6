import { HEALTH_INTERVAL_MS } from '@dp/protocol';
import type { MediaSession } from './media-session.ts';
import { request, type RoomSocket } from './signalling.ts';
import { summariseStats, type StatsCounters, type StatsEntry } from './stats-report.ts';
import type { RoomStore } from './state-store.ts';
import { UplinkGuard } from './uplink-guard.ts';
import type { types as ms } from 'mediasoup-client';

/** How often the page tells the server its own view of the connection (the admins' dashboard). */
const STATS_REPORT_MS = 2 * HEALTH_INTERVAL_MS;

/**
 * Every few seconds: the connection as this browser sees it (getStats of both transports,
 * reduced to a few figures) goes to the server for the admins' dashboard. Best effort: a
 * lost report is replaced by the next one.
 */
export class StatsReporter {
  private timer: ReturnType<typeof setInterval> | null = null;
  private counters: StatsCounters | null = null;

  private readonly store: RoomStore;
  private readonly media: MediaSession;
  /** Pauses our camera when our uplink cannot carry it (uplink-guard.ts), from the same reports. */
  private readonly uplink: UplinkGuard;

  constructor(store: RoomStore, media: MediaSession, camera: () => ms.Producer | undefined) {
    this.store = store;
    this.media = media;
    this.uplink = new UplinkGuard(store, camera);
  }

  start(socket: RoomSocket, session: number): void {
    this.stop();
    this.timer = setInterval(() => {
      const recv = this.media.recvTransport;
      if (!this.store.alive(session) || !recv) return;
      void (async () => {
        const { send, recv: recvStats } = await this.media.getStats();
        const { report, counters } = summariseStats(
          send as StatsEntry[],
          recvStats as StatsEntry[],
          recv.connectionState,
          this.counters,
          performance.now(),
        );
        this.counters = counters;
        if (!this.store.alive(session)) return;
        this.uplink.observe(report.sendEstimate, performance.now());
        await request(socket, 'clientStats', report);
      })().catch(() => undefined);
    }, STATS_REPORT_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.counters = null;
    this.uplink.reset();
  }
}
