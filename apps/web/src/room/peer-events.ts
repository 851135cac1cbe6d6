import type { ChatMessage, PeerInfo, WaitingPeer } from '@dp/protocol';
import type { MediaSession } from './media-session.ts';
import { namedParams } from './peer-label.ts';
import { appendChat, newWaiters, peerChangeStatus, removePeer, selfChangeStatus, upsertPeer } from './room-state.ts';
import type { RoomStore } from './state-store.ts';

/** How long after a peer joins (or leaves audio-only) its mic/camera "on" updates are not announced. */
const PEER_SETTLE_MS = 5_000;
const isSwitchOn = (key: string) => key === 'status.peerMicOn' || key === 'status.peerCameraOn';

/**
 * The room's social state as the server reports it: who is here and what changed about them,
 * who waits, whether someone who admits is online, the chat. Each change is also said in
 * the status line (read out by screen readers), without repeating what was just said.
 */
export class PeerEvents {
  /** When each peer last joined or left audio-only (see peerUpdated). */
  private readonly settling = new Map<string, number>();

  private readonly store: RoomStore;
  private readonly media: MediaSession;
  /** Our own floor changed: what we send follows it. */
  private readonly floorChanged: (before: PeerInfo, after: PeerInfo) => void;

  constructor(store: RoomStore, media: MediaSession, floorChanged: (before: PeerInfo, after: PeerInfo) => void) {
    this.store = store;
    this.media = media;
    this.floorChanged = floorChanged;
  }

  /** Joins and leaves of the silent webinar audience are not read out to the host: only those who lead or speak. */
  private worthAnnouncing(peer: PeerInfo): boolean {
    return this.store.state.room?.kind !== 'webinar' || peer.role !== 'attendee' || peer.floor !== 'none';
  }

  peerJoined(peer: PeerInfo): void {
    const state = this.store.state;
    if (peer.id === state.self?.id || state.admission !== 'admitted') return;
    const known = state.peers.some((p) => p.id === peer.id);
    this.settling.set(peer.id, performance.now());
    this.store.set({ peers: upsertPeer(state.peers, peer) });
    if (!known && this.worthAnnouncing(peer)) this.store.announce('status.peerJoined', namedParams(peer));
  }

  peerUpdated(peer: PeerInfo): void {
    const state = this.store.state;
    if (peer.id === state.self?.id) return this.selfUpdated(peer);
    if (state.admission !== 'admitted') return;
    const before = state.peers.find((p) => p.id === peer.id);
    // A peer we did not know (an attendee given the floor, seen by the other attendees) is added.
    if (!before) this.settling.set(peer.id, performance.now());
    this.store.set({ peers: upsertPeer(state.peers, peer) });
    const change = peerChangeStatus(before, peer);
    // A newcomer's microphone and camera (or a camera back from audio-only) come on a
    // moment after the sentence that already said so: those switches are not read out again.
    const settling = performance.now() - (this.settling.get(peer.id) ?? -Infinity) < PEER_SETTLE_MS;
    if (change && !(settling && isSwitchOn(change.key))) {
      this.store.announce(change.key, namedParams(peer));
    }
    if (change?.key === 'status.peerAudioOnlyOff') this.settling.set(peer.id, performance.now());
  }

  peerLeft(peerId: string): void {
    const peer = this.store.state.peers.find((p) => p.id === peerId);
    if (!peer) return;
    this.media.closePeer(peerId);
    this.settling.delete(peerId);
    this.store.set({ peers: removePeer(this.store.state.peers, peerId) });
    this.media.publishRemote();
    const kind = this.store.state.room?.kind;
    if (kind === 'one_to_one') this.store.announce('status.peerLeft');
    else if (this.worthAnnouncing(peer)) this.store.announce('status.peerLeftNamed', namedParams(peer));
  }

  /** Our own place as the server changed it (the floor, a hand): said in the status line and followed. */
  private selfUpdated(peer: PeerInfo): void {
    const before = this.store.state.self;
    this.store.set({ self: peer });
    const change = selfChangeStatus(before, peer);
    if (change) this.store.announce(change.key);
    if (before && before.floor !== peer.floor) this.floorChanged(before, peer);
  }

  admitterPresence(present: boolean): void {
    if (this.store.state.admitterPresent === present) return;
    this.store.set({ admitterPresent: present });
    if (this.store.state.admission === 'waiting') {
      this.store.announce(present ? 'status.admitterOnline' : 'status.admitterOffline', this.admitterParams());
    }
  }

  waitingChanged(waiting: WaitingPeer[]): void {
    const arrived = newWaiters(this.store.state.waiting, waiting);
    this.store.set({ waiting });
    const first = arrived[0];
    if (first) this.store.announce('status.clientWaiting', { label: first.label, role: 'client' });
  }

  chatMessage(message: ChatMessage): void {
    if (this.store.state.admission !== 'admitted') return;
    this.store.set({ chat: appendChat(this.store.state.chat, message) });
    const key =
      message.kind === 'question' ? 'status.newQuestion' : message.kind === 'material' ? 'status.newMaterial' : 'status.newMessage';
    this.store.announce(key, namedParams(message));
  }

  /** Who lets a waiting client in: named in the waiting room's sentences. */
  admitterParams(): Record<string, string> {
    return { label: '', role: this.store.state.room?.kind === 'dyad' ? 'curator' : 'specialist' };
  }

  /** After a join: «вы в консультации», or «вы в приёмной» when the join came back waiting. */
  announceEntry(inKey: string): void {
    const { waiting, admission } = this.store.state;
    const first = waiting[0];
    if (admission === 'waiting') this.store.announce('status.waiting', this.admitterParams());
    // Someone already waits for the specialist who just came in: that is the news.
    else if (first) this.store.announce('status.clientWaiting', { label: first.label, role: 'client' });
    else this.store.announce(inKey);
  }
}
