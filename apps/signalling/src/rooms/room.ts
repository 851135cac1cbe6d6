import {
  hasPower,
  mayModerate,
  mayProduce,
  mayShowName,
  namesHidden,
  ProtocolError,
  RESUME_GRACE_MS,
  rolesOfKind,
  sees,
  seesName,
  waitsForAdmission,
  type ChatMessage,
  type RemovedReason,
  type ClientStatsReport,
  type DtlsParameters,
  type Floor,
  type MediaKind,
  type MediaSource,
  type PeerInfo,
  type RequestResult,
  type RoomClosedReason,
  type RoomKind,
  type RoomPower,
  type RoomRole,
  type RtpCapabilities,
  type RtpParameters,
  type WaitingPeer,
} from '@dp/protocol';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { Peer, type CarriedState, type PeerChannel, type ProducerRecord } from './peer.ts';
import type { RoomRecords } from './room-records.ts';

export type RoomState = 'open' | 'closed';

export interface RoomOptions {
  id: string;
  kind: RoomKind;
  sfu: SfuClient;
  log: Logger;
  records: RoomRecords;
  onClosed: (room: Room, reason?: RoomClosedReason) => void;
  /** The hard limit (planned start + 60 min); null for a room without a timetable slot. */
  endsAt?: Date | null;
  resumeGraceMs?: number;
  /** From the room this one replaces after a media loss (RoomRegistry). */
  handover?: RoomHandover;
}

/** A participant who left lately: coming back within the grace skips the waiting room, keeps the floor. */
interface Departed extends CarriedState {
  until: number;
}

/**
 * What a room that lost its media hands to the room that replaces it: who was let in (with
 * role, floor and hand, for the resume grace) and who was removed. A worker's death is the
 * server's failure, not the participants': nobody waits to be let in again.
 */
export interface RoomHandover {
  departed: ReadonlyMap<string, Departed>;
}

/**
 * One consultation's room: who is in it, who waits, and what each may do (room-policy.ts).
 * It owns the room's router on the SFU — opened with the first participant, closed with
 * the last. Socket handlers are thin: they parse, call a method here, and acknowledge.
 *
 * Participants are `present` (let in; `away` for up to the resume grace after losing the
 * connection) or `waiting` (a client before the specialist or curator admits it: it has
 * transports, but sends and receives nothing and sees no one).
 */
export class Room {
  readonly id: string;
  readonly kind: RoomKind;
  readonly endsAt: Date | null;
  private readonly present = new Map<string, Peer>();
  private readonly waiting = new Map<string, Peer>();
  private readonly departed = new Map<string, Departed>();
  /** Removed by a host: their link does not open this room again. */
  private readonly removed = new Set<string>();
  /** Webinar attendees' «Участник N» (kept in the record; this only saves a query on a reconnect). */
  private readonly numbers = new Map<string, number>();
  /** Numbers are given one at a time (parallel first entries would all read the same max). */
  private numbering: Promise<unknown> = Promise.resolve();
  private readonly awayTimers = new Map<string, NodeJS.Timeout>();
  private readonly sfu: SfuClient;
  private readonly log: Logger;
  private readonly records: RoomRecords;
  private readonly onClosed: RoomOptions['onClosed'];
  private readonly resumeGraceMs: number;
  private readonly chatLimiter = new RateLimiterMemory({ points: 5, duration: 5 });
  /** Record writes still running: closing waits for them, so a shutdown loses no stay. */
  private readonly writes = new Set<Promise<void>>();
  private limitTimer: NodeJS.Timeout | undefined;
  state: RoomState = 'open';

  constructor(o: RoomOptions) {
    this.id = o.id;
    this.kind = o.kind;
    this.sfu = o.sfu;
    this.log = o.log.child({ roomId: o.id });
    this.records = o.records;
    this.onClosed = o.onClosed;
    this.endsAt = o.endsAt ?? null;
    this.resumeGraceMs = o.resumeGraceMs ?? RESUME_GRACE_MS;
    const now = Date.now();
    for (const [id, d] of o.handover?.departed ?? []) if (d.until > now) this.departed.set(id, d);
    // The room enforces its own limit: a job that fires late or never cannot let it overrun.
    if (this.endsAt) this.armLimit(this.endsAt.getTime() - Date.now());
  }

  private armLimit(ms: number): void {
    // setTimeout holds at most ~24.8 days; a room never lives that long, but stay correct.
    const step = Math.min(Math.max(0, ms), 2 ** 31 - 1);
    this.limitTimer = setTimeout(() => {
      if (this.endsAt && Date.now() < this.endsAt.getTime()) return this.armLimit(this.endsAt.getTime() - Date.now());
      void this.close('time_limit');
    }, step);
    this.limitTimer.unref();
  }

  /** «N minutes left», to everyone in the room (the waiting room too). */
  warn(minutesLeft: number): void {
    if (this.state !== 'open' || !this.endsAt) return;
    for (const peer of this.everyone()) peer.channel.emit('timeWarning', { minutesLeft, endsAt: this.endsAt.toISOString() });
  }

  get size(): number {
    return this.present.size + this.waiting.size;
  }

  /** Whether this peer object is still the room's (present or waiting), not replaced or gone. */
  has(peer: Peer): boolean {
    return this.present.get(peer.id) === peer || this.waiting.get(peer.id) === peer;
  }

  peerInfos(): PeerInfo[] {
    return [...this.present.values()].map((p) => p.info());
  }

  /** Everyone in the room now, let in or waiting (the health dashboard's view). */
  members(): { peer: Peer; waiting: boolean }[] {
    return [
      ...[...this.present.values()].map((peer) => ({ peer, waiting: false })),
      ...[...this.waiting.values()].map((peer) => ({ peer, waiting: true })),
    ];
  }

  /** The browser's own view of its connection: kept for the dashboard, used for nothing else. */
  clientStats(peer: Peer, report: ClientStatsReport): void {
    this.assertIn(peer);
    peer.browserStats = { report, at: Date.now() };
  }

  // --- entering and leaving ------------------------------------------------------------------

  /**
   * Lets a participant in, or into the waiting room: opens (or finds) the router and creates
   * both of its transports in the same step, so the browser needs a single round trip. With
   * `rtpCapabilities` the peer is ready to receive as soon as the caller has acknowledged
   * the join (see `offerExisting`). The same participant again (a reload, a second tab, a
   * lost connection) replaces its earlier self without the others seeing a leave.
   */
  async join(
    peerId: string,
    role: RoomRole,
    label: string,
    channel: PeerChannel,
    opts: { forceTcp: boolean; rtpCapabilities: RtpCapabilities | undefined },
  ): Promise<{ peer: Peer; result: RequestResult<'join'> }> {
    this.assertOpen();
    if (this.removed.has(peerId)) throw new ProtocolError('removed', 'the host removed this participant');
    if (!rolesOfKind[this.kind].includes(role)) throw new ProtocolError('forbidden', `a ${role} has no place in a ${this.kind} room`);
    const [{ rtpCapabilities: routerRtpCapabilities }, number] = await Promise.all([
      this.sfu.request('openRouter', { roomId: this.id }),
      this.attendeeNumber(peerId, role),
    ]);
    const base = { roomId: this.id, peerId, forceTcp: opts.forceTcp };
    // An earlier self's media go first (the SFU keys media by peer id).
    const previous = this.present.get(peerId) ?? this.waiting.get(peerId);
    if (previous) await this.dropMedia(previous);
    const [send, recv] = await Promise.all([
      this.sfu.request('createWebRtcTransport', { ...base, direction: 'send' }),
      this.sfu.request('createWebRtcTransport', { ...base, direction: 'recv' }),
    ]);
    if (this.state !== 'open') {
      await this.sfu.request('closePeer', { roomId: this.id, peerId }).catch(() => undefined);
      throw new ProtocolError('room_closed', 'the room is closed');
    }

    const resumed = this.present.get(peerId);
    const recent = this.departed.get(peerId);
    const carried = resumed?.carried() ?? (recent && recent.until > Date.now() ? recent : undefined);
    const peer = new Peer(peerId, role, label, channel, carried, number);
    peer.sendTransportId = send.id;
    peer.recvTransportId = recv.id;
    peer.rtpCapabilities = opts.rtpCapabilities;
    this.departed.delete(peerId);
    clearTimeout(this.awayTimers.get(peerId));
    this.awayTimers.delete(peerId);
    this.waiting.delete(peerId);

    const admitted = carried !== undefined || !waitsForAdmission(this.kind, role);
    if (!admitted) {
      this.waiting.set(peerId, peer);
      this.waitingChanged();
      this.log.info({ peerId, role }, 'peer waiting');
    } else {
      this.present.set(peerId, peer);
      if (resumed) {
        this.announce(peer, resumed.floor);
      } else {
        this.broadcastJoined(peer);
        this.recordStay(peer, 'entered');
        if (hasPower(role, 'admit')) this.admitterPresence();
      }
      this.log.info({ peerId, role, resumed: Boolean(resumed) }, 'peer joined');
    }
    return {
      peer,
      result: {
        self: peer.info(),
        room: { id: this.id, kind: this.kind, endsAt: this.endsAt?.toISOString() ?? null },
        admission: admitted ? 'admitted' : 'waiting',
        admitterPresent: this.admitterPresent(),
        peers: admitted ? this.visibleTo(peer) : [],
        waiting: hasPower(role, 'admit') ? this.waitingList() : [],
        chat: admitted ? await this.chatHistory(peer) : [],
        routerRtpCapabilities,
        transports: { send, recv },
      },
    };
  }

  /**
   * The connection is gone (not a «Выйти»): the peer's media close, but its place, role and
   * floor are kept for the resume grace, so a reload or a network switch is not a leave.
   */
  async disconnected(peer: Peer): Promise<void> {
    if (this.waiting.get(peer.id) === peer) return this.leave(peer);
    if (this.present.get(peer.id) !== peer || peer.away) return;
    peer.away = true;
    await this.dropMedia(peer);
    this.announce(peer, peer.floor);
    const timer = setTimeout(() => {
      this.awayTimers.delete(peer.id);
      if (this.present.get(peer.id) === peer && peer.away) void this.leave(peer);
    }, this.resumeGraceMs);
    timer.unref();
    this.awayTimers.set(peer.id, timer);
  }

  async leave(peer: Peer, opts: { keepRoom?: boolean } = {}): Promise<void> {
    if (this.waiting.get(peer.id) === peer) {
      this.waiting.delete(peer.id);
      this.waitingChanged();
    } else if (this.present.get(peer.id) === peer) {
      this.present.delete(peer.id);
      clearTimeout(this.awayTimers.get(peer.id));
      this.awayTimers.delete(peer.id);
      this.departed.set(peer.id, { ...peer.carried(), hand: false, until: Date.now() + this.resumeGraceMs });
      for (const p of this.present.values()) if (sees(this.kind, p.role, peer)) p.channel.emit('peerLeft', { peerId: peer.id });
      this.recordStay(peer, 'exited');
      if (hasPower(peer.role, 'admit')) this.admitterPresence();
      this.log.info({ peerId: peer.id }, 'peer left');
    } else {
      return;
    }
    if (this.sfu.connected) await this.sfu.request('closePeer', { roomId: this.id, peerId: peer.id }).catch(() => undefined);
    if (this.size === 0 && !opts.keepRoom) await this.close('ended');
  }

  /** Closes the room: every participant is told why, the SFU router goes with it. */
  async close(reason: RoomClosedReason): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopTimers();
    for (const peer of this.everyone()) peer.channel.emit('roomClosed', { reason });
    for (const peer of this.present.values()) this.recordStay(peer, 'exited');
    this.present.clear();
    this.waiting.clear();
    this.onClosed(this, reason); // before the await: a new join must get a fresh room, not this one
    if (this.sfu.connected) await this.sfu.request('closeRouter', { roomId: this.id }).catch(() => undefined);
    await Promise.all(this.writes);
    this.log.info({ reason }, 'room closed');
  }

  /** The SFU lost the room's media (worker died, node gone): everyone re-joins from scratch. */
  mediaLost(reason: 'worker_died' | 'sfu_disconnected'): RoomHandover | undefined {
    if (this.state === 'closed') return undefined;
    const until = Date.now() + this.resumeGraceMs;
    const departed = new Map(this.departed);
    for (const peer of this.present.values()) departed.set(peer.id, { ...peer.carried(), until });
    this.state = 'closed';
    this.stopTimers();
    for (const peer of this.everyone()) peer.channel.emit('mediaReset', { reason });
    for (const peer of this.present.values()) this.recordStay(peer, 'exited');
    this.present.clear();
    this.waiting.clear();
    this.log.warn({ reason }, 'room media lost; clients told to reconnect');
    this.onClosed(this);
    return { departed };
  }

  // --- media ---------------------------------------------------------------------------------

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    this.assertIn(peer);
    if (!peer.ownsTransport(transportId)) throw new ProtocolError('not_found', 'no such transport');
    await this.sfu.request('connectTransport', { roomId: this.id, peerId: peer.id, transportId, dtlsParameters });
  }

  /** The peer can receive (its Device is loaded): offer it everything already being sent. */
  async ready(peer: Peer, rtpCapabilities: RtpCapabilities): Promise<void> {
    this.assertIn(peer);
    peer.rtpCapabilities = rtpCapabilities;
    this.offerExisting(peer);
  }

  /** Offers the peer every producer of the others it sees; called once it can receive and is let in. */
  offerExisting(peer: Peer): void {
    if (this.present.get(peer.id) !== peer || !peer.rtpCapabilities) return;
    for (const other of this.present.values()) {
      if (other === peer || !sees(this.kind, peer.role, other)) continue;
      for (const producer of other.producers.values()) void this.offerConsumer(peer, other, producer);
    }
  }

  async produce(peer: Peer, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, source: MediaSource): Promise<string> {
    this.assertMember(peer);
    if (transportId !== peer.sendTransportId) throw new ProtocolError('not_found', 'no such send transport');
    if ((source === 'mic') !== (kind === 'audio')) throw new ProtocolError('bad_request', `a ${source} producer cannot be ${kind}`);
    if (!mayProduce(peer.role, peer.floor, source)) {
      throw new ProtocolError('forbidden', `a ${peer.role} may not send ${source} now`, { floor: peer.floor });
    }
    if (peer.producerOf(source)) throw new ProtocolError('forbidden', `already sending ${source}`);
    const { producerId } = await this.sfu.request('produce', {
      roomId: this.id,
      peerId: peer.id,
      transportId,
      kind,
      rtpParameters,
      source,
    });
    // The floor may have been taken back while the SFU worked: then the producer goes at once.
    if (this.present.get(peer.id) !== peer || !mayProduce(peer.role, peer.floor, source)) {
      await this.sfu.request('closeProducer', { roomId: this.id, peerId: peer.id, producerId }).catch(() => undefined);
      throw new ProtocolError('forbidden', `a ${peer.role} may not send ${source} now`);
    }
    const record: ProducerRecord = { id: producerId, kind, source, paused: false };
    peer.producers.set(producerId, record);
    for (const other of this.present.values()) {
      if (other !== peer && other.rtpCapabilities && sees(this.kind, other.role, peer)) void this.offerConsumer(other, peer, record);
    }
    this.announce(peer, peer.floor);
    return producerId;
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    const record = this.ownProducer(peer, producerId);
    if (!paused && !mayProduce(peer.role, peer.floor, record.source)) throw new ProtocolError('forbidden', 'no floor to speak');
    await this.sfu.request('setProducerPaused', { roomId: this.id, peerId: peer.id, producerId, paused });
    record.paused = paused;
    this.announce(peer, peer.floor);
  }

  async closeProducer(peer: Peer, producerId: string): Promise<void> {
    this.ownProducer(peer, producerId);
    await this.sfu.request('closeProducer', { roomId: this.id, peerId: peer.id, producerId });
    peer.producers.delete(producerId);
    this.announce(peer, peer.floor);
  }

  /** Audio-only: no video is forwarded to this peer (it saves a weak downlink) until it asks again. */
  async setAudioOnly(peer: Peer, audioOnly: boolean): Promise<void> {
    this.assertMember(peer);
    peer.audioOnly = audioOnly;
    const video = [...peer.consumers.values()].filter((c) => c.kind === 'video');
    await Promise.all(
      video.map((c) => this.sfu.request('setConsumerPaused', { roomId: this.id, peerId: peer.id, consumerId: c.id, paused: audioOnly })),
    );
    this.announce(peer, peer.floor);
  }

  onConsumerClosed(peerId: string, consumerId: string): void {
    const peer = this.present.get(peerId);
    if (peer?.consumers.delete(consumerId)) peer.channel.emit('consumerClosed', { consumerId });
  }

  onConsumerPaused(peerId: string, consumerId: string, paused: boolean): void {
    const peer = this.present.get(peerId);
    if (peer?.consumers.has(consumerId)) peer.channel.emit(paused ? 'consumerPaused' : 'consumerResumed', { consumerId });
  }

  // --- waiting room ----------------------------------------------------------------------------

  async admit(actor: Peer, targetId: string): Promise<void> {
    this.require(actor, 'admit');
    const target = this.waiter(targetId);
    this.waiting.delete(targetId);
    this.present.set(targetId, target);
    this.waitingChanged();
    target.channel.emit('admitted', { peers: this.visibleTo(target), chat: await this.chatHistory(target) });
    this.broadcastJoined(target);
    this.recordStay(target, 'entered');
    this.log.info({ peerId: targetId, by: actor.id }, 'peer admitted');
    // After the `admitted` event has left, so that the browser knows it is in.
    setImmediate(() => this.offerExisting(target));
  }

  async decline(actor: Peer, targetId: string): Promise<void> {
    this.require(actor, 'admit');
    const target = this.waiter(targetId);
    target.channel.emit('declined', {});
    await this.leave(target, { keepRoom: true });
    this.log.info({ peerId: targetId, by: actor.id }, 'peer declined');
  }

  // --- webinar: hands, floor, moderation -------------------------------------------------------

  raiseHand(peer: Peer, raised: boolean): void {
    this.require(peer, 'raise_hand');
    if (peer.hand === raised) return;
    peer.hand = raised;
    this.announce(peer, peer.floor);
  }

  /** `showName`: the other attendees see the speaker by name, not as «Участник N» (docs/security.md). */
  async grantFloor(actor: Peer, targetId: string, camera: boolean, showName = false): Promise<void> {
    const target = this.moderated(actor, targetId, 'floor');
    if (showName && !mayShowName(this.kind, actor.role, target.role)) throw new ProtocolError('forbidden', 'names are not shown here');
    await this.setFloor(target, camera ? 'full' : 'mic', showName);
  }

  async revokeFloor(actor: Peer, targetId: string): Promise<void> {
    const target = this.moderated(actor, targetId, 'floor');
    await this.setFloor(target, 'none');
  }

  /** Pauses the target's microphone at the SFU (nobody hears it at once) and tells its browser. */
  async mutePeer(actor: Peer, targetId: string): Promise<void> {
    const target = this.moderated(actor, targetId, 'mute');
    const mic = target.producerOf('mic');
    if (!mic || mic.paused) return;
    await this.sfu.request('setProducerPaused', { roomId: this.id, peerId: target.id, producerId: mic.id, paused: true });
    mic.paused = true;
    target.channel.emit('mediaStopped', { producerId: mic.id, source: 'mic', reason: 'muted' });
    this.announce(target, target.floor);
  }

  async removePeer(actor: Peer, targetId: string): Promise<void> {
    const target = this.moderated(actor, targetId, 'remove');
    this.removed.add(targetId);
    // For good: the link is revoked in the record (before the page can try again), so it
    // opens no later room either.
    await this.records.removed(targetId).catch((e: Error) => this.log.warn({ err: e.message }, 'could not revoke a removed link'));
    await this.takeOut(target, 'host');
    this.log.info({ peerId: targetId, by: actor.id }, 'peer removed');
  }

  /**
   * Staff revoked this participant's link: it is taken out now (present or waiting), told
   * why, and its place is not kept (no resume).
   */
  async revoked(participantId: string): Promise<void> {
    this.removed.add(participantId);
    const peer = this.present.get(participantId) ?? this.waiting.get(participantId);
    if (!peer) return;
    await this.takeOut(peer, 'link_revoked');
    this.log.info({ peerId: participantId }, 'peer taken out: link revoked');
  }

  /**
   * Out now, but not barred from this room: the holder of a client's old link after a new one
   * was issued (the new link may enter), a member of staff whose account was deactivated or
   * changed role (their ended session keeps them out). False when the participant is not here.
   */
  async takeOutParticipant(participantId: string, reason: RemovedReason): Promise<boolean> {
    const peer = this.present.get(participantId) ?? this.waiting.get(participantId);
    if (!peer) return false;
    await this.takeOut(peer, reason);
    return true;
  }

  /** Out of the room for good: told why, gone, and no place kept for a resume. */
  private async takeOut(peer: Peer, reason: RemovedReason): Promise<void> {
    peer.channel.emit('removed', { reason });
    await this.leave(peer);
    this.departed.delete(peer.id);
  }

  // --- dyad: the curator -----------------------------------------------------------------------

  async stepIn(curator: Peer): Promise<void> {
    this.require(curator, 'step_in');
    await this.setFloor(curator, 'full');
  }

  async stepOut(curator: Peer): Promise<void> {
    this.require(curator, 'step_in');
    await this.setFloor(curator, 'none');
  }

  // --- chat ----------------------------------------------------------------------------------

  async sendChat(peer: Peer, text: string, question: boolean): Promise<ChatMessage> {
    this.assertMember(peer);
    if (question && this.kind !== 'webinar') throw new ProtocolError('bad_request', 'questions are for webinars');
    return this.post(peer, question ? 'question' : 'message', text, null);
  }

  async postMaterial(peer: Peer, title: string, url: string): Promise<ChatMessage> {
    this.require(peer, 'post_material');
    return this.post(peer, 'material', title, url);
  }

  async markAnswered(actor: Peer, messageId: string): Promise<void> {
    this.require(actor, 'mark_answered');
    const message = await this.records.markAnswered(messageId);
    if (!message) throw new ProtocolError('not_found', 'no such question');
    for (const p of this.present.values()) p.channel.emit('chatUpdated', this.messageFor(p, message));
  }

  private async post(peer: Peer, kind: ChatMessage['kind'], text: string, url: string | null): Promise<ChatMessage> {
    await this.chatLimiter.consume(peer.id).catch(() => {
      throw new ProtocolError('rate_limited', 'too many messages');
    });
    const message = await this.records.saveChat({ participantId: peer.id, role: peer.role, label: peer.label, kind, text, url });
    for (const p of this.present.values()) if (p !== peer) p.channel.emit('chatMessage', this.messageFor(p, message));
    return message;
  }

  /** The chat so far, as `viewer` may read it. */
  private async chatHistory(viewer: Peer): Promise<ChatMessage[]> {
    const history = await this.records.chatHistory().catch((e: Error) => {
      this.log.warn({ err: e.message }, 'could not read the chat history');
      return [];
    });
    return history.map((m) => this.messageFor(viewer, m));
  }

  // --- names: what each participant is told of the others (room-policy.ts `seesName`) --------

  /** A webinar attendee's «Участник N», from the record (the same on every return); null for others. */
  private async attendeeNumber(peerId: string, role: RoomRole): Promise<number | null> {
    if (this.kind !== 'webinar' || role !== 'attendee') return null;
    const known = this.numbers.get(peerId);
    if (known !== undefined) return known;
    const next = this.numbering.then(() => this.records.attendeeNumber(peerId));
    this.numbering = next.catch(() => undefined);
    const number = await next;
    this.numbers.set(peerId, number);
    return number;
  }

  /** What `viewer` is told of `peer`: no name where it may not know it (it keeps the number). */
  private infoFor(viewer: Peer, peer: Peer): PeerInfo {
    const info = peer.info();
    return viewer.id === peer.id || seesName(this.kind, viewer.role, peer) ? info : { ...info, label: '' };
  }

  /** A chat line as `viewer` may read it: another attendee's line without the name (the chat never shows it). */
  private messageFor(viewer: Peer, message: ChatMessage): ChatMessage {
    return viewer.id === message.peerId || !namesHidden(this.kind, viewer.role, message.role) ? message : { ...message, label: '' };
  }

  // --- internals -------------------------------------------------------------------------------

  /**
   * Sets what a participant may send. Media it may no longer send are closed by the server
   * (its browser is told), so a taken-back floor holds whatever the browser does.
   */
  private async setFloor(target: Peer, floor: Floor, nameShown = false): Promise<void> {
    const before = target.floor;
    target.floor = floor;
    target.nameShown = floor !== 'none' && nameShown;
    if (floor !== 'none') target.hand = false;
    const revoked = [...target.producers.values()].filter((p) => !mayProduce(target.role, floor, p.source));
    await Promise.all(
      revoked.map(async (p) => {
        target.producers.delete(p.id);
        target.channel.emit('mediaStopped', { producerId: p.id, source: p.source, reason: 'floor_revoked' });
        await this.sfu.request('closeProducer', { roomId: this.id, peerId: target.id, producerId: p.id }).catch(() => undefined);
      }),
    );
    this.announce(target, before);
  }

  private async offerConsumer(receiver: Peer, sender: Peer, producer: ProducerRecord): Promise<void> {
    try {
      const c = await this.sfu.request('consume', {
        roomId: this.id,
        peerId: receiver.id,
        transportId: receiver.recvTransportId!,
        producerId: producer.id,
        rtpCapabilities: receiver.rtpCapabilities!,
      });
      if (this.present.get(receiver.id) !== receiver) return; // left meanwhile; closePeer cleans the SFU side
      receiver.consumers.set(c.consumerId, { id: c.consumerId, producerId: producer.id, kind: c.kind });
      const accepted = await receiver.channel.offerConsumer({
        consumerId: c.consumerId,
        producerId: producer.id,
        peerId: sender.id,
        kind: c.kind,
        source: producer.source,
        rtpParameters: c.rtpParameters,
        producerPaused: c.producerPaused,
      });
      if (!accepted || !receiver.consumers.has(c.consumerId)) return;
      if (c.kind === 'video' && receiver.audioOnly) return; // stays paused until audio-only ends
      await this.sfu.request('setConsumerPaused', { roomId: this.id, peerId: receiver.id, consumerId: c.consumerId, paused: false });
    } catch (e) {
      this.log.warn({ receiver: receiver.id, producerId: producer.id, err: (e as Error).message }, 'could not offer consumer');
    }
  }

  /** Closes a peer's media at the SFU and forgets its ids (a replaced or disconnected self). */
  private async dropMedia(peer: Peer): Promise<void> {
    peer.producers.clear();
    peer.consumers.clear();
    peer.rtpCapabilities = undefined;
    if (this.sfu.connected) await this.sfu.request('closePeer', { roomId: this.id, peerId: peer.id }).catch(() => undefined);
  }

  private recordStay(peer: Peer, what: 'entered' | 'exited'): void {
    this.track(what === 'entered' ? this.records.entered(peer.id, peer.role) : this.records.exited(peer.id), what);
  }

  /** A record write that closing waits for; a failure is logged (without personal data), never thrown. */
  private track(write: Promise<void>, what: string): void {
    const done = write
      .catch((e: Error) => this.log.warn({ err: e.message, what }, 'could not write to the record'))
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
  }

  private ownProducer(peer: Peer, producerId: string): ProducerRecord {
    this.assertMember(peer);
    const record = peer.producers.get(producerId);
    if (!record) throw new ProtocolError('not_found', 'no such producer');
    return record;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new ProtocolError('room_closed', 'the room is closed');
  }

  /** Present or waiting: transports may be connected (a waiting client's preview is ready to go). */
  private assertIn(peer: Peer): void {
    this.assertOpen();
    if (!this.has(peer)) throw new ProtocolError('not_joined', 'not in this room');
  }

  /** Let in (not waiting). */
  private assertMember(peer: Peer): void {
    this.assertIn(peer);
    if (this.waiting.get(peer.id) === peer) throw new ProtocolError('not_admitted', 'wait until you are let in');
  }

  private require(peer: Peer, power: RoomPower): void {
    this.assertMember(peer);
    if (!hasPower(peer.role, power)) throw new ProtocolError('forbidden', `a ${peer.role} may not do this here`);
  }

  private moderated(actor: Peer, targetId: string, action: 'mute' | 'floor' | 'remove'): Peer {
    this.require(actor, 'moderate');
    const target = this.present.get(targetId);
    if (!target || target === actor) throw new ProtocolError('not_found', 'no such participant');
    if (!mayModerate(actor.role, target.role, action))
      throw new ProtocolError('forbidden', `a ${actor.role} may not do this to a ${target.role}`);
    return target;
  }

  private waiter(targetId: string): Peer {
    const target = this.waiting.get(targetId);
    if (!target) throw new ProtocolError('not_found', 'nobody with this id waits');
    return target;
  }

  private everyone(): Peer[] {
    return [...this.present.values(), ...this.waiting.values()];
  }

  private visibleTo(viewer: Peer): PeerInfo[] {
    return [...this.present.values()].filter((p) => p !== viewer && sees(this.kind, viewer.role, p)).map((p) => this.infoFor(viewer, p));
  }

  private waitingList(): WaitingPeer[] {
    return [...this.waiting.values()].map((p) => ({ id: p.id, label: p.label, since: p.joinedAt.toISOString() }));
  }

  private admitterPresent(): boolean {
    return [...this.present.values()].some((p) => hasPower(p.role, 'admit') && !p.away);
  }

  private waitingChanged(): void {
    const waiting = this.waitingList();
    for (const p of this.present.values()) if (hasPower(p.role, 'admit')) p.channel.emit('waitingChanged', { waiting });
  }

  private admitterPresence(): void {
    const present = this.admitterPresent();
    for (const p of this.waiting.values()) p.channel.emit('admitterPresence', { present });
  }

  private broadcastJoined(peer: Peer): void {
    for (const p of this.present.values())
      if (p !== peer && sees(this.kind, p.role, peer)) p.channel.emit('peerJoined', this.infoFor(p, peer));
  }

  /**
   * Tells everyone (the peer itself too) a participant's new state. Whoever stops seeing it
   * (an attendee whose floor was taken back, for the other attendees) gets `peerLeft`;
   * whoever starts seeing it gets the update and adds it.
   */
  private announce(peer: Peer, floorBefore: Floor): void {
    for (const p of this.present.values()) {
      if (p === peer || sees(this.kind, p.role, peer)) p.channel.emit('peerUpdated', this.infoFor(p, peer));
      else if (sees(this.kind, p.role, { role: peer.role, floor: floorBefore })) p.channel.emit('peerLeft', { peerId: peer.id });
    }
    if (hasPower(peer.role, 'admit')) this.admitterPresence();
  }

  private stopTimers(): void {
    clearTimeout(this.limitTimer);
    for (const t of this.awayTimers.values()) clearTimeout(t);
    this.awayTimers.clear();
  }
}
