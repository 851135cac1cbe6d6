import { Device, type types as ms } from 'mediasoup-client';
import {
  MediaCapabilities,
  MediaSource,
  type NewConsumer,
  type PeerInfo,
  type RoomClosedReason,
  type TransportOptions,
} from '@dp/protocol';
import { CAMERA_ENCODINGS } from '../media/constraints.ts';
import { captureCamera, captureLocalMedia } from '../media/local-media.ts';
import {
  toMsRtpCapabilities,
  toMsRtpParameters,
  toMsTransportOptions,
  toProtocolRtpCapabilities,
  toProtocolRtpParameters,
} from './ms-adapt.ts';
import { isTransient, RoomError, toRoomError, type ClientErrorCode } from './room-error.ts';
import {
  initialState,
  peerChangeStatus,
  remoteFromConsumers,
  removePeer,
  upsertPeer,
  type LocalState,
  type ReconnectCause,
  type RoomState,
} from './room-state.ts';
import { connectRoomSocket, request, type RoomSocket } from './signalling.ts';
import type { TimingMark, Timings } from './timings.ts';

export interface RoomClientOptions {
  token: string;
  /** Ask the server for TCP-only ICE candidates (networks that block UDP). */
  forceTcp: boolean;
}

interface ConsumerEntry {
  consumer: ms.Consumer;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
}

/** How long the preview may spend fetching the media capabilities before joining goes without them. */
const PRELOAD_TIMEOUT_MS = 5_000;
/** Longest wait for the receive path before our own media start anyway. */
const RECEIVE_FIRST_GRACE_MS = 400;
/** How long one attempt waits for the socket before counting as a network failure. */
const CONNECT_TIMEOUT_MS = 15_000;
/** After this long without success, recovery gives up and offers a button instead. */
const RECOVERY_WINDOW_MS = 120_000;

/** How long after a peer joins (or leaves audio-only) its mic/camera "on" updates are not announced. */
const PEER_SETTLE_MS = 5_000;
const isSwitchOn = (key: string) => key === 'status.peerMicOn' || key === 'status.peerCameraOn';

const CLOSED_STATUS: Record<RoomClosedReason, string> = {
  ended: 'end.endedTitle',
  time_limit: 'end.timeLimitTitle',
  server_shutdown: 'end.serverShutdownTitle',
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function waitForConnect(socket: RoomSocket, timeoutMs: number): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      if (ok) resolve();
      else reject(new RoomError('network', `socket did not connect in ${timeoutMs} ms`));
    };
    const onConnect = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', onConnect);
  });
}

/**
 * One browser's side of a consultation: the socket, the mediasoup Device, its two
 * transports, local tracks, producers and consumers. Framework-free; React reads
 * `state` through `subscribe`/`getSnapshot` (useSyncExternalStore).
 *
 * Every join attempt runs under a session number. Tear-down bumps it, so answers that
 * arrive for an abandoned attempt (after a reset, leave or unmount) are dropped and the
 * objects they carry are closed instead of leaking.
 */
export class RoomClient {
  readonly token: string;
  readonly forceTcp: boolean;
  /** Join milestones of the current attempt, `performance.now()` ms (read by the join-time benchmark). */
  timings: Timings = {};

  private _state: RoomState = initialState;
  private readonly listeners = new Set<() => void>();
  private statusSeq = 0;
  private session = 0;
  private disposed = false;

  private socket: RoomSocket | null = null;
  private device: Device | null = null;
  /** Loaded during the preview from GET /api/media/capabilities, so joining is one round trip. */
  private preloaded: Device | null = null;
  private preloading: Promise<void> | null = null;
  private sendTransport: ms.Transport | null = null;
  private recvTransport: ms.Transport | null = null;
  private producers: { mic?: ms.Producer; camera?: ms.Producer } = {};
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Pause/resume events that overtook their `newConsumer` (applied when it is created). */
  private readonly earlyPause = new Map<string, boolean>();
  /** When each peer last joined or left audio-only (see onPeerUpdated). */
  private readonly peerSettling = new Map<string, number>();

  private audioTrack: MediaStreamTrack | null = null;
  private videoTrack: MediaStreamTrack | null = null;
  private capturing: Promise<void> | null = null;
  private producingCamera = false;

  constructor(opts: RoomClientOptions) {
    this.token = opts.token;
    this.forceTcp = opts.forceTcp;
  }

  // --- store interface -----------------------------------------------------------------

  get state(): RoomState {
    return this._state;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): RoomState => this._state;

  private set(patch: Partial<RoomState>): void {
    this._state = { ...this._state, ...patch };
    for (const l of this.listeners) l();
  }

  private setLocal(patch: Partial<LocalState>): void {
    this.set({ local: { ...this._state.local, ...patch } });
  }

  private announce(key: string, params?: Record<string, string>): void {
    this.set({ status: { key, ...(params ? { params } : {}), seq: ++this.statusSeq } });
  }

  private mark(m: TimingMark): void {
    if (this.timings[m] === undefined) this.timings[m] = performance.now();
  }

  private alive(session: number): boolean {
    return session === this.session && !this.disposed;
  }

  // --- public actions --------------------------------------------------------------------

  /**
   * Turns on camera and microphone for the pre-join preview, and meanwhile opens the
   * socket and loads the mediasoup Device: on a 3G link each of those is a round trip
   * the person would otherwise wait for after pressing «Войти».
   */
  preparePreview(): Promise<void> {
    void this.preload();
    return this.ensureLocalMedia();
  }

  private preload(): Promise<void> {
    this.preloading ??= (async () => {
      try {
        this.ensureSocket();
        const res = await fetch('/api/media/capabilities', { signal: AbortSignal.timeout(PRELOAD_TIMEOUT_MS) });
        if (!res.ok) return;
        const { routerRtpCapabilities } = MediaCapabilities.parse(await res.json());
        const device = await Device.factory();
        await device.load({ routerRtpCapabilities: toMsRtpCapabilities(routerRtpCapabilities) });
        if (!this.disposed) this.preloaded = device;
      } catch {
        // Not fatal: joining then loads the Device itself and sends `ready` (one round trip more).
      }
    })();
    return this.preloading;
  }

  /** Retries the capture after the user fixed a permission or plugged a device in. */
  async retryDevices(): Promise<void> {
    this.stopLocalTracks();
    this.setLocal({ mic: 'pending', camera: 'pending' });
    await this.ensureLocalMedia();
  }

  /** «Войти в консультацию», and also «Вернуться» / «Попробовать снова» after leaving or failing. */
  async join(): Promise<void> {
    const { phase } = this._state;
    if (phase === 'connecting' || phase === 'joined' || phase === 'reconnecting') return;
    const session = ++this.session;
    this.timings = {};
    this.mark('joinClicked');
    if (phase !== 'idle') this.resetLocalChoices();
    this.set({ phase: 'connecting', error: null, closedReason: null, reconnect: null });
    this.announce('status.connecting');
    try {
      await this.ensureLocalMedia();
      if (!this.alive(session)) return;
      await this.joinOnce(session);
      if (this.alive(session)) this.announce('status.joined');
    } catch (e) {
      if (this.alive(session)) this.fail(toRoomError(e).code);
    }
  }

  /** «Выйти»: tell the server, release everything, keep the page for «Вернуться». */
  async leave(): Promise<void> {
    const { phase } = this._state;
    if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting') return;
    ++this.session;
    const socket = this.socket;
    this.teardownMedia();
    this.stopLocalTracks();
    this.set({ phase: 'left', joined: false, peers: [], remote: {}, reconnect: null });
    this.announce('status.left');
    if (socket?.connected) {
      // Best effort and short: the server also notices the socket closing.
      await request(socket, 'leave', {}, 3_000).catch(() => undefined);
    }
    if (this.socket === socket) this.closeSocket();
  }

  async toggleMic(): Promise<void> {
    const track = this.audioTrack;
    if (!track || this._state.pending.mic) return;
    const on = !this._state.local.micOn;
    track.enabled = on;
    this.setLocal({ micOn: on });
    this.announce(on ? 'status.micOn' : 'status.micOff');
    const producer = this.producers.mic;
    if (producer && !producer.closed) {
      await this.syncProducerPause('mic', producer, on, () => {
        track.enabled = !on;
        this.setLocal({ micOn: !on });
      });
    }
  }

  async toggleCamera(): Promise<void> {
    const track = this.videoTrack;
    if (!track || this._state.local.audioOnly || this._state.pending.camera) return;
    const on = !this._state.local.cameraOn;
    track.enabled = on;
    this.setLocal({ cameraOn: on });
    this.announce(on ? 'status.cameraOn' : 'status.cameraOff');
    const producer = this.producers.camera;
    if (producer && !producer.closed) {
      await this.syncProducerPause('camera', producer, on, () => {
        track.enabled = !on;
        this.setLocal({ cameraOn: !on });
      });
    }
  }

  /**
   * Audio-only for weak links: the camera is released (not just paused: an old laptop
   * also saves the encoder's CPU) and the server stops sending us video.
   */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    if (this._state.pending.audioOnly || this._state.local.audioOnly === audioOnly) return;
    this.setPending('audioOnly', true);
    this.setLocal({ audioOnly });
    this.announce(audioOnly ? 'status.audioOnlyOn' : 'status.audioOnlyOff');
    const socket = this.socket;
    try {
      if (audioOnly) {
        const producer = this.producers.camera;
        delete this.producers.camera;
        producer?.close();
        this.videoTrack?.stop();
        this.videoTrack = null;
        this.setLocal({ previewStream: null, cameraOn: false });
        if (this._state.phase === 'joined' && socket) {
          await Promise.all([
            request(socket, 'setAudioOnly', { audioOnly: true }),
            producer ? request(socket, 'closeProducer', { producerId: producer.id }) : undefined,
          ]);
        }
      } else {
        const { track, status } = await captureCamera();
        const { phase } = this._state;
        if (this.disposed || phase === 'left' || phase === 'closed' || phase === 'failed') {
          track?.stop(); // the room ended while the camera was starting
          return;
        }
        this.adoptVideoTrack(track);
        this.setLocal({ camera: status, cameraOn: track !== null });
        // A re-join that ran meanwhile already produced with the current choice; otherwise do it now.
        const current = this.session;
        const now = this.socket;
        if (this._state.phase === 'joined' && now) {
          await request(now, 'setAudioOnly', { audioOnly: false });
          if (track && this.device?.canProduce('video')) await this.produceCamera(current);
        }
      }
    } catch (e) {
      this.announceError(toRoomError(e).code);
    } finally {
      this.setPending('audioOnly', false);
    }
  }

  /** Called by the remote <video> on its first decoded frame. */
  noteFirstFrame(): void {
    if (this._state.joined) this.mark('firstFrame');
  }

  /** RTCStats of both transports, as plain arrays (tests and the benchmark read them). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- RTCStats subtypes vary by browser; callers pick fields.
  async getStats(): Promise<{ send: any[]; recv: any[] }> {
    const [send, recv] = await Promise.all([this.sendTransport?.getStats(), this.recvTransport?.getStats()]);
    return { send: send ? [...send.values()] : [], recv: recv ? [...recv.values()] : [] };
  }

  /** The page is going away: release the camera and the connection at once. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    ++this.session;
    this.teardownMedia();
    this.stopLocalTracks();
    this.closeSocket();
    this.listeners.clear();
  }

  // --- joining -----------------------------------------------------------------------------

  private async joinOnce(session: number): Promise<void> {
    const socket = this.ensureSocket();
    await Promise.all([waitForConnect(socket, CONNECT_TIMEOUT_MS), this.preload()]);
    if (!this.alive(session)) return;

    const preloaded = this.preloaded;
    const joined = await request(socket, 'join', {
      token: this.token,
      ...(this.forceTcp ? { forceTcp: true } : {}),
      ...(preloaded ? { rtpCapabilities: toProtocolRtpCapabilities(preloaded.recvRtpCapabilities) } : {}),
    });
    this.mark('joinAck');
    if (!this.alive(session)) return;

    // With a preloaded Device nothing below awaits before the transports exist: the
    // server offers consumers right after the acknowledgement, and they must find the
    // receive transport in place.
    let device = preloaded;
    if (!device) {
      try {
        device = await Device.factory();
        await device.load({ routerRtpCapabilities: toMsRtpCapabilities(joined.routerRtpCapabilities) });
      } catch (e) {
        throw new RoomError('unsupported_browser', `mediasoup Device: ${toRoomError(e).message}`);
      }
      if (!this.alive(session)) return;
    }
    this.device = device;
    this.recvTransport = this.createTransport('recv', device, joined.transports.recv, socket, session);
    this.sendTransport = this.createTransport('send', device, joined.transports.send, socket, session);
    this.mark('transportsCreated');
    this.set({
      phase: 'joined',
      joined: true,
      self: joined.self,
      room: joined.room,
      peers: joined.peers.filter((p) => p.id !== joined.self.id),
      remote: {},
      reconnect: null,
      error: null,
    });

    const ready = preloaded
      ? undefined
      : request(socket, 'ready', { rtpCapabilities: toProtocolRtpCapabilities(device.recvRtpCapabilities) });
    // Seeing and hearing the other side comes first: when someone is already sending,
    // our own camera and microphone start once the receive path is connected (or after
    // a short grace), so both do not fight over an old laptop's CPU at the same moment.
    const recvTransport = this.recvTransport;
    if (joined.peers.some((p) => p.mic || p.camera)) {
      await Promise.race([
        new Promise<void>((resolve) => recvTransport.on('connectionstatechange', (st) => st === 'connected' && resolve())),
        sleep(RECEIVE_FIRST_GRACE_MS),
      ]);
      if (!this.alive(session)) return;
    }
    await Promise.all([ready, this.produceAll(session, socket)]);
  }

  private createTransport(
    direction: 'send' | 'recv',
    device: Device,
    options: TransportOptions,
    socket: RoomSocket,
    session: number,
  ): ms.Transport {
    const msOptions = toMsTransportOptions(options);
    const transport = direction === 'send' ? device.createSendTransport(msOptions) : device.createRecvTransport(msOptions);

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      request(socket, 'connectTransport', { transportId: transport.id, dtlsParameters }).then(() => callback(), errback);
    });

    let wobbled = false;
    transport.on('connectionstatechange', (state) => {
      if (!this.alive(session)) return;
      if (state === 'connected') {
        this.mark(direction === 'send' ? 'sendConnected' : 'recvConnected');
        if (wobbled) this.announce('status.restored');
        wobbled = false;
      } else if (state === 'disconnected') {
        // ICE often recovers by itself within seconds (a Wi-Fi hiccup): say so, do not act yet.
        wobbled = true;
        this.announce('status.weak');
      } else if (state === 'failed') {
        // The protocol has no ICE restart request: a fresh join is the way back.
        void this.recover('media');
      }
    });

    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const source = MediaSource.safeParse(appData['source']);
        if (!source.success) return errback(new Error('producer without a source'));
        request(socket, 'produce', {
          transportId: transport.id,
          kind,
          rtpParameters: toProtocolRtpParameters(rtpParameters),
          source: source.data,
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    return transport;
  }

  private async produceAll(session: number, socket: RoomSocket): Promise<void> {
    const device = this.device;
    if (!device) return;
    const tasks: Promise<unknown>[] = [];
    if (this.audioTrack && device.canProduce('audio')) tasks.push(this.produceMic(session));
    if (this._state.local.audioOnly) tasks.push(request(socket, 'setAudioOnly', { audioOnly: true }));
    else if (this.videoTrack && device.canProduce('video')) tasks.push(this.produceCamera(session));
    // A producer that fails should not cost the whole consultation: the other media still work.
    const results = await Promise.allSettled(tasks);
    for (const r of results) {
      if (r.status === 'rejected' && this.alive(session)) this.announceError(toRoomError(r.reason).code);
    }
  }

  private async produceMic(session: number): Promise<void> {
    const track = this.audioTrack;
    const transport = this.sendTransport;
    if (!track || !transport) return;
    const producer = await transport.produce({
      track,
      // DTX sends almost nothing during silence; FEC rides out the odd lost packet on 3G.
      codecOptions: { opusDtx: true, opusFec: true },
      // Tracks belong to this class: a media reset must not stop the user's microphone.
      stopTracks: false,
      appData: { source: 'mic' },
    });
    if (!this.alive(session)) return void producer.close();
    this.producers.mic = producer;
    this.watchTrackEnd(producer, 'mic');
    if (!this._state.local.micOn) {
      await this.syncProducerPause('mic', producer, false, () => undefined);
    }
  }

  private async produceCamera(session: number): Promise<void> {
    const track = this.videoTrack;
    const transport = this.sendTransport;
    const device = this.device;
    if (!track || !transport || !device || this.producingCamera || (this.producers.camera && !this.producers.camera.closed)) return;
    this.producingCamera = true;
    try {
      await this.produceCameraTrack(session, track, transport, device);
    } finally {
      this.producingCamera = false;
    }
  }

  private async produceCameraTrack(session: number, track: MediaStreamTrack, transport: ms.Transport, device: Device): Promise<void> {
    const vp8 = device.sendRtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const producer = await transport.produce({
      track,
      encodings: CAMERA_ENCODINGS.map((e) => ({ ...e })),
      // Start low and let bandwidth estimation climb: rural uplinks cannot take a burst.
      codecOptions: { videoGoogleStartBitrate: 300 },
      ...(vp8 ? { codec: vp8 } : {}),
      stopTracks: false,
      appData: { source: 'camera' },
    });
    if (!this.alive(session)) return void producer.close();
    if (this.videoTrack !== track) {
      // Audio-only was switched on while this was negotiating: the camera is no longer wanted.
      producer.close();
      const socket = this.socket;
      if (socket?.connected) await request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
      return;
    }
    this.producers.camera = producer;
    this.watchTrackEnd(producer, 'camera');
    if (!this._state.local.cameraOn) {
      await this.syncProducerPause('camera', producer, false, () => undefined);
    }
  }

  /** A device unplugged mid-call: say so and stop offering a button that cannot work. */
  private watchTrackEnd(producer: ms.Producer, source: 'mic' | 'camera'): void {
    producer.on('trackended', () => {
      if (this.producers[source] !== producer) return;
      delete this.producers[source];
      producer.close();
      const socket = this.socket;
      if (socket?.connected) void request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
      if (source === 'mic') {
        this.audioTrack = null;
        this.setLocal({ mic: 'missing', micOn: false });
      } else {
        this.adoptVideoTrack(null);
        this.setLocal({ camera: 'missing', cameraOn: false });
      }
    });
  }

  private async syncProducerPause(which: 'mic' | 'camera', producer: ms.Producer, on: boolean, revert: () => void): Promise<void> {
    const socket = this.socket;
    if (on) producer.resume();
    else producer.pause();
    if (!socket || this._state.phase !== 'joined') return; // a re-join will produce with the current choice
    this.setPending(which, true);
    try {
      await request(socket, on ? 'resumeProducer' : 'pauseProducer', { producerId: producer.id });
    } catch (e) {
      const code = toRoomError(e).code;
      // A lost connection is handled by re-joining; a refusal means the server's view differs, so undo.
      if (code !== 'network' && code !== 'timeout') {
        if (on) producer.pause();
        else producer.resume();
        revert();
        this.announceError(code);
      }
    } finally {
      this.setPending(which, false);
    }
  }

  // --- server events -------------------------------------------------------------------------

  private ensureSocket(): RoomSocket {
    if (this.socket) return this.socket;
    const socket = connectRoomSocket();
    this.socket = socket;

    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return;
      const { phase } = this._state;
      if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting') return;
      if (reason === 'io server disconnect') {
        // The server closed us on purpose (and socket.io will not reconnect): do not loop.
        ++this.session;
        this.fail('disconnected');
      } else if (phase === 'joined') {
        void this.recover('socket');
      }
      // While connecting or reconnecting, the running attempt waits for `connect` itself.
    });

    socket.on('peerJoined', (peer) => this.onPeerJoined(peer));
    socket.on('peerUpdated', (peer) => this.onPeerUpdated(peer));
    socket.on('peerLeft', ({ peerId }) => this.onPeerLeft(peerId));
    socket.on('newConsumer', (data, ack) => void this.onNewConsumer(data, ack));
    socket.on('consumerClosed', ({ consumerId }) => this.onConsumerClosed(consumerId));
    socket.on('consumerPaused', ({ consumerId }) => this.onConsumerPaused(consumerId, true));
    socket.on('consumerResumed', ({ consumerId }) => this.onConsumerPaused(consumerId, false));
    socket.on('mediaReset', () => void this.recover('media'));
    socket.on('roomClosed', ({ reason }) => this.onRoomClosed(reason));
    socket.on('timeWarning', ({ minutesLeft, endsAt }) => {
      const room = this._state.room;
      if (room) this.set({ room: { ...room, endsAt } });
      this.announce('status.timeWarning', { minutes: String(minutesLeft) });
    });
    return socket;
  }

  private onPeerJoined(peer: PeerInfo): void {
    if (peer.id === this._state.self?.id) return;
    const known = this._state.peers.some((p) => p.id === peer.id);
    this.peerSettling.set(peer.id, performance.now());
    this.set({ peers: upsertPeer(this._state.peers, peer) });
    if (!known) this.announce('status.peerJoined', { label: peer.label, role: peer.role });
  }

  private onPeerUpdated(peer: PeerInfo): void {
    if (peer.id === this._state.self?.id) {
      this.set({ self: peer });
      return;
    }
    const before = this._state.peers.find((p) => p.id === peer.id);
    this.set({ peers: upsertPeer(this._state.peers, peer) });
    const change = peerChangeStatus(before, peer);
    // A newcomer's microphone and camera (or a camera back from audio-only) come on a
    // moment after the sentence that already said so: those switches are not read out again.
    const settling = performance.now() - (this.peerSettling.get(peer.id) ?? -Infinity) < PEER_SETTLE_MS;
    if (change && !(settling && isSwitchOn(change.key))) {
      this.announce(change.key, { label: peer.label, role: peer.role });
    }
    if (change?.key === 'status.peerAudioOnlyOff') this.peerSettling.set(peer.id, performance.now());
  }

  private onPeerLeft(peerId: string): void {
    if (!this._state.peers.some((p) => p.id === peerId)) return;
    for (const [id, entry] of this.consumers) {
      if (entry.peerId === peerId) {
        entry.consumer.close();
        this.consumers.delete(id);
      }
    }
    this.peerSettling.delete(peerId);
    this.set({ peers: removePeer(this._state.peers, peerId) });
    this.publishRemote();
    this.announce('status.peerLeft');
  }

  private async onNewConsumer(data: NewConsumer, ack: (res: { ok: boolean }) => void): Promise<void> {
    const session = this.session;
    const transport = this.recvTransport;
    if (!transport || transport.closed || !this.alive(session)) return ack({ ok: false });
    try {
      const consumer = await transport.consume({
        id: data.consumerId,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: toMsRtpParameters(data.rtpParameters),
        // One stream id per peer lets the browser keep lips and voice in sync.
        streamId: `${data.peerId}-av`,
        appData: { peerId: data.peerId, source: data.source },
      });
      if (!this.alive(session) || transport.closed) {
        consumer.close();
        return ack({ ok: false });
      }
      const paused = this.earlyPause.get(data.consumerId) ?? data.producerPaused;
      this.earlyPause.delete(data.consumerId);
      this.consumers.set(consumer.id, { consumer, peerId: data.peerId, kind: data.kind, source: data.source, paused });
      consumer.on('transportclose', () => this.consumers.delete(consumer.id));
      this.mark('firstConsumer');
      this.publishRemote();
      ack({ ok: true });
    } catch (e) {
      console.warn('[room] consume failed', e);
      ack({ ok: false });
    }
  }

  private onConsumerClosed(consumerId: string): void {
    this.earlyPause.delete(consumerId);
    const entry = this.consumers.get(consumerId);
    if (!entry) return;
    entry.consumer.close();
    this.consumers.delete(consumerId);
    this.publishRemote();
  }

  private onConsumerPaused(consumerId: string, paused: boolean): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) {
      this.earlyPause.set(consumerId, paused);
      return;
    }
    entry.paused = paused;
    this.publishRemote();
  }

  private onRoomClosed(reason: RoomClosedReason): void {
    ++this.session;
    this.teardownMedia();
    this.stopLocalTracks();
    this.closeSocket();
    this.set({ phase: 'closed', joined: false, closedReason: reason, peers: [], remote: {}, reconnect: null });
    this.announce(CLOSED_STATUS[reason]);
  }

  private publishRemote(): void {
    const views = [...this.consumers.values()].map((c) => ({
      peerId: c.peerId,
      kind: c.kind,
      source: c.source,
      track: c.consumer.track,
      paused: c.paused,
    }));
    this.set({ remote: remoteFromConsumers(views) });
  }

  // --- recovery and failure ------------------------------------------------------------------

  /**
   * Lost socket or media server: drop the media objects and join again with the same
   * link, retrying transient failures with back-off for up to two minutes.
   */
  private async recover(cause: ReconnectCause): Promise<void> {
    const { phase } = this._state;
    if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting') return;
    const session = ++this.session;
    this.teardownMedia();
    this.timings = {};
    this.mark('joinClicked');
    this.set({ phase: 'reconnecting', joined: false, reconnect: cause, remote: {} });
    this.announce(cause === 'socket' ? 'status.socketLost' : 'status.mediaReset');
    const deadline = Date.now() + RECOVERY_WINDOW_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.joinOnce(session);
        if (this.alive(session)) this.announce('status.restored');
        return;
      } catch (e) {
        if (!this.alive(session)) return;
        const { code } = toRoomError(e);
        this.teardownMedia();
        if (!isTransient(code) || Date.now() > deadline) return this.fail(code);
        this.set({ phase: 'reconnecting', joined: false });
        await sleep(Math.min(8_000, 500 * 2 ** attempt));
        if (!this.alive(session)) return;
      }
    }
  }

  private fail(code: ClientErrorCode): void {
    this.teardownMedia();
    this.stopLocalTracks();
    this.closeSocket();
    this.set({ phase: 'failed', joined: false, error: code, peers: [], remote: {}, reconnect: null });
    this.announce(`errors.${code}`);
  }

  private announceError(code: ClientErrorCode): void {
    this.announce(`errors.${code}`);
  }

  private setPending(which: keyof RoomState['pending'], value: boolean): void {
    this.set({ pending: { ...this._state.pending, [which]: value } });
  }

  // --- ownership of media objects ----------------------------------------------------------

  private teardownMedia(): void {
    // Closing a transport closes its producers and consumers with it.
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.producers = {};
    this.consumers.clear();
    this.earlyPause.clear();
    this.device = null;
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  private async ensureLocalMedia(): Promise<void> {
    if (this.capturing) return this.capturing;
    if (this.audioTrack || this.videoTrack) return;
    this.capturing = (async () => {
      const cap = await captureLocalMedia();
      if (this.disposed) {
        cap.audio?.stop();
        cap.video?.stop();
        return;
      }
      this.audioTrack = cap.audio;
      if (cap.audio) cap.audio.enabled = this._state.local.micOn;
      this.adoptVideoTrack(cap.video);
      this.setLocal({ mic: cap.mic, camera: cap.camera, cameraOn: cap.video !== null && this._state.local.cameraOn });
    })().finally(() => {
      this.capturing = null;
    });
    return this.capturing;
  }

  private adoptVideoTrack(track: MediaStreamTrack | null): void {
    if (this.videoTrack && this.videoTrack !== track) this.videoTrack.stop();
    this.videoTrack = track;
    this.setLocal({ previewStream: track ? new MediaStream([track]) : null });
  }

  private stopLocalTracks(): void {
    this.audioTrack?.stop();
    this.videoTrack?.stop();
    this.audioTrack = null;
    this.videoTrack = null;
    this.setLocal({ previewStream: null });
  }

  /** A fresh start after «Выйти» or a failure: the user's earlier toggles do not carry over. */
  private resetLocalChoices(): void {
    this.setLocal({ micOn: true, cameraOn: true, audioOnly: false, mic: 'pending', camera: 'pending' });
  }
}
