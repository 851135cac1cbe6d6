import {
  initialFloor,
  type ClientStatsReport,
  type Floor,
  type MediaKind,
  type MediaSource,
  type NewConsumer,
  type PeerInfo,
  type RoomRole,
  type RtpCapabilities,
  type ServerEvents,
} from '@dp/protocol';

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

/** What a participant keeps when it comes back within the resume grace (reload, lost network). */
export interface CarriedState {
  floor: Floor;
  hand: boolean;
  /** The host showed this speaker's name to the other attendees with the floor (room-policy.ts `seesName`). */
  nameShown: boolean;
}

/** One participant in a room, and the media ids it owns (the SFU checks them again). */
export class Peer {
  /** The participant id (one per person per consultation; a second tab replaces the first). */
  readonly id: string;
  readonly role: RoomRole;
  readonly label: string;
  /** A webinar attendee's «Участник N» (null for everyone else). */
  readonly number: number | null;
  readonly channel: PeerChannel;
  /** When it came in (the room's clock): the waiting room's «since». */
  readonly joinedAt: Date;
  sendTransportId: string | undefined;
  recvTransportId: string | undefined;
  /** Set by `ready`: the peer can receive, so consumers may be offered. */
  rtpCapabilities: RtpCapabilities | undefined;
  audioOnly = false;
  floor: Floor;
  hand = false;
  nameShown = false;
  /** Lost its connection; its place is kept for the resume grace. */
  away = false;
  readonly producers = new Map<string, ProducerRecord>();
  readonly consumers = new Map<string, ConsumerRecord>();
  /** The browser's latest own view of its connection (`clientStats`), for the health dashboard. */
  browserStats: { report: ClientStatsReport; at: number } | undefined;

  constructor(
    id: string,
    role: RoomRole,
    label: string,
    channel: PeerChannel,
    carried?: CarriedState,
    number: number | null = null,
    joinedAt: Date = new Date(),
  ) {
    this.id = id;
    this.joinedAt = joinedAt;
    this.role = role;
    this.label = label;
    this.number = number;
    this.channel = channel;
    this.floor = carried?.floor ?? initialFloor(role);
    this.hand = carried?.hand ?? false;
    this.nameShown = carried?.nameShown ?? false;
  }

  ownsTransport(transportId: string): boolean {
    return transportId === this.sendTransportId || transportId === this.recvTransportId;
  }

  producerOf(source: MediaSource): ProducerRecord | undefined {
    return [...this.producers.values()].find((p) => p.source === source);
  }

  carried(): CarriedState {
    return { floor: this.floor, hand: this.hand, nameShown: this.nameShown };
  }

  info(): PeerInfo {
    const live = (source: MediaSource) => [...this.producers.values()].some((p) => p.source === source && !p.paused);
    return {
      id: this.id,
      role: this.role,
      label: this.label,
      number: this.number,
      mic: live('mic'),
      camera: live('camera'),
      screen: live('screen'),
      audioOnly: this.audioOnly,
      floor: this.floor,
      hand: this.hand,
      away: this.away,
    };
  }
}
