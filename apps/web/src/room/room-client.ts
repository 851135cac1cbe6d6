import { Device, type types as ms } from 'mediasoup-client';
import {
  HEALTH_INTERVAL_MS,
  MediaCapabilities,
  MediaSource,
  type ChatMessage,
  type ClientRequestName,
  type NewConsumer,
  type PeerInfo,
  type RequestPayload,
  type RequestResult,
  type RemovedReason,
  type RoomClosedReason,
  type TransportOptions,
  type WaitingPeer,
} from '@dp/protocol';
import { CAMERA_ENCODINGS, SCREEN_CONSTRAINTS, SCREEN_ENCODINGS } from '../media/constraints.ts';
import { captureCamera, captureLocalMedia, captureMic } from '../media/local-media.ts';
import {
  toMsRtpCapabilities,
  toMsRtpParameters,
  toMsTransportOptions,
  toProtocolRtpCapabilities,
  toProtocolRtpParameters,
} from './ms-adapt.ts';
import { mediaPlan } from './media-plan.ts';
import { namedParams } from './peer-label.ts';
import { isTransient, RoomError, toRoomError, type ClientErrorCode } from './room-error.ts';
import {
  appendChat,
  initialState,
  newWaiters,
  peerChangeStatus,
  remoteFromConsumers,
  removePeer,
  selfChangeStatus,
  updateChat,
  upsertPeer,
  type EndReason,
  type LocalState,
  type ReconnectCause,
  type RoomState,
} from './room-state.ts';
import { connectRoomSocket, request, type RoomSocket } from './signalling.ts';
import { summariseStats, type StatsCounters, type StatsEntry } from './stats-report.ts';
import type { TimingMark, Timings } from './timings.ts';

/**
 * How this page enters: a client with its link token, or a member of staff with the
 * session cookie and the consultation's id (staff never enter by a link).
 */
export type RoomAuth = { token: string } | { consultationId: string };

export interface RoomClientOptions {
  auth: RoomAuth;
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
/** How often the page tells the server its own view of the connection (the admins' dashboard). */
const STATS_REPORT_MS = 2 * HEALTH_INTERVAL_MS;
/** After this long without success, recovery gives up and offers a button instead. */
const RECOVERY_WINDOW_MS = 120_000;

/** How long after a peer joins (or leaves audio-only) its mic/camera "on" updates are not announced. */
const PEER_SETTLE_MS = 5_000;
const isSwitchOn = (key: string) => key === 'status.peerMicOn' || key === 'status.peerCameraOn';

const CLOSED_STATUS: Record<EndReason, string> = {
  ended: 'end.endedTitle',
  time_limit: 'end.timeLimitTitle',
  server_shutdown: 'end.serverShutdownTitle',
  removed: 'end.removedTitle',
  link_revoked: 'end.linkRevokedTitle',
  technical_failure: 'end.technicalFailureTitle',
};

const FLOOR_RANK = { none: 0, mic: 1, full: 2 } as const;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function waitForConnect(socket: RoomSocket, timeoutMs: number): Promise<void> {
  if (socket.connected) return Promise.resolve();
  // The server's connection limit refused an earlier attempt: socket.io does not retry
  // that by itself, so a new «Войти» dials again.
  if (!socket.active) socket.connect();
  return new Promise((resolve, reject) => {
    const done = (error: RoomError | null) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onConnectError);
      if (!error) resolve();
      else reject(error);
    };
    const onConnect = () => done(null);
    // Too many connections from this address: say so («подождите минуту»), not «нет связи».
    const onConnectError = (e: Error & { data?: { code?: unknown } }) => {
      if (e.data?.code === 'rate_limited') done(new RoomError('rate_limited', 'too many connections from this address'));
    };
    const timer = setTimeout(() => done(new RoomError('network', `socket did not connect in ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onConnectError);
  });
}

/**
 * One browser's side of a consultation: the socket, the mediasoup Device, its two
 * transports, local tracks, producers and consumers, and the room's social state (the
 * waiting room, the floor, the chat). Framework-free; React reads `state` through
 * `subscribe`/`getSnapshot` (useSyncExternalStore).
 *
 * Every join attempt runs under a session number. Tear-down bumps it, so answers that
 * arrive for an abandoned attempt (after a reset, leave or unmount) are dropped and the
 * objects they carry are closed instead of leaking.
 *
 * What this browser sends follows the room policy (room-policy.ts `mayProduce`): a webinar
 * attendee sends nothing until a host gives it the floor, a dyad's curator nothing until it
 * steps in; a waiting client sends nothing until it is admitted. Tracks that may not be
 * sent are released (the camera light goes off), and captured again when the floor comes.
 */
export class RoomClient {
  readonly auth: RoomAuth;
  readonly forceTcp: boolean;
  /** Join milestones of the current attempt, `performance.now()` ms (read by the join-time benchmark). */
  timings: Timings = {};
  /** When this browser last pressed «Впустить», epoch ms (`performance.timeOrigin + now()`; the benchmark reads it). */
  admitClickedAt: number | undefined;

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
  private producers: Partial<Record<MediaSource, ms.Producer>> = {};
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Pause/resume events that overtook their `newConsumer` (applied when it is created). */
  private readonly earlyPause = new Map<string, boolean>();
  /** When each peer last joined or left audio-only (see onPeerUpdated). */
  private readonly peerSettling = new Map<string, number>();

  private audioTrack: MediaStreamTrack | null = null;
  private videoTrack: MediaStreamTrack | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private capturing: Promise<void> | null = null;
  private readonly capturingOne: Partial<Record<'mic' | 'camera', Promise<void>>> = {};
  private producingCamera = false;
  private producingMic = false;
  /** Floor changes are applied one after another (a grant and a revoke in quick succession). */
  private floorSync: Promise<void> = Promise.resolve();
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private statsCounters: StatsCounters | null = null;

  constructor(opts: RoomClientOptions) {
    this.auth = opts.auth;
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

  /** In the room proper (not its waiting room): the state in which media and room requests are allowed. */
  private get inRoom(): boolean {
    return this._state.phase === 'joined' && this._state.admission === 'admitted';
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

  /**
   * «Войти в консультацию», and also «Вернуться» / «Попробовать снова» after leaving or
   * failing, and «Попросить ещё раз» after the specialist declined.
   */
  async join(): Promise<void> {
    const { phase } = this._state;
    if (phase === 'connecting' || phase === 'joined' || phase === 'reconnecting') return;
    const session = ++this.session;
    this.timings = {};
    this.mark('joinClicked');
    // A declined client keeps its preview and its choices: it only asks again.
    if (phase !== 'idle' && phase !== 'declined') this.resetLocalChoices();
    this.set({ phase: 'connecting', error: null, closedReason: null, reconnect: null });
    this.announce('status.connecting');
    try {
      await this.ensureLocalMedia();
      if (!this.alive(session)) return;
      await this.joinOnce(session);
      if (this.alive(session)) this.announceEntry('status.joined');
    } catch (e) {
      if (this.alive(session)) this.fail(toRoomError(e).code);
    }
  }

  /** «Выйти»: tell the server, release everything, keep the page for «Вернуться». */
  async leave(): Promise<void> {
    const { phase } = this._state;
    if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting' && phase !== 'declined') return;
    ++this.session;
    const socket = this.socket;
    const wasIn = phase !== 'declined';
    let told!: () => void;
    this.leaveDone = new Promise<void>((r) => (told = r));
    this.teardownMedia();
    this.stopLocalTracks();
    this.set({ phase: 'left', joined: false, admission: null, peers: [], remote: {}, waiting: [], reconnect: null });
    this.announce('status.left');
    try {
      if (socket?.connected && wasIn) {
        // Best effort and short: the server also notices the socket closing.
        await request(socket, 'leave', {}, 3_000).catch(() => undefined);
      }
      if (this.socket === socket) this.closeSocket();
    } finally {
      told();
    }
  }

  /**
   * Settles when the last «Выйти» has told the server (or given up after 3 s). A page that
   * moves on after leaving waits for it: closing the socket first would look like a lost
   * connection, and the others would see an «away» peer for the resume grace.
   */
  leaveDone: Promise<void> = Promise.resolve();

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
        // A waiting client tells the server when it is let in (produceAll sends the choice).
        if (this.inRoom && socket) {
          await Promise.all([
            request(socket, 'setAudioOnly', { audioOnly: true }),
            producer ? request(socket, 'closeProducer', { producerId: producer.id }) : undefined,
          ]);
        }
      } else {
        const self = this._state.self;
        // Without the floor for a camera (a webinar attendee, an observing curator) only the downlink changes.
        const mayCamera = !self || mediaPlan(self.role, self.floor).camera;
        const { track, status } = mayCamera ? await captureCamera() : { track: null, status: this._state.local.camera };
        const { phase } = this._state;
        if (this.disposed || phase === 'left' || phase === 'closed' || phase === 'failed') {
          track?.stop(); // the room ended while the camera was starting
          return;
        }
        if (mayCamera) {
          this.adoptVideoTrack(track);
          this.setLocal({ camera: status, cameraOn: track !== null });
        }
        // A re-join that ran meanwhile already produced with the current choice; otherwise do it now.
        const current = this.session;
        const now = this.socket;
        if (this.inRoom && now) {
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

  /**
   * Shares a screen (hosts and specialists): slides and documents at 5 frames a second,
   * one layer, text kept sharp. Stopping in the browser's own bar ends it too.
   */
  async startScreenShare(): Promise<void> {
    if (this.screenTrack || this._state.pending.screen) return;
    if (!navigator.mediaDevices?.getDisplayMedia) {
      this.announce('status.screenUnsupported');
      return;
    }
    this.setPending('screen', true);
    try {
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getDisplayMedia({ video: SCREEN_CONSTRAINTS, audio: false });
      } catch (e) {
        // The person closed the browser's picker: not an error worth a red sentence.
        this.announce(e instanceof DOMException && e.name === 'NotAllowedError' ? 'status.screenCancelled' : 'status.screenFailed');
        return;
      }
      const track = stream.getVideoTracks()[0];
      if (!track) return;
      const { phase } = this._state;
      if (this.disposed || (phase !== 'joined' && phase !== 'reconnecting')) {
        track.stop();
        return;
      }
      track.contentHint = 'detail';
      track.addEventListener('ended', () => {
        if (this.screenTrack === track) void this.stopScreenShare();
      });
      this.screenTrack = track;
      this.setLocal({ screenStream: new MediaStream([track]) });
      this.announce('status.screenOn');
      if (this.inRoom) await this.produceScreen(this.session);
    } catch (e) {
      this.announceError(toRoomError(e).code);
      await this.stopScreenShare(true);
    } finally {
      this.setPending('screen', false);
    }
  }

  async stopScreenShare(quiet = false): Promise<void> {
    const track = this.screenTrack;
    const producer = this.producers.screen;
    this.screenTrack = null;
    delete this.producers.screen;
    producer?.close();
    track?.stop();
    if (track || producer) {
      this.setLocal({ screenStream: null });
      if (!quiet) this.announce('status.screenOff');
    }
    const socket = this.socket;
    if (producer && socket?.connected && this.inRoom) {
      await request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
    }
  }

  // --- the waiting room, the floor, moderation, chat ---------------------------------------

  /** «Впустить»: lets a waiting client in (specialist of a one-to-one, curator of a dyad). */
  async admit(peerId: string): Promise<void> {
    this.admitClickedAt = performance.timeOrigin + performance.now();
    await this.act('admit', { peerId });
  }

  /** «Не сейчас»: the client is told, and may ask again with the same link. */
  async decline(peerId: string): Promise<void> {
    await this.act('decline', { peerId });
  }

  async raiseHand(raised: boolean): Promise<void> {
    if (this._state.pending.hand) return;
    this.setPending('hand', true);
    try {
      await this.act('raiseHand', { raised });
    } finally {
      this.setPending('hand', false);
    }
  }

  /** `showName`: the other attendees see the speaker by name, not as «Участник N». */
  async grantFloor(peerId: string, camera: boolean, showName = false): Promise<void> {
    await this.act('grantFloor', { peerId, camera, ...(showName ? { showName } : {}) });
  }

  async revokeFloor(peerId: string): Promise<void> {
    await this.act('revokeFloor', { peerId });
  }

  async mutePeer(peerId: string): Promise<void> {
    await this.act('mutePeer', { peerId });
  }

  async removePeer(peerId: string): Promise<void> {
    await this.act('removePeer', { peerId });
  }

  /** A curator joins the talk (its microphone and camera start) or goes back to observing. */
  async stepIn(): Promise<void> {
    await this.stepping('stepIn');
  }

  async stepOut(): Promise<void> {
    await this.stepping('stepOut');
  }

  private async stepping(name: 'stepIn' | 'stepOut'): Promise<void> {
    if (this._state.pending.stepIn) return;
    this.setPending('stepIn', true);
    try {
      await this.act(name, {});
      // The floor change itself arrives as our own peerUpdated (see onSelfUpdated).
    } finally {
      this.setPending('stepIn', false);
    }
  }

  /** Sends a chat line (in a webinar, optionally as a question). Resolves false when it did not go. */
  async sendChat(text: string, question = false): Promise<boolean> {
    const res = await this.act('sendChat', { text, ...(question ? { question: true } : {}) });
    if (!res) return false;
    this.set({ chat: appendChat(this._state.chat, res.message) });
    return true;
  }

  async markAnswered(messageId: string): Promise<void> {
    await this.act('markAnswered', { messageId });
  }

  /** A link given to the participants (it goes into the protocol's materials). */
  async postMaterial(title: string, url: string): Promise<boolean> {
    const res = await this.act('postMaterial', { title, url });
    if (!res) return false;
    this.set({ chat: appendChat(this._state.chat, res.message) });
    return true;
  }

  /** A room request on behalf of the user: a refusal is said in the status line, never thrown. */
  private async act<N extends ClientRequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N> | undefined> {
    const socket = this.socket;
    if (!socket || !this.inRoom) return undefined;
    try {
      return await request(socket, name, payload);
    } catch (e) {
      this.announceError(toRoomError(e).code);
      return undefined;
    }
  }

  /** Called by a remote <video> on its first decoded frame. */
  noteFirstFrame(): void {
    if (this._state.joined) this.mark('firstFrame');
  }

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
      ...this.auth,
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
    this.startStatsReports(socket, session);
    const admitted = joined.admission === 'admitted';
    this.set({
      phase: 'joined',
      joined: true,
      admission: joined.admission,
      self: joined.self,
      room: joined.room,
      peers: joined.peers.filter((p) => p.id !== joined.self.id),
      remote: {},
      admitterPresent: joined.admitterPresent,
      waiting: joined.waiting,
      chat: joined.chat,
      reconnect: null,
      error: null,
    });

    const ready = preloaded
      ? undefined
      : request(socket, 'ready', { rtpCapabilities: toProtocolRtpCapabilities(device.recvRtpCapabilities) });
    // In the waiting room nothing is sent or received until the `admitted` event.
    await Promise.all([ready, admitted ? this.startSending(session, socket, joined.peers) : undefined]);
  }

  /**
   * Our own media, once let in. Seeing and hearing the others comes first: when someone is
   * already sending, our camera and microphone start once the receive path is connected
   * (or after a short grace), so both do not fight over an old laptop's CPU at once.
   */
  private async startSending(session: number, socket: RoomSocket, peers: readonly PeerInfo[]): Promise<void> {
    this.releaseUnsendable();
    const recvTransport = this.recvTransport;
    if (recvTransport && peers.some((p) => p.mic || p.camera || p.screen)) {
      await Promise.race([
        new Promise<void>((resolve) => recvTransport.on('connectionstatechange', (st) => st === 'connected' && resolve())),
        sleep(RECEIVE_FIRST_GRACE_MS),
      ]);
      if (!this.alive(session)) return;
    }
    await this.produceAll(session, socket, true);
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

  /**
   * Produces whatever the room lets this participant send now and is not sent yet; the
   * tracks it may not send are released. `initial`: right after joining or being let in
   * (the audio-only choice is told to the server then).
   */
  private async produceAll(session: number, socket: RoomSocket, initial: boolean): Promise<void> {
    const device = this.device;
    const self = this._state.self;
    if (!device || !self) return;
    const plan = mediaPlan(self.role, self.floor);
    const tasks: Promise<unknown>[] = [];
    if (plan.mic) {
      tasks.push(
        this.ensureTrack('mic').then(() => (this.audioTrack && device.canProduce('audio') ? this.produceMic(session) : undefined)),
      );
    }
    if (this._state.local.audioOnly) {
      if (initial) tasks.push(request(socket, 'setAudioOnly', { audioOnly: true }));
    } else if (plan.camera) {
      tasks.push(
        this.ensureTrack('camera').then(() => (this.videoTrack && device.canProduce('video') ? this.produceCamera(session) : undefined)),
      );
    }
    if (plan.screen && this.screenTrack) tasks.push(this.produceScreen(session));
    // A producer that fails should not cost the whole consultation: the other media still work.
    const results = await Promise.allSettled(tasks);
    for (const r of results) {
      if (r.status === 'rejected' && this.alive(session)) this.announceProduceError(r.reason);
    }
  }

  /** A refusal because the floor was taken back meanwhile is expected, not an error to read out. */
  private announceProduceError(reason: unknown): void {
    const code = toRoomError(reason).code;
    const self = this._state.self;
    if (code === 'forbidden' && self && !mediaPlan(self.role, self.floor).mic) return;
    this.announceError(code);
  }

  /**
   * A producer just made: kept only if this session is alive and its track is still the one
   * wanted; otherwise closed here and on the server.
   */
  private async keepProduced(session: number, producer: ms.Producer, stillWanted: () => boolean): Promise<boolean> {
    if (!this.alive(session)) {
      producer.close();
      return false;
    }
    if (stillWanted()) return true;
    producer.close();
    const socket = this.socket;
    if (socket?.connected) await request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
    return false;
  }

  private async produceMic(session: number): Promise<void> {
    const track = this.audioTrack;
    const transport = this.sendTransport;
    if (!track || !transport || this.producingMic || (this.producers.mic && !this.producers.mic.closed)) return;
    this.producingMic = true;
    try {
      const producer = await transport.produce({
        track,
        // DTX sends almost nothing during silence; FEC rides out the odd lost packet on 3G.
        codecOptions: { opusDtx: true, opusFec: true },
        // Tracks belong to this class: a media reset must not stop the user's microphone.
        stopTracks: false,
        appData: { source: 'mic' },
      });
      // The floor may have been taken back while this was negotiating.
      if (!(await this.keepProduced(session, producer, () => this.audioTrack === track))) return;
      this.producers.mic = producer;
      this.watchTrackEnd(producer, 'mic');
      if (!this._state.local.micOn) {
        await this.syncProducerPause('mic', producer, false, () => undefined);
      }
    } finally {
      this.producingMic = false;
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
    // Audio-only may have been switched on (or the floor taken back) while this was negotiating.
    if (!(await this.keepProduced(session, producer, () => this.videoTrack === track))) return;
    this.producers.camera = producer;
    this.watchTrackEnd(producer, 'camera');
    if (!this._state.local.cameraOn) {
      await this.syncProducerPause('camera', producer, false, () => undefined);
    }
  }

  private async produceScreen(session: number): Promise<void> {
    const track = this.screenTrack;
    const transport = this.sendTransport;
    if (!track || !transport || (this.producers.screen && !this.producers.screen.closed)) return;
    const vp8 = this.device?.sendRtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    const producer = await transport.produce({
      track,
      // One layer: slides change rarely, and a second layer would only cost the uplink.
      encodings: SCREEN_ENCODINGS.map((e) => ({ ...e })),
      codecOptions: { videoGoogleStartBitrate: 500 },
      ...(vp8 ? { codec: vp8 } : {}),
      stopTracks: false,
      appData: { source: 'screen' },
    });
    if (!(await this.keepProduced(session, producer, () => this.screenTrack === track))) return;
    this.producers.screen = producer;
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
    if (!socket || !this.inRoom) return; // a re-join will produce with the current choice
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

  // --- following the floor -----------------------------------------------------------------

  /** Releases the tracks the room does not let us send now (camera light off while listening). */
  private releaseUnsendable(): void {
    const self = this._state.self;
    if (!self) return;
    const plan = mediaPlan(self.role, self.floor);
    if (!plan.mic) this.releaseSource('mic');
    if (!plan.camera) this.releaseSource('camera');
  }

  private releaseSource(source: 'mic' | 'camera'): void {
    const producer = this.producers[source];
    delete this.producers[source];
    producer?.close();
    if (source === 'mic') {
      this.audioTrack?.stop();
      this.audioTrack = null;
    } else {
      this.adoptVideoTrack(null);
    }
  }

  /** Captures a microphone or camera again (after it was released), when the device is known to work. */
  private ensureTrack(kind: 'mic' | 'camera'): Promise<void> {
    if ((kind === 'mic' ? this.audioTrack : this.videoTrack) || this._state.local[kind] !== 'ok') return Promise.resolve();
    this.capturingOne[kind] ??= (async () => {
      const { track, status } = kind === 'mic' ? await captureMic() : await captureCamera();
      const { phase } = this._state;
      if (this.disposed || phase === 'left' || phase === 'closed' || phase === 'failed') {
        track?.stop();
        return;
      }
      if (kind === 'mic') {
        this.audioTrack?.stop();
        this.audioTrack = track;
        if (track) track.enabled = this._state.local.micOn;
        this.setLocal({ mic: status });
      } else {
        if (track) track.enabled = this._state.local.cameraOn;
        this.adoptVideoTrack(track);
        this.setLocal({ camera: status });
      }
    })().finally(() => {
      delete this.capturingOne[kind];
    });
    return this.capturingOne[kind];
  }

  private onSelfUpdated(peer: PeerInfo): void {
    const before = this._state.self;
    this.set({ self: peer });
    const change = selfChangeStatus(before, peer);
    if (change) this.announce(change.key);
    if (!before || before.floor === peer.floor) return;
    if (FLOOR_RANK[peer.floor] > FLOOR_RANK[before.floor]) {
      // Given the floor (or stepping in): speak at once — that is what was asked for.
      const patch: Partial<LocalState> = { micOn: true };
      if (this.audioTrack) this.audioTrack.enabled = true;
      if (peer.floor === 'full') {
        patch.cameraOn = true;
        if (this.videoTrack) this.videoTrack.enabled = true;
      }
      this.setLocal(patch);
    }
    this.queueFloorSync();
  }

  private queueFloorSync(): void {
    const session = this.session;
    this.floorSync = this.floorSync
      .then(async () => {
        if (!this.alive(session) || !this.inRoom) return;
        this.releaseUnsendable();
        const socket = this.socket;
        if (socket) await this.produceAll(session, socket, false);
      })
      .catch((e: unknown) => {
        if (this.alive(session)) this.announceProduceError(e);
      });
  }

  /** The server paused (muted by a host) or closed (floor taken back) one of our producers. */
  private onMediaStopped(producerId: string, source: MediaSource, reason: 'muted' | 'floor_revoked'): void {
    const producer = this.producers[source];
    if (!producer || producer.id !== producerId) return;
    if (reason === 'muted') {
      producer.pause();
      if (source === 'mic') {
        if (this.audioTrack) this.audioTrack.enabled = false;
        this.setLocal({ micOn: false });
      } else if (source === 'camera') {
        if (this.videoTrack) this.videoTrack.enabled = false;
        this.setLocal({ cameraOn: false });
      }
      this.announce('status.selfMuted');
      return;
    }
    if (source === 'screen') {
      void this.stopScreenShare(true);
      return;
    }
    this.releaseSource(source);
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
    socket.on('admitted', ({ peers, chat }) => this.onAdmitted(peers, chat));
    socket.on('declined', () => this.onDeclined());
    socket.on('admitterPresence', ({ present }) => this.onAdmitterPresence(present));
    socket.on('waitingChanged', ({ waiting }) => this.onWaitingChanged(waiting));
    socket.on('removed', ({ reason }) => this.onRemoved(reason));
    socket.on('mediaStopped', ({ producerId, source, reason }) => this.onMediaStopped(producerId, source, reason));
    socket.on('chatMessage', (message) => this.onChatMessage(message));
    socket.on('chatUpdated', (message) => this.set({ chat: updateChat(this._state.chat, message) }));
    return socket;
  }

  /** Joins and leaves of the silent webinar audience are not read out to the host: only those who lead or speak. */
  private worthAnnouncing(peer: PeerInfo): boolean {
    return this._state.room?.kind !== 'webinar' || peer.role !== 'attendee' || peer.floor !== 'none';
  }

  private onPeerJoined(peer: PeerInfo): void {
    if (peer.id === this._state.self?.id || this._state.admission !== 'admitted') return;
    const known = this._state.peers.some((p) => p.id === peer.id);
    this.peerSettling.set(peer.id, performance.now());
    this.set({ peers: upsertPeer(this._state.peers, peer) });
    if (!known && this.worthAnnouncing(peer)) this.announce('status.peerJoined', namedParams(peer));
  }

  private onPeerUpdated(peer: PeerInfo): void {
    if (peer.id === this._state.self?.id) return this.onSelfUpdated(peer);
    if (this._state.admission !== 'admitted') return;
    const before = this._state.peers.find((p) => p.id === peer.id);
    // A peer we did not know (an attendee given the floor, seen by the other attendees) is added.
    if (!before) this.peerSettling.set(peer.id, performance.now());
    this.set({ peers: upsertPeer(this._state.peers, peer) });
    const change = peerChangeStatus(before, peer);
    // A newcomer's microphone and camera (or a camera back from audio-only) come on a
    // moment after the sentence that already said so: those switches are not read out again.
    const settling = performance.now() - (this.peerSettling.get(peer.id) ?? -Infinity) < PEER_SETTLE_MS;
    if (change && !(settling && isSwitchOn(change.key))) {
      this.announce(change.key, namedParams(peer));
    }
    if (change?.key === 'status.peerAudioOnlyOff') this.peerSettling.set(peer.id, performance.now());
  }

  private onPeerLeft(peerId: string): void {
    const peer = this._state.peers.find((p) => p.id === peerId);
    if (!peer) return;
    for (const [id, entry] of this.consumers) {
      if (entry.peerId === peerId) {
        entry.consumer.close();
        this.consumers.delete(id);
      }
    }
    this.peerSettling.delete(peerId);
    this.set({ peers: removePeer(this._state.peers, peerId) });
    this.publishRemote();
    const kind = this._state.room?.kind;
    if (kind === 'one_to_one') this.announce('status.peerLeft');
    else if (this.worthAnnouncing(peer)) this.announce('status.peerLeftNamed', namedParams(peer));
  }

  private onAdmitted(peers: PeerInfo[], chat: ChatMessage[]): void {
    const { phase, admission, self } = this._state;
    if (phase !== 'joined' || admission !== 'waiting') return;
    this.mark('admitted');
    const session = this.session;
    const socket = this.socket;
    this.set({ admission: 'admitted', peers: peers.filter((p) => p.id !== self?.id), chat, remote: {}, admitterPresent: true });
    this.announce('status.joined');
    if (socket) {
      this.startSending(session, socket, peers).catch((e: unknown) => {
        if (this.alive(session)) this.announceProduceError(e);
      });
    }
  }

  /** Not let in now: the server dropped our transports; the page keeps the preview and offers to ask again. */
  private onDeclined(): void {
    if (this._state.admission !== 'waiting') return;
    ++this.session;
    this.teardownMedia();
    this.set({ phase: 'declined', joined: false, admission: null, peers: [], remote: {}, waiting: [], chat: [], reconnect: null });
    this.announce('status.declined', this.admitterParams());
  }

  private onAdmitterPresence(present: boolean): void {
    if (this._state.admitterPresent === present) return;
    this.set({ admitterPresent: present });
    if (this._state.admission === 'waiting') {
      this.announce(present ? 'status.admitterOnline' : 'status.admitterOffline', this.admitterParams());
    }
  }

  private onWaitingChanged(waiting: WaitingPeer[]): void {
    const arrived = newWaiters(this._state.waiting, waiting);
    this.set({ waiting });
    const first = arrived[0];
    if (first) this.announce('status.clientWaiting', { label: first.label, role: 'client' });
  }

  /**
   * Taken out (by a host, a revoked or replaced link, or staff access ended): an end screen
   * that says which, and no reconnecting (the server refuses this seat now).
   */
  private onRemoved(reason: RemovedReason): void {
    const closedReason = reason === 'link_revoked' ? 'link_revoked' : 'removed';
    ++this.session;
    this.teardownMedia();
    this.stopLocalTracks();
    this.closeSocket();
    this.set({
      phase: 'closed',
      joined: false,
      admission: null,
      closedReason,
      peers: [],
      remote: {},
      waiting: [],
      reconnect: null,
    });
    this.announce(CLOSED_STATUS[closedReason]);
  }

  private onChatMessage(message: ChatMessage): void {
    if (this._state.admission !== 'admitted') return;
    this.set({ chat: appendChat(this._state.chat, message) });
    const key =
      message.kind === 'question' ? 'status.newQuestion' : message.kind === 'material' ? 'status.newMaterial' : 'status.newMessage';
    this.announce(key, namedParams(message));
  }

  private async onNewConsumer(data: NewConsumer, ack: (res: { ok: boolean }) => void): Promise<void> {
    this.mark('consumerOffered');
    const session = this.session;
    const transport = this.recvTransport;
    if (!transport || transport.closed || !this.alive(session)) return ack({ ok: false });
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
    this.set({
      phase: 'closed',
      joined: false,
      admission: null,
      closedReason: reason,
      peers: [],
      remote: {},
      waiting: [],
      reconnect: null,
    });
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
   * link, retrying transient failures with back-off for up to two minutes. Within the
   * server's 30-second grace the join comes back `admitted` with the same floor; later a
   * client may find itself in the waiting room again, which the state then shows.
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
        if (this.alive(session)) this.announceEntry('status.restored');
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
    this.set({ phase: 'failed', joined: false, admission: null, error: code, peers: [], remote: {}, waiting: [], reconnect: null });
    this.announce(`errors.${code}`);
  }

  /** Who lets a waiting client in: named in the waiting room's sentences. */
  private admitterParams(): Record<string, string> {
    return { label: '', role: this._state.room?.kind === 'dyad' ? 'curator' : 'specialist' };
  }

  /** After a join: «вы в консультации», or «вы в приёмной» when the join came back waiting. */
  private announceEntry(inKey: string): void {
    const first = this._state.waiting[0];
    if (this._state.admission === 'waiting') this.announce('status.waiting', this.admitterParams());
    // Someone already waits for the specialist who just came in: that is the news.
    else if (first) this.announce('status.clientWaiting', { label: first.label, role: 'client' });
    else this.announce(inKey);
  }

  private announceError(code: ClientErrorCode): void {
    this.announce(`errors.${code}`);
  }

  private setPending(which: keyof RoomState['pending'], value: boolean): void {
    this.set({ pending: { ...this._state.pending, [which]: value } });
  }

  // --- ownership of media objects ----------------------------------------------------------

  /**
   * Every few seconds: the connection as this browser sees it (getStats of both transports,
   * reduced to a few figures) goes to the server for the admins' dashboard. Best effort: a
   * lost report is replaced by the next one.
   */
  private startStatsReports(socket: RoomSocket, session: number): void {
    this.stopStatsReports();
    this.statsTimer = setInterval(() => {
      const recv = this.recvTransport;
      if (!this.alive(session) || !recv) return;
      void (async () => {
        const { send, recv: recvStats } = await this.getStats();
        const { report, counters } = summariseStats(
          send as StatsEntry[],
          recvStats as StatsEntry[],
          recv.connectionState,
          this.statsCounters,
          performance.now(),
        );
        this.statsCounters = counters;
        if (this.alive(session)) await request(socket, 'clientStats', report);
      })().catch(() => undefined);
    }, STATS_REPORT_MS);
  }

  private stopStatsReports(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = null;
    this.statsCounters = null;
  }

  private teardownMedia(): void {
    this.stopStatsReports();
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
    this.screenTrack?.stop();
    this.audioTrack = null;
    this.videoTrack = null;
    this.screenTrack = null;
    this.setLocal({ previewStream: null, screenStream: null });
  }

  /** A fresh start after «Выйти» or a failure: the user's earlier toggles do not carry over. */
  private resetLocalChoices(): void {
    this.setLocal({ micOn: true, cameraOn: true, audioOnly: false, mic: 'pending', camera: 'pending' });
  }
}
