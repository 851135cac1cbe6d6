import type { ClientRequestName, RequestPayload, RequestResult } from '@dp/protocol';
import { toRoomError, type ClientErrorCode } from './room-error.ts';
import { appendChat } from './room-state.ts';
import { request, type RoomSocket } from './signalling.ts';
import type { RoomStore } from './state-store.ts';

/**
 * The room's requests on behalf of the person, once in the room: the waiting room, the
 * floor, moderation, the chat and materials. A refusal is said in the status line, never
 * thrown.
 */
export class RoomRequests {
  /** When this browser last pressed «Впустить», epoch ms (`performance.timeOrigin + now()`; the benchmark reads it). */
  admitClickedAt: number | undefined;

  private readonly store: RoomStore;
  /** The room's socket now (null before joining and after leaving). */
  private readonly socket: () => RoomSocket | null;
  /** The consultation was ended from this page: the end for this browser too. */
  private readonly ended: () => void;

  constructor(store: RoomStore, socket: () => RoomSocket | null, ended: () => void) {
    this.store = store;
    this.socket = socket;
    this.ended = ended;
  }

  /**
   * «Завершить консультацию» (the specialist, a host, the curator): the room closes for
   * everyone. Resolves null once it has ended, else the error code to say.
   */
  async endConsultation(): Promise<ClientErrorCode | null> {
    const socket = this.socket();
    if (!socket || !this.store.inRoom) return 'not_joined';
    try {
      await request(socket, 'endConsultation', {});
    } catch (e) {
      // The server's `roomClosed` comes before its answer, and this page closes its socket on it:
      // the answer is then lost, but the consultation has ended.
      if (this.store.state.phase === 'closed') return null;
      return toRoomError(e).code;
    }
    this.ended();
    return null;
  }

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
    await this.once('hand', () => this.act('raiseHand', { raised }));
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
    // The floor change itself arrives as our own peerUpdated (see onSelfUpdated).
    await this.once('stepIn', () => this.act('stepIn', {}));
  }

  async stepOut(): Promise<void> {
    await this.once('stepIn', () => this.act('stepOut', {}));
  }

  /** Sends a chat line (in a webinar, optionally as a question). Resolves false when it did not go. */
  async sendChat(text: string, question = false): Promise<boolean> {
    const res = await this.act('sendChat', { text, ...(question ? { question: true } : {}) });
    if (!res) return false;
    this.store.set({ chat: appendChat(this.store.state.chat, res.message) });
    return true;
  }

  async markAnswered(messageId: string): Promise<void> {
    await this.act('markAnswered', { messageId });
  }

  /** A link given to the participants (it goes into the protocol's materials). */
  async postMaterial(title: string, url: string): Promise<boolean> {
    const res = await this.act('postMaterial', { title, url });
    if (!res) return false;
    this.store.set({ chat: appendChat(this.store.state.chat, res.message) });
    return true;
  }

  /** A request whose button ignores presses until its answer (`pending[which]`). */
  private async once(which: 'hand' | 'stepIn', run: () => Promise<unknown>): Promise<void> {
    if (this.store.state.pending[which]) return;
    this.store.setPending(which, true);
    try {
      await run();
    } finally {
      this.store.setPending(which, false);
    }
  }

  /** A room request on behalf of the user: a refusal is said in the status line, never thrown. */
  private async act<N extends ClientRequestName>(name: N, payload: RequestPayload<N>): Promise<RequestResult<N> | undefined> {
    const socket = this.socket();
    if (!socket || !this.store.inRoom) return undefined;
    try {
      return await request(socket, name, payload);
    } catch (e) {
      this.store.announceError(toRoomError(e).code);
      return undefined;
    }
  }
}
