import { Device, type types as ms } from 'mediasoup-client';
import { MediaSource, type NewConsumer, type RequestResult, type RtpCapabilities, type TransportOptions } from '@dp/protocol';
import {
  toMsRtpCapabilities,
  toMsRtpParameters,
  toMsTransportOptions,
  toProtocolRtpCapabilities,
  toProtocolRtpParameters,
} from './ms-adapt.ts';
import { IceKeeper } from './ice-restart.ts';
import { RoomError, toRoomError } from './room-error.ts';
import { remoteFromConsumers } from './room-state.ts';
import { api } from '../staff/api.ts';
import { request, type RoomSocket } from './signalling.ts';
import type { RoomStore } from './state-store.ts';

interface ConsumerEntry {
  consumer: ms.Consumer;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
  /** The simulcast layer the SFU forwards (0 lowest); null: none fits our link (video paused for bandwidth). */
  layer: number | null | undefined;
}

/** A layer gap shorter than this is a switch, not a pause worth a notice. */
const WEAK_NOTICE_DELAY_MS = 1_500;

/** How long the preview may spend fetching the media capabilities before joining goes without them. */
const PRELOAD_TIMEOUT_MS = 5_000;

/**
 * The mediasoup side of one join: the Device, its two transports and the consumers of the
 * others' media (our producers are MediaSender's). Everything made for a join is closed by
 * `close()`; a re-join makes it anew.
 */
export class MediaSession {
  device: Device | null = null;
  sendTransport: ms.Transport | null = null;
  recvTransport: ms.Transport | null = null;
  /** Loaded during the preview from GET /api/media/capabilities, so joining is one round trip. */
  private preloaded: Device | null = null;
  private preloading: Promise<void> | null = null;
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Pause/resume events that overtook their `newConsumer` (applied when it is created). */
  private readonly earlyPause = new Map<string, boolean>();
  /** Each transport's ICE keeper (restarts ICE in place when the path drops or the network changes). */
  private keepers: IceKeeper[] = [];
  /** Consumers with no layer for a moment: the notice waits to see whether it lasts. */
  private readonly weakTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The room's socket now (the keepers ask it for new ICE credentials). */
  socket: () => RoomSocket | null = () => null;
  /** The join attempt the transports belong to; a resumed session takes them over. */
  private session = -1;
  private flowTimer: ReturnType<typeof setInterval> | undefined;

  private readonly store: RoomStore;
  /** ICE could not be restored in place for long: the way back is a fresh join. */
  private readonly recover: () => void;
  /** The socket looks dead (a restart request went unanswered): drop and redial it (the session resumes). */
  private readonly redial: () => void;

  constructor(store: RoomStore, recover: () => void, redial: () => void) {
    this.store = store;
    this.recover = recover;
    this.redial = redial;
  }

  /** Loads the Device before joining (once); a failure only costs the join one round trip more. */
  preload(): Promise<void> {
    this.preloading ??= (async () => {
      try {
        const { routerRtpCapabilities } = await api.call('media.capabilities', {}, {}, { timeoutMs: PRELOAD_TIMEOUT_MS });
        const device = await Device.factory();
        await device.load({ routerRtpCapabilities: toMsRtpCapabilities(routerRtpCapabilities) });
        if (!this.store.disposed) this.preloaded = device;
      } catch {
        // Not fatal: joining then loads the Device itself and sends `ready` (one round trip more).
      }
    })();
    return this.preloading;
  }

  /** What `join` sends when the Device was loaded beforehand (then no `ready` round trip follows). */
  preloadedCapabilities(): { rtpCapabilities: RtpCapabilities } | Record<string, never> {
    return this.preloaded ? { rtpCapabilities: toProtocolRtpCapabilities(this.preloaded.recvRtpCapabilities) } : {};
  }

  /**
   * The Device and both transports for a join just answered. With a preloaded Device nothing
   * here awaits before the transports exist: the server offers consumers right after the
   * acknowledgement, and they must find the receive transport in place. Resolves false when
   * the session was abandoned meanwhile.
   */
  async start(joined: RequestResult<'join'>, socket: RoomSocket, session: number): Promise<boolean> {
    let device = this.preloaded;
    if (!device) {
      try {
        device = await Device.factory();
        await device.load({ routerRtpCapabilities: toMsRtpCapabilities(joined.routerRtpCapabilities) });
      } catch (e) {
        throw new RoomError('unsupported_browser', `mediasoup Device: ${toRoomError(e).message}`);
      }
      if (!this.store.alive(session)) return false;
    }
    this.device = device;
    this.session = session;
    const iceServers = joined.iceServers;
    this.recvTransport = this.createTransport('recv', device, joined.transports.recv, iceServers, socket);
    this.sendTransport = this.createTransport('send', device, joined.transports.send, iceServers, socket);
    this.store.mark('transportsCreated');
    this.watchFlow();
    return true;
  }

  /** Whether the transports from before a lost socket are still here to resume on. */
  resumable(): { send: string; recv: string } | null {
    const send = this.sendTransport;
    const recv = this.recvTransport;
    return send && recv && !send.closed && !recv.closed ? { send: send.id, recv: recv.id } : null;
  }

  /**
   * The server kept our transports through the lost socket: ICE restarts with the credentials
   * the join returned, and consumers it no longer has (closed while we were away) go.
   */
  async resume(joined: RequestResult<'join'>): Promise<void> {
    const held = joined.resumed;
    if (!held) return;
    this.session = this.store.session;
    const keeperOf = (t: ms.Transport | null) => this.keepers.find((k) => k.transportId === t?.id);
    if (joined.iceServers.length > 0) {
      await Promise.all([this.sendTransport, this.recvTransport].map((t) => t?.updateIceServers({ iceServers: joined.iceServers })));
    }
    await Promise.all([
      keeperOf(this.sendTransport)?.restartWith(joined.transports.send.iceParameters),
      keeperOf(this.recvTransport)?.restartWith(joined.transports.recv.iceParameters),
    ]);
    const live = new Map(held.consumers.map((c) => [c.id, c.paused]));
    for (const [id, entry] of this.consumers) {
      if (!live.has(id)) {
        entry.consumer.close();
        this.consumers.delete(id);
      } else {
        entry.paused = live.get(id) ?? entry.paused;
      }
    }
    this.publishRemote();
  }

  /** The browser's network changed: every transport that was connected restarts ICE now. */
  networkChanged(): void {
    for (const k of this.keepers) k.networkChanged();
  }

  /**
   * Every second: is media still arriving where it should? The receive path should carry the
   * others' live voices.
   */
  private watchFlow(): void {
    clearInterval(this.flowTimer);
    this.flowTimer = setInterval(() => {
      if (!this.store.alive(this.session) || !this.store.inRoom) return;
      // Only the receive path is watched: it carries the others' voices, which never stop for
      // long (Opus DTX still sends every 400 ms). The send path's feedback can lag on a busy
      // machine, and a false alarm there would redial in the middle of creating our producers.
      const receiving = [...this.consumers.values()].some((c) => !c.paused && c.kind === 'audio');
      const recv = this.keepers.find((k) => k.transportId === this.recvTransport?.id);
      void recv?.checkFlow(receiving).catch(() => undefined);
    }, 500);
  }

  /** Without a preloaded Device: `ready` tells the server to start offering consumers. */
  sendReady(socket: RoomSocket): Promise<unknown> | undefined {
    const device = this.device;
    if (!device || device === this.preloaded) return undefined;
    return request(socket, 'ready', { rtpCapabilities: toProtocolRtpCapabilities(device.recvRtpCapabilities) });
  }

  private createTransport(
    direction: 'send' | 'recv',
    device: Device,
    options: TransportOptions,
    iceServers: RequestResult<'join'>['iceServers'],
    socket: RoomSocket,
  ): ms.Transport {
    // UDP straight to the SFU first, then ICE-TCP to it, then TURN: the browser's ICE ranks host
    // candidates above relayed ones and moves to a better pair when it starts to work.
    const msOptions = { ...toMsTransportOptions(options), iceServers };
    const transport = direction === 'send' ? device.createSendTransport(msOptions) : device.createRecvTransport(msOptions);
    const live = () => this.store.alive(this.session);
    const keeper = new IceKeeper(transport, () => (live() ? this.socket() : null), {
      change: (restoring) => {
        if (live()) this.store.set({ linkRestoring: this.keepers.some((k) => k !== keeper && k.isDown) || restoring });
      },
      giveUp: () => {
        if (live()) this.recover();
      },
      staleSocket: () => {
        if (live()) this.redial();
      },
    });
    this.keepers.push(keeper);

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request(this.socket() ?? socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });

    let wobbled = false;
    transport.on('connectionstatechange', (state) => {
      if (!live()) return;
      keeper.stateChanged(state);
      if (state === 'connected') {
        this.store.mark(direction === 'send' ? 'sendConnected' : 'recvConnected');
        if (wobbled) this.store.announce('status.restored');
        wobbled = false;
      } else if ((state === 'disconnected' || state === 'failed') && !wobbled) {
        // The keeper restarts ICE in place (same room, same place); say so once.
        wobbled = true;
        this.store.announce('status.weak');
      }
    });

    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = MediaSource.safeParse(appData['source']);
        if (!source.success) return errback(new Error('producer without a source'));
        request(this.socket() ?? socket, 'produce', {
          transportId: transport.id,
          kind,
          rtpParameters: toProtocolRtpParameters(rtpParameters),
          source: source.data,
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    return transport;
  }

  // --- receiving -------------------------------------------------------------------------------

  async consume(data: NewConsumer, ack: (res: { ok: boolean }) => void): Promise<void> {
    this.store.mark('consumerOffered');
    const session = this.store.session;
    const transport = this.recvTransport;
    if (!transport || transport.closed || !this.store.alive(session)) return ack({ ok: false });
    try {
      const consumer = await transport.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: toMsRtpParameters(data.rtpParameters),
        // One stream id per peer lets the browser keep lips and voice in sync (not the screen: it has no voice).
        streamId: data.source === 'screen' ? `${data.peerId}-screen` : `${data.peerId}-av`,
        appData: { peerId: data.peerId, source: data.source },
      });
      if (!this.store.alive(session) || transport.closed) {
        consumer.close();
        return ack({ ok: false });
      }
      const paused = this.earlyPause.get(data.consumerId) ?? data.producerPaused;
      this.earlyPause.delete(data.consumerId);
      this.consumers.set(consumer.id, { consumer, peerId: data.peerId, kind: data.kind, source: data.source, paused, layer: undefined });
      consumer.on('transportclose', () => this.consumers.delete(consumer.id));
      this.store.mark('firstConsumer');
      this.publishRemote();
      ack({ ok: true });
    } catch (e) {
      console.warn('[room] consume failed', e);
      ack({ ok: false });
    }
  }

  closeConsumer(consumerId: string): void {
    this.earlyPause.delete(consumerId);
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.consumers.delete(consumerId);
    this.publishRemote();
  }

  pauseConsumer(consumerId: string, paused: boolean): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) {
      this.earlyPause.set(consumerId, paused);
      return;
    }
    entry.paused = paused;
    this.publishRemote();
  }

  /**
   * The SFU changed the layer it forwards us of a video (`null`: none fits our link — paused for
   * bandwidth, audio goes on). A gap shorter than WEAK_NOTICE_DELAY_MS is a switch, not shown.
   */
  consumerLayers(consumerId: string, spatial: number | null): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    clearTimeout(this.weakTimers.get(consumerId));
    this.weakTimers.delete(consumerId);
    if (spatial === null && entry.layer !== null) {
      this.weakTimers.set(
        consumerId,
        setTimeout(() => {
          this.weakTimers.delete(consumerId);
          if (this.consumers.get(consumerId) !== entry) return;
          entry.layer = null;
          this.publishRemote();
        }, WEAK_NOTICE_DELAY_MS),
      );
      return;
    }
    entry.layer = spatial;
    this.publishRemote();
  }

  /** A peer left: its consumers go (the caller publishes the change). */
  closePeer(peerId: string): void {
    for (const [id, entry] of this.consumers) {
      if (entry.peerId === peerId) {
        entry.consumer.close();
        this.consumers.delete(id);
      }
    }
  }

  publishRemote(): void {
    const views = [...this.consumers.values()].map((c) => ({
      peerId: c.peerId,
      kind: c.kind,
      source: c.source,
      track: c.consumer.track,
      paused: c.paused,
      layer: c.layer,
    }));
    this.store.set({ remote: remoteFromConsumers(views) });
  }

  // --- statistics and tear-down ------------------------------------------------------------------

  /** RTCStats of both transports, as plain arrays (tests and the benchmark read them). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- RTCStats subtypes vary by browser; callers pick fields.
  async getStats(): Promise<{ send: any[]; recv: any[] }> {
    const [send, recv] = await Promise.all([this.sendTransport?.getStats(), this.recvTransport?.getStats()]);
    return { send: send ? [...send.values()] : [], recv: recv ? [...recv.values()] : [] };
  }

  /** RTCStats of each live consumer with the peer and source it comes from (e2e tests: who hears whom). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  async getConsumerStats(): Promise<{ peerId: string; source: MediaSource; stats: any[] }[]> {
    const entries = [...this.consumers.values()];
    return Promise.all(
      entries.map(async (e) => ({ peerId: e.peerId, source: e.source, stats: [...(await e.consumer.getStats()).values()] })),
    );
  }

  /** Closes the transports (and with them every producer and consumer); the preloaded Device stays. */
  close(): void {
    clearInterval(this.flowTimer);
    for (const k of this.keepers) k.stop();
    this.keepers = [];
    for (const t of this.weakTimers.values()) clearTimeout(t);
    this.weakTimers.clear();
    this.store.set({ linkRestoring: false });
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.consumers.clear();
    this.earlyPause.clear();
    this.device = null;
  }
}
