import { mayModerate, mayShowName, ProtocolError, type Floor } from '@dp/protocol';
import type { Peer } from './peer.ts';
import type { RoomCore } from './room-core.ts';
import type { RoomMedia } from './room-media.ts';

/**
 * Who may speak: a webinar's hands, floor and moderation (hosts and co-hosts over attendees),
 * and a dyad's curator stepping in and out. What each role may do is room-policy.ts
 * (`mayModerate`, `mayShowName`, the `step_in` power); a taken-back floor closes the media
 * at the server, whatever the browser does.
 */
export class RoomFloor {
  private readonly core: RoomCore;
  private readonly media: RoomMedia;
  /** Takes a participant out for good (the room bars its link): room.ts. */
  private readonly removeFromRoom: (target: Peer) => Promise<void>;

  constructor(core: RoomCore, media: RoomMedia, removeFromRoom: (target: Peer) => Promise<void>) {
    this.core = core;
    this.media = media;
    this.removeFromRoom = removeFromRoom;
  }

  raiseHand(peer: Peer, raised: boolean): void {
    this.core.require(peer, 'raise_hand');
    if (peer.hand === raised) return;
    peer.hand = raised;
    this.core.announce(peer, peer.floor);
  }

  /** `showName`: the other attendees see the speaker by name, not as «Участник N» (docs/security.md). */
  async grantFloor(actor: Peer, targetId: string, camera: boolean, showName = false): Promise<void> {
    const target = this.moderated(actor, targetId, 'floor');
    if (showName && !mayShowName(this.core.kind, actor.role, target.role)) throw new ProtocolError('forbidden', 'names are not shown here');
    await this.setFloor(target, camera ? 'full' : 'mic', showName);
  }

  async revokeFloor(actor: Peer, targetId: string): Promise<void> {
    const target = this.moderated(actor, targetId, 'floor');
    await this.setFloor(target, 'none');
  }

  /** Pauses the target's microphone at the SFU (nobody hears it at once) and tells its browser. */
  async mutePeer(actor: Peer, targetId: string): Promise<void> {
    const target = this.moderated(actor, targetId, 'mute');
    if (await this.media.pauseMic(target)) this.core.announce(target, target.floor);
  }

  /** A host removes an attendee for the rest of the consultation (its link is revoked). */
  async removePeer(actor: Peer, targetId: string): Promise<void> {
    const target = this.moderated(actor, targetId, 'remove');
    await this.removeFromRoom(target);
    this.core.log.info({ peerId: targetId, by: actor.id }, 'peer removed');
  }

  // --- dyad: the curator -----------------------------------------------------------------------

  async stepIn(curator: Peer): Promise<void> {
    this.core.require(curator, 'step_in');
    await this.setFloor(curator, 'full');
  }

  async stepOut(curator: Peer): Promise<void> {
    this.core.require(curator, 'step_in');
    await this.setFloor(curator, 'none');
  }

  /**
   * Sets what a participant may send. Media it may no longer send are closed by the server
   * (its browser is told), so a taken-back floor holds whatever the browser does.
   */
  private async setFloor(target: Peer, floor: Floor, nameShown = false): Promise<void> {
    const before = target.floor;
    target.floor = floor;
    target.nameShown = floor !== 'none' && nameShown;
    if (floor !== 'none') target.hand = false;
    await this.media.closeUnallowed(target);
    this.core.announce(target, before);
  }

  private moderated(actor: Peer, targetId: string, action: 'mute' | 'floor' | 'remove'): Peer {
    this.core.require(actor, 'moderate');
    const target = this.core.present.get(targetId);
    if (!target || target === actor) throw new ProtocolError('not_found', 'no such participant');
    if (!mayModerate(actor.role, target.role, action))
      throw new ProtocolError('forbidden', `a ${actor.role} may not do this to a ${target.role}`);
    return target;
  }
}
