/**
 * The outgoing floor while a retry holds: at least 100 kbit/s, more when the paused videos'
 * lowest layer at its base frame rate sends more now (a quarter on top for the padding and
 * retransmissions around it). mediasoup gives the estimate to video alone (the voice comes on
 * top). In the rural sweep a 100 kbit/s floor brought the video back once the link recovered;
 * 60 kbit/s, and the layer's own rate + 25 % alone, did not.
 */
export function floorFor(baseLayerBps: number | undefined): number {
  if (!baseLayerBps || baseLayerBps <= 0) return FALLBACK_FLOOR_BPS;
  return Math.min(Math.max(Math.round(baseLayerBps * 1.25), FALLBACK_FLOOR_BPS), MAX_FLOOR_BPS);
}
/** More than the lowest layer's whole budget (320×180 up to 150 kbit/s) is never needed. */
const MAX_FLOOR_BPS = 190_000;
/** The least floor, and the floor when the sender's layer figures are not known yet. */
export const FALLBACK_FLOOR_BPS = 100_000;
/** How long the floor holds: a few rounds of the browser's congestion feedback. */
export const RETRY_HOLD_MS = 3_000;
/**
 * The first retry after video paused; each retry that does not keep the video doubles it.
 * Not sooner: right after a pause the link is still weak, and a retry then only crowds the voice.
 */
export const RETRY_FIRST_MS = 20_000;
export const RETRY_MAX_MS = 60_000;
/** Video kept this long after a retry means the link got better: the next pause starts afresh. */
const KEPT_MS = 30_000;

/** What a retry needs of a receive transport (mediasoup's WebRtcTransport has it). */
export interface FloorTransport {
  readonly closed: boolean;
  setMinOutgoingBitrate(bitrate: number): Promise<void>;
}

/** What the paused videos' lowest layer at its base frame rate sends now (bit/s; undefined: not known). */
export type BaseLayerRate = (consumerIds: readonly string[]) => Promise<number | undefined>;

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
 * outgoing floor is raised to what the lowest layer needs (`floorFor`) for RETRY_HOLD_MS: the lowest layer is
 * forwarded, and the feedback on it shows whether the link now carries it. If it does, the
 * estimate stays up when the floor goes and the layers climb; if not, it falls and the video
 * pauses again. Retries come after 20 s, then 40 and every 60 s while they fail, so on a
 * link weaker still the voice is crowded for at most 3 s a minute.
 */
export class VideoRetry {
  private readonly paused = new Set<string>();
  private readonly transport: FloorTransport;
  private readonly timers: RetryTimers;
  private next: unknown;
  private release: unknown;
  private delay = RETRY_FIRST_MS;
  private trying = false;
  /** When the last video got its layer back (null while some are paused). */
  private backSince: number | null = null;
  /** Retries made (the tests read it). */
  retries = 0;

  private readonly baseLayer: BaseLayerRate;

  constructor(transport: FloorTransport, baseLayer: BaseLayerRate, timers: RetryTimers = realTimers) {
    this.transport = transport;
    this.baseLayer = baseLayer;
    this.timers = timers;
  }

  /** A video consumer on this transport has no layer for bandwidth (`true`), or has one again / paused / closed (`false`). */
  noLayer(consumerId: string, none: boolean): void {
    if (none) {
      // Video kept for a while since it last came back: the link was better; start afresh.
      if (this.backSince !== null && this.timers.now() - this.backSince >= KEPT_MS) this.delay = RETRY_FIRST_MS;
      this.backSince = null;
      this.paused.add(consumerId);
      if (this.next === undefined && this.release === undefined && !this.trying) this.schedule();
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
    this.trying = true;
    const floor = floorFor(await this.baseLayer([...this.paused]).catch(() => undefined));
    this.trying = false;
    if (this.transport.closed || this.paused.size === 0) return this.scheduleIfPaused();
    await this.transport.setMinOutgoingBitrate(floor).catch(() => undefined);
    this.release = this.timers.set(() => {
      this.release = undefined;
      if (this.transport.closed) return;
      void this.transport.setMinOutgoingBitrate(0).catch(() => undefined);
      this.scheduleIfPaused();
    }, RETRY_HOLD_MS);
  }

  /** Still (or again) without video: the next retry, later. */
  private scheduleIfPaused(): void {
    if (this.paused.size > 0 && this.next === undefined && !this.transport.closed) this.schedule();
  }
}
