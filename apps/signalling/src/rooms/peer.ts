import {
  initialFloor,
  mayProduce,
  type ClientStatsReport,
  type Floor,
  type MediaKind,
  type MediaSource,
  type NewConsumer,
  type PeerInfo,
  type RoomRole,
  type RtpCapabilities,
  type ServerEvents,
  type TransportOptions,
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
  /** The browser set it up (`newConsumer` acknowledged); an offer lost with a dropped socket is not. */
  accepted: boolean;
  /** Held paused on the SFU because the peer waits to be let in (resumed at admission). */
  held: boolean;
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
  /** The socket it is reached by now; a resume within the grace moves it to the new socket. */
  channel: PeerChannel;
  /** When it came in (the room's clock): the waiting room's «since». */
  readonly joinedAt: Date;
  sendTransportId: string | undefined;
  recvTransportId: string | undefined;
  /** What the browser was given for its transports (a resume returns them with new ICE parameters). */
  transportOptions: { send: TransportOptions; recv: TransportOptions } | undefined;
  /** Set by `ready`: the peer can receive, so consumers may be offered. */
  rtpCapabilities: RtpCapabilities | undefined;
  audioOnly = false;
  floor: Floor;
  hand = false;
  nameShown = false;
  /** Lost its connection; its place is kept for the resume grace. */
  away = false;
  /** Its transports whose ICE path is down at the SFU (the browser is restarting ICE): shown as away too. */
  readonly linkDown = new Set<string>();
  readonly producers = new Map<string, ProducerRecord>();
  readonly consumers = new Map<string, ConsumerRecord>();
  /** Audio-only time of this stay before `audioOnlySince` (ms); a resume within the grace carries it on. */
  private audioOnlyBefore = 0;
  /** Since when (room clock, ms) the participant has been audio only; null when it is not. */
  private audioOnlySince: number | null = null;
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

  /**
   * Audio only, for the journal: it asked for no video («Только звук»), or it may send its
   * camera but sends none (joined without a camera, or switched it off). A participant away
   * (lost connection) is neither.
   */
  isAudioOnly(): boolean {
    if (this.away) return false;
    if (this.audioOnly) return true;
    return mayProduce(this.role, this.floor, 'camera') && !this.live('camera');
  }

  /** Re-reads whether it is audio only now (`now`: the room's clock); called on every change of its media. */
  markAudioOnly(now: number): void {
    const on = this.isAudioOnly();
    if (on && this.audioOnlySince === null) this.audioOnlySince = now;
    else if (!on && this.audioOnlySince !== null) {
      this.audioOnlyBefore += Math.max(0, now - this.audioOnlySince);
      this.audioOnlySince = null;
    }
  }

  /** Milliseconds of this stay spent audio only, up to `now`. */
  audioOnlyMs(now: number): number {
    return this.audioOnlyBefore + (this.audioOnlySince === null ? 0 : Math.max(0, now - this.audioOnlySince));
  }

  /** Continues an earlier self's count (a resume within the grace is the same stay). */
  continueAudioOnly(previous: Peer, now: number): void {
    this.audioOnlyBefore = previous.audioOnlyMs(now);
  }

  private live(source: MediaSource): boolean {
    return [...this.producers.values()].some((p) => p.source === source && !p.paused);
  }

  info(): PeerInfo {
    const live = (source: MediaSource) => this.live(source);
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
      away: this.away || this.linkDown.size > 0,
    };
  }
}
