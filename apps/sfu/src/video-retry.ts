/**
 * Outgoing floor while a retry holds. mediasoup gives the estimate to video alone (the voice
 * comes on top): the lowest layer (320×180) at its base frame rate was forwarded at a 40 kbit/s
 * estimate in the rural e2e. 60 kbit/s of video beside the voice (~40 kbit/s with overhead)
 * stays under the weakest link we aim at, 128 kbit/s; 100 kbit/s crowded it (11.7 % of the
 * voice concealed there).
 */
export const RETRY_FLOOR_BPS = 60_000;
/** How long the floor holds: a few rounds of the browser's congestion feedback. */
export const RETRY_HOLD_MS = 3_000;
/** The first retry after video paused; each retry that does not keep the video doubles it. */
export const RETRY_FIRST_MS = 10_000;
export const RETRY_MAX_MS = 60_000;
/** Video kept this long after a retry means the link got better: the next pause starts afresh. */
const KEPT_MS = 30_000;

/** What a retry needs of a receive transport (mediasoup's WebRtcTransport has it). */
export interface FloorTransport {
  readonly closed: boolean;
  setMinOutgoingBitrate(bitrate: number): Promise<void>;
}

export interface RetryTimers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: RetryTimers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Brings back video paused for bandwidth on one receive transport.
 *
 * mediasoup forwards no video to a receiver whose bandwidth estimate cannot carry even the
 * lowest layer. Then only the voice flows, and the estimator (libwebrtc's, inside the worker)
 * probes for more only when the allocation changes or the link looks under-used — with the
 * voice alone filling its 30 kbit/s floor, neither happens. The estimate can then stay at the
 * floor long after the link recovered: in the rural e2e the video stayed paused for over a
 * minute after a 128 kbit/s cap was lifted, and came back only when an unrelated change of the
 * sender's bitrate happened to start a probe.
 *
 * So while any video consumer on the transport is paused for bandwidth, the transport's
 * outgoing floor is raised to RETRY_FLOOR_BPS for RETRY_HOLD_MS: the lowest layer is
 * forwarded, and the feedback on it shows whether the link now carries it. If it does, the
 * estimate stays up when the floor goes and the layers climb; if not, it falls and the video
 * pauses again. Retries come after 10 s, then 20, 40 and every 60 s while they fail, so on a
 * link weaker still the voice is crowded for at most 3 s a minute.
 */
export class VideoRetry {
  private readonly paused = new Set<string>();
  private readonly transport: FloorTransport;
  private readonly timers: RetryTimers;
  private next: unknown;
  private release: unknown;
  private delay = RETRY_FIRST_MS;
  /** When the last video got its layer back (null while some are paused). */
  private backSince: number | null = null;
  /** Retries made (the tests read it). */
  retries = 0;

  constructor(transport: FloorTransport, timers: RetryTimers = realTimers) {
    this.transport = transport;
    this.timers = timers;
  }

  /** A video consumer on this transport has no layer for bandwidth (`true`), or has one again / paused / closed (`false`). */
  noLayer(consumerId: string, none: boolean): void {
    if (none) {
      // Video kept for a while since it last came back: the link was better; start afresh.
      if (this.backSince !== null && this.timers.now() - this.backSince >= KEPT_MS) this.delay = RETRY_FIRST_MS;
      this.backSince = null;
      this.paused.add(consumerId);
      if (this.next === undefined && this.release === undefined) this.schedule();
      return;
    }
    if (!this.paused.delete(consumerId) || this.paused.size > 0) return;
    this.cancelNext();
    this.backSince = this.timers.now();
  }

  close(): void {
    this.cancelNext();
    if (this.release !== undefined) this.timers.clear(this.release);
    this.release = undefined;
    this.paused.clear();
  }

  private schedule(): void {
    this.next = this.timers.set(() => {
      this.next = undefined;
      void this.retry();
    }, this.delay);
  }

  private cancelNext(): void {
    if (this.next !== undefined) this.timers.clear(this.next);
    this.next = undefined;
  }

  private async retry(): Promise<void> {
    if (this.transport.closed || this.paused.size === 0) return;
    this.retries++;
    this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
    await this.transport.setMinOutgoingBitrate(RETRY_FLOOR_BPS).catch(() => undefined);
    this.release = this.timers.set(() => {
      this.release = undefined;
      if (this.transport.closed) return;
      void this.transport.setMinOutgoingBitrate(0).catch(() => undefined);
      // Still (or again) without video: the next retry, later.
      if (this.paused.size > 0 && this.next === undefined) this.schedule();
    }, RETRY_HOLD_MS);
  }
}
