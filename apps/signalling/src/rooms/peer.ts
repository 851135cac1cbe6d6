import type { MediaKind, MediaSource, NewConsumer, PeerInfo, RoomRole, RtpCapabilities, ServerEvents } from '@dp/protocol';

/** How a room reaches one participant's browser (a socket.io socket in production). */
export interface PeerChannel {
  emit<E extends Exclude<keyof ServerEvents, 'newConsumer'>>(event: E, ...args: Parameters<ServerEvents[E]>): void;
  /** Offers a consumer; resolves true once the browser has set it up. */
  offerConsumer(data: NewConsumer): Promise<boolean>;
}

export interface ProducerRecord {
  id: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface ConsumerRecord {
  id: string;
  producerId: string;
  kind: MediaKind;
}

/** One participant in a room, and the media ids it owns (the SFU checks them again). */
export class Peer {
  readonly id: string;
  readonly role: RoomRole;
  readonly channel: PeerChannel;
  readonly joinedAt = new Date();
  sendTransportId: string | undefined;
  recvTransportId: string | undefined;
  /** Set by `ready`: the peer can receive, so consumers may be offered. */
  rtpCapabilities: RtpCapabilities | undefined;
  audioOnly = false;
  readonly producers = new Map<string, ProducerRecord>();
  readonly consumers = new Map<string, ConsumerRecord>();

  constructor(id: string, role: RoomRole, channel: PeerChannel) {
    this.id = id;
    this.role = role;
    this.channel = channel;
  }

  ownsTransport(transportId: string): boolean {
    return transportId === this.sendTransportId || transportId === this.recvTransportId;
  }

  info(): PeerInfo {
    const live = (source: MediaSource) => [...this.producers.values()].some((p) => p.source === source && !p.paused);
    return { id: this.id, role: this.role, label: '', mic: live('mic'), camera: live('camera'), audioOnly: this.audioOnly };
  }
}
