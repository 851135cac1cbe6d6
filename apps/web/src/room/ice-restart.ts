import type { types as ms } from 'mediasoup-client';
import type { TransportOptions } from '@dp/protocol';
import { request, type RoomSocket } from './signalling.ts';

/** A path reported `disconnected` often comes back by itself within a second (a Wi-Fi hiccup). */
const DISCONNECTED_GRACE_MS = 1_000;
/**
 * While the path stays down, a new restart every this long — even when ICE still says
 * `connected`: a restart made before the browser has noticed its new address gathers on the
 * old one and changes nothing, and Chromium itself calls such a path lost only 5–7 s later.
 * ICE on a restart needs one round trip of checks (under a second at 400 ms RTT).
 */
const RETRY_MS = 3_000;
/**
 * How long one restart request may wait for the server. It is a few hundred bytes: on a live
 * 3G link the answer comes within a second, so silence means the socket died with the
 * old network (a new address) — it is redialled at once rather than after socket.io's ping
 * timeout (up to 20 s), and the resumed join restarts ICE (media back within ~10 s).
 */
const REQUEST_TIMEOUT_MS = 1_500;
/**
 * Nothing received on a path that should carry media for this long: it is gone, whatever ICE
 * still says. Chromium calls a path `disconnected` only after ~5–7 s of unanswered checks (seen
 * after an address change); the voice alone (Opus with DTX) sends at least every 400 ms, and
 * the SFU's RTCP reports come every second or so.
 */
const SILENCE_MS = 2_000;
/**
 * Restarts that have not brought the path back in this long (with the socket up all along)
 * mean the transport itself is gone: a fresh join is the way back. Longer than the server's
 * resume grace is pointless and shorter would throw away a path that is about to return.
 */
const GIVE_UP_MS = 45_000;

type IceParameters = TransportOptions['iceParameters'];

/**
 * Keeps one transport's ICE path alive. On `disconnected` (after a short grace), on `failed`,
 * and when the browser says its network changed, it asks signalling for new ICE credentials
 * (`restartIce`) and restarts ICE in place: the same transport, producers and consumers, the
 * same place in the room — no new join, no waiting room. The browser then gathers candidates
 * on whatever network it has now (a new IP address, Wi-Fi ↔ mobile), so a changed address
 * is covered. Retries every few seconds until the path is back; with no socket it waits (the
 * socket's own recovery resumes the session and restarts ICE with the join's answer).
 */
export class IceKeeper {
  private readonly transport: ms.Transport;
  private readonly socket: () => RoomSocket | null;
  private readonly onChange: (restoring: boolean) => void;
  private readonly onGiveUp: () => void;
  private readonly onStaleSocket: () => void;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private down = false;
  /** Since when the path has been down with the socket up (ms); null while up or while the socket is down. */
  private failingSince: number | null = null;
  /** The selected pair's bytes received at the last look, and when they last grew. */
  private lastBytes = -1;
  private lastSent = -1;
  private flowed = false;
  private lastGrowth = 0;
  /** Restarts made (tests and the dashboard's report read it). */
  restarts = 0;

  /** The transport this keeper looks after. */
  get transportId(): string {
    return this.transport.id;
  }

  /** The path is down and being restored. */
  get isDown(): boolean {
    return this.down;
  }

  constructor(
    transport: ms.Transport,
    socket: () => RoomSocket | null,
    on: { change: (restoring: boolean) => void; giveUp: () => void; staleSocket: () => void },
  ) {
    this.transport = transport;
    this.socket = socket;
    this.onChange = on.change;
    this.onGiveUp = on.giveUp;
    this.onStaleSocket = on.staleSocket;
  }

  /** The transport's `connectionstatechange`. */
  stateChanged(state: string): void {
    if (state === 'connected') {
      this.clear();
      this.failingSince = null;
      if (this.down) {
        this.down = false;
        this.onChange(false);
      }
      return;
    }
    if (state === 'disconnected' || state === 'failed') {
      if (!this.down) {
        this.down = true;
        this.onChange(true);
      }
      this.schedule(state === 'failed' ? 0 : DISCONNECTED_GRACE_MS);
    }
  }

  /**
   * A look at the traffic (every second while in the room): `expectFlow` when the others send
   * something this path carries, `ifSending` when what comes back answers what we send (the
   * SFU's congestion feedback and reports on our streams). A connected path that has received
   * nothing for SILENCE_MS is treated as lost at once.
   */
  async checkFlow(expect: boolean | 'ifSending', now = Date.now()): Promise<void> {
    if (this.transport.closed || this.transport.connectionState !== 'connected') {
      this.lastBytes = -1;
      return;
    }
    const stats = [...(await this.transport.getStats()).values()] as { type: string; id: string; [k: string]: unknown }[];
    const t = stats.find((x) => x.type === 'transport');
    const pair = stats.find((x) => x.type === 'candidate-pair' && x.id === t?.['selectedCandidatePairId']);
    const bytes = Number(pair?.['bytesReceived'] ?? t?.['bytesReceived'] ?? -1);
    const sent = Number(pair?.['bytesSent'] ?? t?.['bytesSent'] ?? -1);
    const expectFlow = expect === 'ifSending' ? sent !== this.lastSent : expect;
    this.lastSent = sent;
    // Silence counts only on a path that has carried this flow before (not while it starts).
    if (bytes !== this.lastBytes && expectFlow) this.flowed = true;
    if (bytes !== this.lastBytes || !expectFlow || !this.flowed) {
      // Traffic again on a path called lost by its silence (ICE itself may never have said
      // otherwise than `connected`, so no state change would end it): it is back.
      if (bytes !== this.lastBytes && this.down && this.lastBytes !== -1) this.stateChanged('connected');
      this.lastBytes = bytes;
      this.lastGrowth = now;
      return;
    }
    if (now - this.lastGrowth >= SILENCE_MS && !this.down) {
      this.down = true;
      this.onChange(true);
      this.schedule(0);
    }
  }

  /** The browser's network changed (`online`, Network Information `change`): restart now if ever connected. */
  networkChanged(): void {
    const state = this.transport.connectionState;
    if (state === 'new' || state === 'connecting' || this.transport.closed) return;
    this.schedule(0);
  }

  /** The session came back on a new socket: the join's answer carries the new credentials. */
  async restartWith(iceParameters: IceParameters): Promise<void> {
    if (this.transport.closed) return;
    this.clear();
    this.restarts++;
    await this.transport.restartIce({ iceParameters });
    this.retryWhileDown();
  }

  stop(): void {
    this.clear();
  }

  private clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.transport.closed) return;
    this.clear();
    this.timer = setTimeout(() => void this.restart(), delayMs);
  }

  private async restart(): Promise<void> {
    this.timer = undefined;
    if (this.transport.closed || this.running) return;
    const socket = this.socket();
    if (!socket?.connected) {
      this.failingSince = null;
      return; // the socket's recovery takes over
    }
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince > GIVE_UP_MS) {
      this.failingSince = null;
      this.onGiveUp();
      return;
    }
    this.running = true;
    try {
      const { iceParameters } = await request(socket, 'restartIce', { transportId: this.transport.id }, REQUEST_TIMEOUT_MS);
      if (this.transport.closed) return;
      this.restarts++;
      await this.transport.restartIce({ iceParameters });
    } catch (e) {
      // No answer: the socket went with the old network; redial (the resumed join restarts ICE).
      // Refused: the session moved on; the next try, or the socket's recovery.
      if ((e as { code?: unknown }).code === 'timeout') this.onStaleSocket();
    } finally {
      this.running = false;
    }
    this.retryWhileDown();
  }

  /** Tries again later unless the path is back (traffic or `connected` cancels the timer). */
  private retryWhileDown(): void {
    if (!this.transport.closed && (this.down || this.transport.connectionState !== 'connected')) this.schedule(RETRY_MS);
  }
}
