import {
  hasPower,
  initialFloor,
  ProtocolError,
  RESUME_GRACE_MS,
  rolesOfKind,
  sees,
  waitsForAdmission,
  type PeerInfo,
  type RemovedReason,
  type RequestResult,
  type RoomClosedReason,
  type RoomKind,
  type RoomRole,
  type RtpCapabilities,
  type IceServer,
} from '@dp/protocol';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.ts';
import { Peer, type CarriedState, type PeerChannel } from './peer.ts';
import { RoomChat } from './room-chat.ts';
import { RoomCore, type RoomPhase } from './room-core.ts';
import { RoomFloor } from './room-floor.ts';
import { RoomMedia } from './room-media.ts';
import { resumeOnTransports } from './room-resume.ts';
import type { RoomSfu } from './room-sfu.ts';
import type { RoomRecords } from './room-store.ts';

export type { RoomPhase } from './room-core.ts';

export interface RoomOptions {
  id: string;
  kind: RoomKind;
  /** «Групповая консультация»: attendees enter with the floor (room-policy.ts initialFloor). */
  openFloor?: boolean;
  sfu: RoomSfu;
  log: Logger;
  records: RoomRecords;
  onClosed: (room: Room, reason?: RoomClosedReason) => void;
  /** The hard limit (planned start + 60 min); null for a room without a timetable slot. */
  endsAt?: Date | null;
  /** The booked end (planned start + booked duration), for the page's timer; the room closes at `endsAt`. */
  bookedEndsAt?: Date | null;
  resumeGraceMs?: number;
  /** From the room this one replaces after a media loss (RoomRegistry). */
  handover?: RoomHandover;
  /** The system clock unless a test drives time by hand. */
  clock?: Clock;
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
 * One consultation's room: who comes in, waits, leaves and is taken out, how it closes (at
 * its limit, by the staff who end it, when the last one leaves) — and its parts, one concern
 * each: `media` (room-media.ts: transports, producers, consumers on the SFU), `floor`
 * (room-floor.ts: a webinar's hands and moderation, a dyad's curator), `chat` (room-chat.ts).
 * What they share is RoomCore (room-core.ts). It owns the room's router on the SFU — opened
 * with the first participant, closed with the room. Socket handlers are thin: they parse,
 * call a method here or on a part, and acknowledge.
 */
export class Room {
  readonly id: string;
  readonly kind: RoomKind;
  readonly openFloor: boolean;
  readonly endsAt: Date | null;
  readonly bookedEndsAt: Date | null;
  readonly media: RoomMedia;
  readonly floor: RoomFloor;
  readonly chat: RoomChat;
  private readonly core: RoomCore;
  private readonly departed = new Map<string, Departed>();
  /** Removed by a host: their link does not open this room again. */
  private readonly removed = new Set<string>();
  /** Webinar attendees' «Участник N» (kept in the record; this only saves a query on a reconnect). */
  private readonly numbers = new Map<string, number>();
  /** Numbers are given one at a time (parallel first entries would all read the same max). */
  private numbering: Promise<unknown> = Promise.resolve();
  private readonly awayTimers = new Map<string, { cancel(): void }>();
  private readonly onClosed: RoomOptions['onClosed'];
  private readonly resumeGraceMs: number;
  private limitTimer: { cancel(): void } | undefined;
  /** «Завершить консультацию» under way: a second request waits for the same end. */
  private ending: Promise<void> | undefined;

  constructor(o: RoomOptions) {
    this.id = o.id;
    this.kind = o.kind;
    this.openFloor = o.openFloor ?? false;
    this.core = new RoomCore({ id: o.id, kind: o.kind, sfu: o.sfu, log: o.log, records: o.records, clock: o.clock ?? systemClock });
    this.media = new RoomMedia(this.core);
    this.floor = new RoomFloor(this.core, this.media, (target) => this.removeForGood(target));
    this.chat = new RoomChat(this.core);
    this.onClosed = o.onClosed;
    this.endsAt = o.endsAt ?? null;
    this.bookedEndsAt = o.bookedEndsAt ?? null;
    this.resumeGraceMs = o.resumeGraceMs ?? RESUME_GRACE_MS;
    const now = this.core.clock.now();
    for (const [id, d] of o.handover?.departed ?? []) if (d.until > now) this.departed.set(id, d);
    // The room enforces its own limit: a job that fires late or never cannot let it overrun.
    if (this.endsAt) this.limitTimer = this.core.clock.after(this.endsAt.getTime() - now, () => void this.close('time_limit'));
  }

  get phase(): RoomPhase {
    return this.core.phase;
  }

  get size(): number {
    return this.core.present.size + this.core.waiting.size;
  }

  /** Whether this peer object is still the room's (present or waiting), not replaced or gone. */
  has(peer: Peer): boolean {
    return this.core.has(peer);
  }

  peerInfos(): PeerInfo[] {
    return [...this.core.present.values()].map((p) => p.info());
  }

  /** Everyone in the room now, let in or waiting (the health dashboard's view). */
  members(): { peer: Peer; waiting: boolean }[] {
    return [
      ...[...this.core.present.values()].map((peer) => ({ peer, waiting: false })),
      ...[...this.core.waiting.values()].map((peer) => ({ peer, waiting: true })),
    ];
  }

  /** «N minutes left», to everyone in the room (the waiting room too): the timetable's warning jobs. */
  warn(minutesLeft: number): void {
    if (this.core.phase !== 'open' || !this.endsAt) return;
    for (const peer of this.core.everyone()) peer.channel.emit('timeWarning', { minutesLeft, endsAt: this.endsAt.toISOString() });
  }

  // --- entering and leaving ------------------------------------------------------------------

  /**
   * Lets a participant in, or into the waiting room: opens (or finds) the router and creates
   * both of its transports in the same step, so the browser needs a single round trip. With
   * `rtpCapabilities` the peer is ready to receive as soon as the caller has acknowledged
   * the join (see `media.offerExisting`). The same participant again (a reload, a second tab,
   * a lost connection) replaces its earlier self without the others seeing a leave.
   */
  async join(
    peerId: string,
    role: RoomRole,
    label: string,
    channel: PeerChannel,
    opts: {
      forceTcp: boolean;
      rtpCapabilities: RtpCapabilities | undefined;
      resume?: { send: string; recv: string } | undefined;
      iceServers?: IceServer[];
    },
  ): Promise<{ peer: Peer; result: RequestResult<'join'> }> {
    const core = this.core;
    core.assertOpen();
    if (this.removed.has(peerId)) throw new ProtocolError('removed', 'the host removed this participant');
    if (!rolesOfKind[this.kind].includes(role)) throw new ProtocolError('forbidden', `a ${role} has no place in a ${this.kind} room`);
    const [{ rtpCapabilities: routerRtpCapabilities }, number] = await Promise.all([
      core.sfu.request('openRouter', { roomId: this.id }),
      this.attendeeNumber(peerId, role),
    ]);
    const iceServers = opts.iceServers ?? [];
    const previous = core.present.get(peerId) ?? core.waiting.get(peerId);
    if (previous && opts.resume) {
      const resumed = await resumeOnTransports(this.core, this.media, previous, channel, opts.resume, opts.rtpCapabilities, () =>
        this.stopAwayTimer(previous.id),
      );
      if (resumed)
        return {
          peer: previous,
          result: {
            ...this.joinResult(previous, true, routerRtpCapabilities, resumed.transports),
            iceServers,
            resumed: resumed.held,
            chat: await this.chat.history(previous),
          },
        };
    }
    const base = { roomId: this.id, peerId, forceTcp: opts.forceTcp };
    // An earlier self's media go first (the SFU keys media by peer id).
    if (previous) await this.media.dropMedia(previous);
    const [send, recv] = await Promise.all([
      core.sfu.request('createWebRtcTransport', { ...base, direction: 'send' }),
      core.sfu.request('createWebRtcTransport', { ...base, direction: 'recv' }),
    ]);
    if (core.phase !== 'open') {
      await core.sfu.request('closePeer', { roomId: this.id, peerId }).catch(() => undefined);
      throw new ProtocolError('room_closed', 'the room is closed');
    }

    const now = core.clock.now();
    const resumed = core.present.get(peerId);
    const recent = this.departed.get(peerId);
    const carried = resumed?.carried() ?? (recent && recent.until > now ? recent : undefined);
    const peer = new Peer(peerId, role, label, channel, carried, number, new Date(now));
    if (resumed) peer.continueAudioOnly(resumed, now); // the same stay goes on
    if (!carried && this.openFloor) peer.floor = initialFloor(role, true);
    peer.sendTransportId = send.id;
    peer.recvTransportId = recv.id;
    peer.transportOptions = { send, recv };
    peer.rtpCapabilities = opts.rtpCapabilities;
    this.departed.delete(peerId);
    this.stopAwayTimer(peerId);
    core.waiting.delete(peerId);

    const admitted = carried !== undefined || !waitsForAdmission(this.kind, role);
    if (!admitted) {
      core.waiting.set(peerId, peer);
      core.waitingChanged();
      core.log.info({ peerId, role }, 'peer waiting');
    } else {
      core.present.set(peerId, peer);
      if (resumed) {
        core.announce(peer, resumed.floor);
      } else {
        core.broadcastJoined(peer);
        core.recordStay(peer, 'entered');
        if (hasPower(role, 'admit')) core.admitterPresence();
      }
      core.log.info({ peerId, role, resumed: Boolean(resumed) }, 'peer joined');
    }
    return {
      peer,
      result: {
        ...this.joinResult(peer, admitted, routerRtpCapabilities, { send, recv }),
        chat: admitted ? await this.chat.history(peer) : [],
        iceServers,
      },
    };
  }

  private joinResult(
    peer: Peer,
    admitted: boolean,
    routerRtpCapabilities: RtpCapabilities,
    transports: RequestResult<'join'>['transports'],
  ): Omit<RequestResult<'join'>, 'chat' | 'iceServers'> {
    const core = this.core;
    return {
      self: peer.info(),
      room: {
        id: this.id,
        kind: this.kind,
        endsAt: this.endsAt?.toISOString() ?? null,
        bookedEndsAt: this.bookedEndsAt?.toISOString() ?? null,
      },
      serverNow: new Date(core.clock.now()).toISOString(),
      admission: admitted ? 'admitted' : 'waiting',
      admitterPresent: core.admitterPresent(),
      peers: admitted ? core.visibleTo(peer) : [],
      waiting: hasPower(peer.role, 'admit') ? core.waitingList() : [],
      routerRtpCapabilities,
      transports,
    };
  }

  /**
   * A transport's ICE path went down or came back at the SFU (the peer's browser restarts ICE
   * meanwhile): the others see «переподключается» while it is down.
   */
  linkChanged(peerId: string, transportId: string, up: boolean): void {
    const peer = this.core.present.get(peerId);
    if (!peer?.ownsTransport(transportId)) return;
    const before = peer.linkDown.size;
    if (up) peer.linkDown.delete(transportId);
    else peer.linkDown.add(transportId);
    if ((before === 0) !== (peer.linkDown.size === 0)) this.core.announce(peer, peer.floor);
  }

  /**
   * The connection is gone (not a «Выйти»): its place, role, floor and media are kept for the
   * resume grace, so a reload or a network switch is not a leave.
   */
  async disconnected(peer: Peer, channel: PeerChannel = peer.channel): Promise<void> {
    const core = this.core;
    // Already back on another socket (it redialled before this one's loss was noticed).
    if (peer.channel !== channel) return;
    if (core.waiting.get(peer.id) === peer) return this.leave(peer);
    if (core.present.get(peer.id) !== peer || peer.away) return;
    peer.away = true;
    // Its media stay on the SFU for the grace: the page comes back on them (`resume`) and
    // only restarts ICE. The others' pictures of it freeze meanwhile, marked «переподключается».
    core.announce(peer, peer.floor);
    this.awayTimers.set(
      peer.id,
      core.clock.after(this.resumeGraceMs, () => {
        this.awayTimers.delete(peer.id);
        if (core.present.get(peer.id) === peer && peer.away) void this.leave(peer);
      }),
    );
  }

  async leave(peer: Peer, opts: { keepRoom?: boolean } = {}): Promise<void> {
    const core = this.core;
    if (core.waiting.get(peer.id) === peer) {
      core.waiting.delete(peer.id);
      core.waitingChanged();
    } else if (core.present.get(peer.id) === peer) {
      core.present.delete(peer.id);
      this.stopAwayTimer(peer.id);
      this.departed.set(peer.id, { ...peer.carried(), hand: false, until: core.clock.now() + this.resumeGraceMs });
      for (const p of core.present.values()) if (sees(this.kind, p.role, peer)) p.channel.emit('peerLeft', { peerId: peer.id });
      core.recordStay(peer, 'exited');
      if (hasPower(peer.role, 'admit')) core.admitterPresence();
      core.log.info({ peerId: peer.id }, 'peer left');
    } else {
      return;
    }
    await this.media.closePeer(peer.id);
    if (this.size === 0 && !opts.keepRoom) await this.close('ended');
  }

  // --- the end -------------------------------------------------------------------------------

  /**
   * «Завершить консультацию» (the specialist, a host or the curator: the `end` power). The end
   * is recorded first — so that a join from now on is refused `consultation_over` — then the
   * room closes for everyone with `roomClosed { reason: 'ended' }`. A second request (two
   * members of staff at once, a retry) answers like the first; once the room is closed there
   * is nothing left to end. A refusal of the record (the consultation has not begun) leaves
   * the room open.
   */
  async endConsultation(actor: Peer): Promise<void> {
    if (!hasPower(actor.role, 'end')) throw new ProtocolError('forbidden', `a ${actor.role} may not end the consultation`);
    if (this.ending) return this.ending;
    if (this.core.phase === 'closed') return;
    this.core.assertMember(actor);
    this.ending = (async () => {
      await this.core.records.ended('staff', actor.id);
      this.core.log.info({ by: actor.id }, 'consultation ended by staff');
      await this.close('ended');
    })();
    try {
      await this.ending;
    } catch (e) {
      this.ending = undefined;
      throw e;
    }
  }

  /**
   * Closes the room: every participant is told why, the SFU router goes with it. At the limit
   * (the room's own timer, or the timetable's job, whichever comes first) the record says so.
   * A second call does nothing.
   */
  async close(reason: RoomClosedReason): Promise<void> {
    const core = this.core;
    if (core.phase === 'closed') return;
    core.phase = 'closed';
    this.stopTimers();
    if (reason === 'time_limit') core.track(core.records.ended('limit', null), 'the limit');
    for (const peer of core.everyone()) peer.channel.emit('roomClosed', { reason });
    for (const peer of core.present.values()) core.recordStay(peer, 'exited');
    core.present.clear();
    core.waiting.clear();
    this.onClosed(this, reason); // before the await: a new join must get a fresh room, not this one
    if (core.sfu.connected) await core.sfu.request('closeRouter', { roomId: this.id }).catch(() => undefined);
    await core.settled();
    core.log.info({ reason }, 'room closed');
  }

  /** The SFU lost the room's media (worker died, node gone): everyone re-joins from scratch. */
  mediaLost(reason: 'worker_died' | 'sfu_disconnected'): RoomHandover | undefined {
    const core = this.core;
    if (core.phase === 'closed') return undefined;
    const until = core.clock.now() + this.resumeGraceMs;
    const departed = new Map(this.departed);
    for (const peer of core.present.values()) departed.set(peer.id, { ...peer.carried(), until });
    core.phase = 'closed';
    this.stopTimers();
    for (const peer of core.everyone()) peer.channel.emit('mediaReset', { reason });
    for (const peer of core.present.values()) core.recordStay(peer, 'exited');
    core.present.clear();
    core.waiting.clear();
    core.log.warn({ reason }, 'room media lost; clients told to reconnect');
    this.onClosed(this);
    return { departed };
  }

  // --- the waiting room ----------------------------------------------------------------------

  async admit(actor: Peer, targetId: string): Promise<void> {
    const core = this.core;
    core.require(actor, 'admit');
    const target = this.waiter(targetId);
    core.waiting.delete(targetId);
    core.present.set(targetId, target);
    core.waitingChanged();
    // Its receive path connected while it waited: the held consumers resume at once (a key frame
    // each), in parallel with reading the chat for the `admitted` event — that is all admission
    // costs on the media side. Frames that overtake the event wait in the page's hidden players.
    void this.media.releaseHeld(target);
    target.channel.emit('admitted', { peers: core.visibleTo(target), chat: await this.chat.history(target) });
    core.broadcastJoined(target);
    core.recordStay(target, 'entered');
    core.log.info({ peerId: targetId, by: actor.id }, 'peer admitted');
    // After the `admitted` event has left: anything it was not offered yet (a Device loaded late).
    setImmediate(() => this.media.offerExisting(target));
  }

  async decline(actor: Peer, targetId: string): Promise<void> {
    this.core.require(actor, 'admit');
    const target = this.waiter(targetId);
    target.channel.emit('declined', {});
    await this.leave(target, { keepRoom: true });
    this.core.log.info({ peerId: targetId, by: actor.id }, 'peer declined');
  }

  // --- taken out -----------------------------------------------------------------------------

  /**
   * Staff revoked this participant's link: it is taken out now (present or waiting), told
   * why, and its place is not kept (no resume).
   */
  async revoked(participantId: string): Promise<void> {
    this.removed.add(participantId);
    const peer = this.core.present.get(participantId) ?? this.core.waiting.get(participantId);
    if (!peer) return;
    await this.takeOut(peer, 'link_revoked');
    this.core.log.info({ peerId: participantId }, 'peer taken out: link revoked');
  }

  /**
   * Out now, but not barred from this room: the holder of a client's old link after a new one
   * was issued (the new link may enter), a member of staff whose account was deactivated or
   * changed role (their ended session keeps them out). False when the participant is not here.
   */
  async takeOutParticipant(participantId: string, reason: RemovedReason): Promise<boolean> {
    const peer = this.core.present.get(participantId) ?? this.core.waiting.get(participantId);
    if (!peer) return false;
    await this.takeOut(peer, reason);
    return true;
  }

  /** A host removed the participant: barred from this room, and its link revoked in the record (so no later room either). */
  private async removeForGood(target: Peer): Promise<void> {
    this.removed.add(target.id);
    // Before the page can try again.
    await this.core.records
      .removed(target.id)
      .catch((e: Error) => this.core.log.warn({ err: e.message }, 'could not revoke a removed link'));
    await this.takeOut(target, 'host');
  }

  /** Out of the room for good: told why, gone, and no place kept for a resume. */
  private async takeOut(peer: Peer, reason: RemovedReason): Promise<void> {
    peer.channel.emit('removed', { reason });
    await this.leave(peer);
    this.departed.delete(peer.id);
  }

  // --- internals -------------------------------------------------------------------------------

  /** A webinar attendee's «Участник N», from the record (the same on every return); null for others. */
  private async attendeeNumber(peerId: string, role: RoomRole): Promise<number | null> {
    if (this.kind !== 'webinar' || role !== 'attendee') return null;
    const known = this.numbers.get(peerId);
    if (known !== undefined) return known;
    const next = this.numbering.then(() => this.core.records.attendeeNumber(peerId));
    this.numbering = next.catch(() => undefined);
    const number = await next;
    this.numbers.set(peerId, number);
    return number;
  }

  private waiter(targetId: string): Peer {
    const target = this.core.waiting.get(targetId);
    if (!target) throw new ProtocolError('not_found', 'nobody with this id waits');
    return target;
  }

  private stopAwayTimer(peerId: string): void {
    this.awayTimers.get(peerId)?.cancel();
    this.awayTimers.delete(peerId);
  }

  private stopTimers(): void {
    this.limitTimer?.cancel();
    for (const t of this.awayTimers.values()) t.cancel();
    this.awayTimers.clear();
  }
}
