import {
  hasPower,
  ProtocolError,
  sees,
  seesName,
  type Floor,
  type PeerInfo,
  type RoomKind,
  type RoomPower,
  type WaitingPeer,
} from '@dp/protocol';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Peer } from './peer.ts';
import type { RoomSfu } from './room-sfu.ts';
import type { RoomRecords } from './room-store.ts';

/** Whether a room still takes part (`open`) or is gone (`closed`: ended, at its limit, or its media lost). */
export type RoomPhase = 'open' | 'closed';

export interface RoomCoreOptions {
  id: string;
  kind: RoomKind;
  sfu: RoomSfu;
  log: Logger;
  records: RoomRecords;
  clock: Clock;
}

/**
 * What every part of a room shares (room.ts, room-media.ts, room-floor.ts, room-chat.ts): who
 * is in it and who waits, what each participant is told of the others, the guards every
 * request passes, and the record writes that closing waits for.
 *
 * Participants are `present` (let in; `away` for up to the resume grace after losing the
 * connection) or `waiting` (a client before the specialist or curator admits it: it has
 * transports, but sends and receives nothing and sees no one).
 */
export class RoomCore {
  readonly id: string;
  readonly kind: RoomKind;
  readonly sfu: RoomSfu;
  readonly log: Logger;
  readonly records: RoomRecords;
  readonly clock: Clock;
  readonly present = new Map<string, Peer>();
  readonly waiting = new Map<string, Peer>();
  phase: RoomPhase = 'open';
  /** Record writes still running: closing waits for them, so a shutdown loses no stay. */
  private readonly writes = new Set<Promise<void>>();

  constructor(o: RoomCoreOptions) {
    this.id = o.id;
    this.kind = o.kind;
    this.sfu = o.sfu;
    this.log = o.log.child({ roomId: o.id });
    this.records = o.records;
    this.clock = o.clock;
  }

  /** Whether this peer object is still the room's (present or waiting), not replaced or gone. */
  has(peer: Peer): boolean {
    return this.present.get(peer.id) === peer || this.waiting.get(peer.id) === peer;
  }

  everyone(): Peer[] {
    return [...this.present.values(), ...this.waiting.values()];
  }

  // --- what each participant is told of the others (room-policy.ts `sees`, `seesName`) --------

  /** What `viewer` is told of `peer`: no name where it may not know it (it keeps the number). */
  infoFor(viewer: Peer, peer: Peer): PeerInfo {
    const info = peer.info();
    return viewer.id === peer.id || seesName(this.kind, viewer.role, peer) ? info : { ...info, label: '' };
  }

  visibleTo(viewer: Peer): PeerInfo[] {
    return [...this.present.values()].filter((p) => p !== viewer && sees(this.kind, viewer.role, p)).map((p) => this.infoFor(viewer, p));
  }

  broadcastJoined(peer: Peer): void {
    for (const p of this.present.values())
      if (p !== peer && sees(this.kind, p.role, peer)) p.channel.emit('peerJoined', this.infoFor(p, peer));
  }

  /**
   * Tells everyone (the peer itself too) a participant's new state. Whoever stops seeing it
   * (an attendee whose floor was taken back, for the other attendees) gets `peerLeft`;
   * whoever starts seeing it gets the update and adds it.
   */
  announce(peer: Peer, floorBefore: Floor): void {
    peer.markAudioOnly(this.clock.now());
    for (const p of this.present.values()) {
      if (p === peer || sees(this.kind, p.role, peer)) p.channel.emit('peerUpdated', this.infoFor(p, peer));
      else if (sees(this.kind, p.role, { role: peer.role, floor: floorBefore })) p.channel.emit('peerLeft', { peerId: peer.id });
    }
    if (hasPower(peer.role, 'admit')) this.admitterPresence();
  }

  // --- the waiting room's notices --------------------------------------------------------------

  waitingList(): WaitingPeer[] {
    return [...this.waiting.values()].map((p) => ({ id: p.id, label: p.label, since: p.joinedAt.toISOString() }));
  }

  /** To those who admit: who waits now. */
  waitingChanged(): void {
    const waiting = this.waitingList();
    for (const p of this.present.values()) if (hasPower(p.role, 'admit')) p.channel.emit('waitingChanged', { waiting });
  }

  admitterPresent(): boolean {
    return [...this.present.values()].some((p) => hasPower(p.role, 'admit') && !p.away);
  }

  /** To those who wait: whether someone who can let them in is here. */
  admitterPresence(): void {
    const present = this.admitterPresent();
    for (const p of this.waiting.values()) p.channel.emit('admitterPresence', { present });
  }

  // --- the record ------------------------------------------------------------------------------

  recordStay(peer: Peer, what: 'entered' | 'exited'): void {
    const now = this.clock.now();
    peer.markAudioOnly(now);
    this.track(what === 'entered' ? this.records.entered(peer.id, peer.role) : this.records.exited(peer.id, peer.audioOnlyMs(now)), what);
  }

  /** A record write that closing waits for; a failure is logged (without personal data), never thrown. */
  track(write: Promise<void>, what: string): void {
    const done = write
      .catch((e: Error) => this.log.warn({ err: e.message, what }, 'could not write to the record'))
      .finally(() => this.writes.delete(done));
    this.writes.add(done);
  }

  /** Resolves once every record write begun so far has ended. */
  async settled(): Promise<void> {
    await Promise.all(this.writes);
  }

  // --- guards ----------------------------------------------------------------------------------

  assertOpen(): void {
    if (this.phase !== 'open') throw new ProtocolError('room_closed', 'the room is closed');
  }

  /** Present or waiting: transports may be connected (a waiting client's preview is ready to go). */
  assertIn(peer: Peer): void {
    this.assertOpen();
    if (!this.has(peer)) throw new ProtocolError('not_joined', 'not in this room');
  }

  /** Let in (not waiting). */
  assertMember(peer: Peer): void {
    this.assertIn(peer);
    if (this.waiting.get(peer.id) === peer) throw new ProtocolError('not_admitted', 'wait until you are let in');
  }

  /** Let in, and its role has `power` here (room-policy.ts). */
  require(peer: Peer, power: RoomPower): void {
    this.assertMember(peer);
    if (!hasPower(peer.role, power)) throw new ProtocolError('forbidden', `a ${peer.role} may not do this here`);
  }
}
