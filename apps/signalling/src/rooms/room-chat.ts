import { namesHidden, ProtocolError, type ChatMessage } from '@dp/protocol';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Peer } from './peer.ts';
import type { RoomCore } from './room-core.ts';

/**
 * The room's chat, kept with the consultation (it is part of the record): messages, a
 * webinar's questions, and materials from the staff who lead. Another attendee's line
 * reaches an attendee without the name (room-policy.ts `namesHidden`).
 */
export class RoomChat {
  private readonly core: RoomCore;
  private readonly limiter = new RateLimiterMemory({ points: 5, duration: 5 });

  constructor(core: RoomCore) {
    this.core = core;
  }

  async sendChat(peer: Peer, text: string, question: boolean): Promise<ChatMessage> {
    this.core.assertMember(peer);
    if (question && this.core.kind !== 'webinar') throw new ProtocolError('bad_request', 'questions are for webinars');
    return this.post(peer, question ? 'question' : 'message', text, null);
  }

  async postMaterial(peer: Peer, title: string, url: string): Promise<ChatMessage> {
    this.core.require(peer, 'post_material');
    return this.post(peer, 'material', title, url);
  }

  async markAnswered(actor: Peer, messageId: string): Promise<void> {
    this.core.require(actor, 'mark_answered');
    const message = await this.core.records.markAnswered(messageId);
    if (!message) throw new ProtocolError('not_found', 'no such question');
    for (const p of this.core.present.values()) p.channel.emit('chatUpdated', this.messageFor(p, message));
  }

  /** The chat so far, as `viewer` may read it (nothing when the record cannot be read: entering matters more). */
  async history(viewer: Peer): Promise<ChatMessage[]> {
    const history = await this.core.records.chatHistory().catch((e: Error) => {
      this.core.log.warn({ err: e.message }, 'could not read the chat history');
      return [];
    });
    return history.map((m) => this.messageFor(viewer, m));
  }

  private async post(peer: Peer, kind: ChatMessage['kind'], text: string, url: string | null): Promise<ChatMessage> {
    await this.limiter.consume(peer.id).catch(() => {
      throw new ProtocolError('rate_limited', 'too many messages');
    });
    const message = await this.core.records.saveChat({ participantId: peer.id, role: peer.role, label: peer.label, kind, text, url });
    for (const p of this.core.present.values()) if (p !== peer) p.channel.emit('chatMessage', this.messageFor(p, message));
    return message;
  }

  /** A chat line as `viewer` may read it: another attendee's line without the name (the chat never shows it). */
  private messageFor(viewer: Peer, message: ChatMessage): ChatMessage {
    return viewer.id === message.peerId || !namesHidden(this.core.kind, viewer.role, message.role) ? message : { ...message, label: '' };
  }
}
