import type { types as ms } from 'mediasoup-client';
import type { RoomStore } from './state-store.ts';

/**
 * Below this uplink estimate our camera cannot pass even its lowest layer (320×180; its base
 * temporal layer, 6 frames/s, ~40–50 kbit/s) beside the voice (Opus ~32 kbit/s + packet
 * overhead): the camera stops sending so the voice keeps the link.
 */
export const PAUSE_BELOW_BPS = 80_000;
/** The notice goes once the estimate is comfortably above that again (no flicker at the edge). */
export const CLEAR_ABOVE_BPS = 120_000;
/** Reports in a row below the bound before pausing (a report every 4 s: one dip is not a weak link). */
const LOW_REPORTS = 2;
/**
 * With the camera off the estimate only sees the voice and cannot show the link got better,
 * so the camera tries again after this long; still too weak, it stops again two reports later.
 */
const RETRY_MS = 20_000;

/**
 * Audio first on our own uplink: when the send transport's bandwidth estimate cannot carry the
 * camera's lowest layer, every camera encoding is switched off (nothing is sent: the SFU then
 * forwards no video of us and the others' pages say «Видео приостановлено: слабое соединение»),
 * our page says the same of our own camera with «Только звук» beside it, and the camera comes
 * back by itself when a retry finds the link better. A camera the person switched off is not touched.
 */
export class UplinkGuard {
  private low = 0;
  private pausedAt: number | null = null;
  private readonly store: RoomStore;
  private readonly camera: () => ms.Producer | undefined;

  constructor(store: RoomStore, camera: () => ms.Producer | undefined) {
    this.store = store;
    this.camera = camera;
  }

  /** One stats report: the send transport's estimate (bit/s; undefined when the browser gives none). */
  observe(estimate: number | undefined, now: number): void {
    const producer = this.camera();
    if (!producer || producer.closed || producer.paused || estimate === undefined) {
      this.reset();
      return;
    }
    if (this.pausedAt !== null) {
      if (now - this.pausedAt >= RETRY_MS) {
        this.pausedAt = null;
        this.low = 0;
        void producer.setRtpEncodingParameters({ active: true }).catch(() => undefined);
      }
      return;
    }
    this.low = estimate < PAUSE_BELOW_BPS ? this.low + 1 : 0;
    if (this.low >= LOW_REPORTS) {
      this.pausedAt = now;
      this.low = 0;
      void producer.setRtpEncodingParameters({ active: false }).catch(() => undefined);
      this.setWeak(true);
    } else if (estimate > CLEAR_ABOVE_BPS) {
      this.setWeak(false);
    }
  }

  /** Our camera went (closed, switched off, audio only): nothing of ours is paused by us any more. */
  reset(): void {
    const producer = this.camera();
    if (this.pausedAt !== null && producer && !producer.closed) {
      void producer.setRtpEncodingParameters({ active: true }).catch(() => undefined);
    }
    this.pausedAt = null;
    this.low = 0;
    this.setWeak(false);
  }

  private setWeak(weak: boolean): void {
    if (this.store.state.local.uplinkWeak !== weak) this.store.setLocal({ uplinkWeak: weak });
  }
}
