import type { ChatMessage, MediaSource, PeerInfo, RemovedReason, RoomClosedReason } from '@dp/protocol';
import { LocalTracks } from './local-capture.ts';
import { MediaControls } from './media-controls.ts';
import { MediaSender, sleep } from './media-sender.ts';
import { MediaSession } from './media-session.ts';
import { PeerEvents } from './peer-events.ts';
import { isTransient, toRoomError, type ClientErrorCode } from './room-error.ts';
import { RoomRequests } from './room-requests.ts';
import { CLOSED_STATUS, updateChat, type EndReason, type ReconnectCause, type RoomState } from './room-state.ts';
import { connectRoomSocket, request, waitForConnect, watchNetwork, type RoomSocket } from './signalling.ts';
import { RoomStore } from './state-store.ts';
import { StatsReporter } from './stats-reporter.ts';
import { BOOKED_NOTICE_MINUTES, bookedNoticeDelay } from './time-left.ts';
import type { FrameMilestone, Timings } from './timings.ts';
import { noteServerNow, serverNow } from '../app/server-time.ts';

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

/** How long one attempt waits for the socket before counting as a network failure. */
const CONNECT_TIMEOUT_MS = 15_000;
/** After this long without success, recovery gives up and offers a button instead. */
const RECOVERY_WINDOW_MS = 120_000;

/**
 * One browser's side of a consultation: the socket, joining and leaving, recovery, and the
 * room's requests. Framework-free; React reads `state` through `subscribe`/`getSnapshot`
 * (useSyncExternalStore). Its parts, each with its own file:
 * - RoomStore — the state, the status line, the join milestones, the session number;
 * - LocalTracks — the camera, the microphone and the shared screen;
 * - MediaSession — the mediasoup Device, the transports, the consumers;
 * - MediaSender — our producers, following the floor (room-policy.ts `mayProduce`);
 * - MediaControls — the person's switches: microphone, camera, audio-only, screen;
 * - RoomRequests — admitting, the floor, moderation, the chat;
 * - StatsReporter — this browser's view of its connection, for the admins' dashboard;
 * - PeerEvents — who is here, who waits, the chat, as the server reports them.
 */
export class RoomClient {
  readonly auth: RoomAuth;
  readonly forceTcp: boolean;

  private readonly store = new RoomStore();
  private socket: RoomSocket | null = null;
  private readonly currentSocket = () => this.socket;
  private readonly tracks = new LocalTracks(this.store);
  private readonly media = new MediaSession(
    this.store,
    () => void this.recover('media'),
    () => this.redial(),
  );
  private readonly sender = new MediaSender(this.store, this.tracks, this.media, this.currentSocket);
  private readonly controls = new MediaControls(this.store, this.tracks, this.media, this.sender, this.currentSocket);
  private readonly requests = new RoomRequests(
    this.store,
    this.currentSocket,
    () => this.store.state.phase !== 'closed' && this.close('ended'),
  );
  private readonly stats = new StatsReporter(this.store, this.media, () => this.sender.producers.camera);
  /** «Время по записи заканчивается через 5 мин», said once per page (see time-left.ts). */
  private bookedNotice: ReturnType<typeof setTimeout> | undefined;
  private bookedNoticed = false;
  private readonly peers = new PeerEvents(this.store, this.media, (before, after) => this.sender.floorChanged(before, after));

  constructor(opts: RoomClientOptions) {
    this.auth = opts.auth;
    this.forceTcp = opts.forceTcp;
    this.media.socket = this.currentSocket;
    // A new network (Wi-Fi ↔ mobile, a new address, back online): restart ICE at once rather
    // than wait for the old path to time out.
    this.unwatchNetwork = watchNetwork(() => this.store.state.phase === 'joined' && this.media.networkChanged());
  }

  private readonly unwatchNetwork: () => void;

  // --- store interface -----------------------------------------------------------------

  get state(): RoomState {
    return this.store.state;
  }

  readonly subscribe = this.store.subscribe;
  readonly getSnapshot = this.store.getSnapshot;

  /** Join milestones of the current attempt, `performance.now()` ms (read by the join-time benchmark). */
  get timings(): Timings {
    return this.store.timings;
  }

  /** The send transport (an e2e test produces through it behind the UI's back, as a modified page would). */
  get sendTransport() {
    return this.media.sendTransport;
  }

  /** When this browser last pressed «Впустить», epoch ms (the join-time benchmark reads it). */
  get admitClickedAt(): number | undefined {
    return this.requests.admitClickedAt;
  }

  // --- public actions --------------------------------------------------------------------

  /**
   * Turns on camera and microphone for the pre-join preview, and meanwhile opens the
   * socket and loads the mediasoup Device: on a 3G link each of those is a round trip
   * the person would otherwise wait for after pressing «Войти».
   */
  preparePreview(): Promise<void> {
    void this.preload();
    return this.tracks.ensure();
  }

  private preload(): Promise<void> {
    this.ensureSocket();
    return this.media.preload();
  }

  /** Retries the capture after the user fixed a permission or plugged a device in. */
  async retryDevices(): Promise<void> {
    this.tracks.stopAll();
    this.store.setLocal({ mic: 'pending', camera: 'pending' });
    await this.tracks.ensure();
  }

  /**
   * «Войти в консультацию», and also «Вернуться» / «Попробовать снова» after leaving or
   * failing, and «Попросить ещё раз» after the specialist declined.
   */
  async join(): Promise<void> {
    const { phase } = this.store.state;
    if (phase === 'connecting' || phase === 'joined' || phase === 'reconnecting') return;
    const session = ++this.store.session;
    this.store.timings = {};
    this.store.mark('joinClicked');
    // A declined client keeps its preview and its choices: it only asks again.
    if (phase !== 'idle' && phase !== 'declined') this.tracks.resetChoices();
    this.store.set({ phase: 'connecting', error: null, closedReason: null, reconnect: null });
    this.store.announce('status.connecting');
    try {
      await this.tracks.ensure();
      if (!this.store.alive(session)) return;
      await this.joinOnce(session);
      if (this.store.alive(session)) this.peers.announceEntry('status.joined');
    } catch (e) {
      if (this.store.alive(session)) this.fail(toRoomError(e).code);
    }
  }

  /** «Выйти»: tell the server, release everything, keep the page for «Вернуться». */
  async leave(): Promise<void> {
    const { phase } = this.store.state;
    if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting' && phase !== 'declined') return;
    ++this.store.session;
    const socket = this.socket;
    const wasIn = phase !== 'declined';
    let told!: () => void;
    this.leaveDone = new Promise<void>((r) => (told = r));
    this.teardownMedia();
    this.tracks.stopAll();
    this.store.set({ phase: 'left', joined: false, admission: null, peers: [], remote: {}, waiting: [], reconnect: null });
    this.store.announce('status.left');
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

  // --- the switches (media-controls.ts) and the room's requests (room-requests.ts) ------------

  readonly toggleMic = () => this.controls.toggleMic();
  readonly toggleCamera = () => this.controls.toggleCamera();
  /** Audio-only for weak links: the camera is released and the server stops sending us video. */
  readonly setAudioOnly = (audioOnly: boolean) => this.controls.setAudioOnly(audioOnly);
  readonly startScreenShare = () => this.controls.startScreenShare();
  readonly stopScreenShare = (quiet = false) => this.controls.stopScreenShare(quiet);
  readonly admit = (peerId: string) => this.requests.admit(peerId);
  readonly decline = (peerId: string) => this.requests.decline(peerId);
  readonly raiseHand = (raised: boolean) => this.requests.raiseHand(raised);
  readonly grantFloor = (peerId: string, camera: boolean, showName = false) => this.requests.grantFloor(peerId, camera, showName);
  readonly revokeFloor = (peerId: string) => this.requests.revokeFloor(peerId);
  readonly mutePeer = (peerId: string) => this.requests.mutePeer(peerId);
  readonly removePeer = (peerId: string) => this.requests.removePeer(peerId);
  readonly stepIn = () => this.requests.stepIn();
  readonly stepOut = () => this.requests.stepOut();
  readonly sendChat = (text: string, question = false) => this.requests.sendChat(text, question);
  readonly markAnswered = (messageId: string) => this.requests.markAnswered(messageId);
  readonly postMaterial = (title: string, url: string) => this.requests.postMaterial(title, url);
  /** «Завершить консультацию»: resolves null once ended, else the error code to say. */
  readonly endConsultation = () => this.requests.endConsultation();

  /** Called by a remote <video>: drawn, and its first frame received and shown (join-time benchmark). */
  noteFirstFrame(milestone: FrameMilestone = 'firstFrame', at?: number): void {
    if (this.store.state.joined) this.store.mark(milestone, at);
  }

  /** RTCStats of both transports, as plain arrays (tests and the benchmark read them). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- RTCStats subtypes vary by browser; callers pick fields.
  getStats(): Promise<{ send: any[]; recv: any[] }> {
    return this.media.getStats();
  }

  /** RTCStats of each live consumer with the peer and source it comes from (e2e tests: who hears whom). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  getConsumerStats(): Promise<{ peerId: string; source: MediaSource; stats: any[] }[]> {
    return this.media.getConsumerStats();
  }

  /** The page is going away: release the camera and the connection at once. */
  dispose(): void {
    if (this.store.disposed) return;
    this.store.disposed = true;
    ++this.store.session;
    this.unwatchNetwork();
    this.teardownMedia();
    this.tracks.stopAll();
    this.closeSocket();
    this.store.detach();
  }

  // --- joining -----------------------------------------------------------------------------

  /**
   * One join. With `resume` (the transports this page still holds after its socket dropped) the
   * server may keep the session: then ICE restarts in place and nothing else is made anew.
   */
  private async joinOnce(session: number, resume: { send: string; recv: string } | null = null): Promise<void> {
    const socket = this.ensureSocket();
    await Promise.all([waitForConnect(socket, CONNECT_TIMEOUT_MS), this.preload()]);
    if (!this.store.alive(session)) return;

    const sentAt = Date.now();
    const joined = await request(socket, 'join', {
      ...this.auth,
      ...(this.forceTcp ? { forceTcp: true } : {}),
      ...this.media.preloadedCapabilities(),
      ...(resume ? { resume } : {}),
    });
    noteServerNow(joined.serverNow, sentAt);
    this.store.mark('joinAck');
    if (!this.store.alive(session)) return;
    if (joined.resumed) {
      await this.media.resume(joined);
      this.sender.keepOnly(joined.resumed.producers);
      this.stats.start(socket, session);
      this.store.set({
        phase: 'joined',
        joined: true,
        admission: joined.admission,
        self: joined.self,
        peers: joined.peers.filter((p) => p.id !== joined.self.id),
        admitterPresent: joined.admitterPresent,
        waiting: joined.waiting,
        chat: joined.chat,
        reconnect: null,
        error: null,
      });
      // Whatever the floor allows and is not sent (a producer closed while away) starts again.
      await this.sender.produceAll(session, socket, false);
      return;
    }
    // The server could not keep it (too late, or its media server restarted): start afresh.
    if (resume) this.teardownMedia();
    if (!(await this.media.start(joined, socket, session))) return;
    this.stats.start(socket, session);
    const admitted = joined.admission === 'admitted';
    this.store.set({
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
    this.scheduleBookedNotice(joined.room.bookedEndsAt);
    // In the waiting room nothing is sent or received until the `admitted` event.
    await Promise.all([this.media.sendReady(socket), admitted ? this.sender.startSending(session, socket, joined.peers) : undefined]);
  }

  // --- server events -------------------------------------------------------------------------

  private ensureSocket(): RoomSocket {
    if (this.socket) return this.socket;
    const socket = connectRoomSocket();
    this.socket = socket;

    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return;
      const { phase } = this.store.state;
      if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting') return;
      if (reason === 'io server disconnect') {
        // The server closed us on purpose (and socket.io will not reconnect): do not loop.
        ++this.store.session;
        this.fail('disconnected');
      } else if (phase === 'joined') {
        void this.recover('socket');
      }
      // While connecting or reconnecting, the running attempt waits for `connect` itself.
    });

    const { peers, media } = this;
    socket.on('peerJoined', (peer) => peers.peerJoined(peer));
    socket.on('peerUpdated', (peer) => peers.peerUpdated(peer));
    socket.on('peerLeft', ({ peerId }) => peers.peerLeft(peerId));
    socket.on('newConsumer', (data, ack) => void media.consume(data, ack));
    socket.on('consumerClosed', ({ consumerId }) => media.closeConsumer(consumerId));
    socket.on('consumerPaused', ({ consumerId }) => media.pauseConsumer(consumerId, true));
    socket.on('consumerResumed', ({ consumerId }) => media.pauseConsumer(consumerId, false));
    socket.on('consumerLayers', ({ consumerId, spatial }) => media.consumerLayers(consumerId, spatial));
    socket.on('mediaReset', () => void this.recover('media'));
    socket.on('roomClosed', ({ reason }) => this.onRoomClosed(reason));
    socket.on('timeWarning', ({ minutesLeft, endsAt }) => {
      const room = this.store.state.room;
      if (room) this.store.set({ room: { ...room, endsAt } });
      this.store.announce('status.timeWarning', { minutes: String(minutesLeft) });
    });
    socket.on('admitted', ({ peers: all, chat }) => this.onAdmitted(all, chat));
    socket.on('declined', () => this.onDeclined());
    socket.on('admitterPresence', ({ present }) => peers.admitterPresence(present));
    socket.on('waitingChanged', ({ waiting }) => peers.waitingChanged(waiting));
    socket.on('removed', ({ reason }) => this.onRemoved(reason));
    socket.on('mediaStopped', ({ producerId, source, reason }) => this.controls.mediaStopped(producerId, source, reason));
    socket.on('chatMessage', (message) => peers.chatMessage(message));
    socket.on('chatUpdated', (message) => this.store.set({ chat: updateChat(this.store.state.chat, message) }));
    return socket;
  }

  private onAdmitted(peers: PeerInfo[], chat: ChatMessage[]): void {
    const { phase, admission, self } = this.store.state;
    if (phase !== 'joined' || admission !== 'waiting') return;
    this.store.mark('admitted');
    const session = this.store.session;
    const socket = this.socket;
    // The consumers offered while waiting are already set up (held paused on the server): shown now.
    this.store.set({ admission: 'admitted', peers: peers.filter((p) => p.id !== self?.id), chat, admitterPresent: true });
    this.media.publishRemote();
    this.store.announce('status.joined');
    if (socket) {
      this.sender.startSending(session, socket, peers).catch((e: unknown) => {
        if (this.store.alive(session)) this.sender.announceProduceError(e);
      });
    }
  }

  /** Not let in now: the server dropped our transports; the page keeps the preview and offers to ask again. */
  private onDeclined(): void {
    if (this.store.state.admission !== 'waiting') return;
    ++this.store.session;
    this.teardownMedia();
    this.store.set({ phase: 'declined', joined: false, admission: null, peers: [], remote: {}, waiting: [], chat: [], reconnect: null });
    this.store.announce('status.declined', this.peers.admitterParams());
  }

  /**
   * Taken out (by a host, a revoked or replaced link, or staff access ended): an end screen
   * that says which, and no reconnecting (the server refuses this seat now).
   */
  private onRemoved(reason: RemovedReason): void {
    this.close(reason === 'link_revoked' ? 'link_revoked' : 'removed');
  }

  private onRoomClosed(reason: RoomClosedReason): void {
    this.close(reason);
  }

  /** The end for this browser: everything released, the end screen says why. */
  private close(closedReason: EndReason): void {
    ++this.store.session;
    this.teardownMedia();
    this.tracks.stopAll();
    this.closeSocket();
    this.store.set({
      phase: 'closed',
      joined: false,
      admission: null,
      closedReason,
      peers: [],
      remote: {},
      waiting: [],
      reconnect: null,
    });
    this.store.announce(CLOSED_STATUS[closedReason]);
  }

  // --- recovery and failure ------------------------------------------------------------------

  /**
   * Lost socket or media server: drop the media objects and join again with the same
   * link, retrying transient failures with back-off for up to two minutes. Within the
   * server's 30-second grace the join comes back `admitted` with the same floor; later a
   * client may find itself in the waiting room again, which the state then shows.
   */
  private async recover(cause: ReconnectCause): Promise<void> {
    const { phase } = this.store.state;
    if (phase !== 'joined' && phase !== 'connecting' && phase !== 'reconnecting') return;
    const session = ++this.store.session;
    // A lost socket keeps the media objects: the server holds ours for the grace, and a resumed
    // join only restarts ICE. A lost media server (or a path that would not come back) starts afresh.
    const resume = cause === 'socket' && phase === 'joined' ? this.media.resumable() : null;
    if (resume) {
      this.stats.stop();
    } else {
      this.teardownMedia();
    }
    this.store.timings = {};
    this.store.mark('joinClicked');
    this.store.set({ phase: 'reconnecting', joined: false, reconnect: cause, ...(resume ? {} : { remote: {} }) });
    this.store.announce(cause === 'socket' ? 'status.socketLost' : 'status.mediaReset');
    const deadline = Date.now() + RECOVERY_WINDOW_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.joinOnce(session, resume && this.media.resumable());
        if (this.store.alive(session)) this.peers.announceEntry('status.restored');
        return;
      } catch (e) {
        if (!this.store.alive(session)) return;
        const { code } = toRoomError(e);
        // A network failure keeps what can still be resumed for the next try.
        if (!resume || !isTransient(code)) this.teardownMedia();
        if (!isTransient(code) || Date.now() > deadline) return this.fail(code);
        this.store.set({ phase: 'reconnecting', joined: false });
        await sleep(Math.min(8_000, 500 * 2 ** attempt));
        if (!this.store.alive(session)) return;
      }
    }
  }

  private fail(code: ClientErrorCode): void {
    this.teardownMedia();
    this.tracks.stopAll();
    this.closeSocket();
    this.store.set({ phase: 'failed', joined: false, admission: null, error: code, peers: [], remote: {}, waiting: [], reconnect: null });
    this.store.announce(`errors.${code}`);
  }

  private scheduleBookedNotice(bookedEndsAt: string | null): void {
    clearTimeout(this.bookedNotice);
    const delay = this.bookedNoticed ? null : bookedNoticeDelay(serverNow(), bookedEndsAt);
    if (delay === null) return;
    this.bookedNotice = setTimeout(() => {
      this.bookedNoticed = true;
      if (this.store.state.phase === 'joined') this.store.announce('status.bookedEndSoon', { minutes: String(BOOKED_NOTICE_MINUTES) });
    }, delay);
  }

  private teardownMedia(): void {
    clearTimeout(this.bookedNotice);
    this.stats.stop();
    // Closing a transport closes its producers and consumers with it.
    this.media.close();
    this.sender.reset();
  }

  /**
   * The socket went with the old network but does not know it yet (socket.io would wait for its
   * ping timeout): close its transport now; socket.io reconnects by itself, and the `disconnect`
   * handler resumes the session on the kept transports.
   */
  private redial(): void {
    const socket = this.socket;
    if (socket?.connected) socket.io.engine.close();
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }
}
