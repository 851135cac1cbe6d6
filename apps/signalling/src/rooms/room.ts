import {
  ProtocolError,
  type DtlsParameters,
  type MediaKind,
  type MediaSource,
  type PeerInfo,
  type RequestResult,
  type RoomClosedReason,
  type RoomKind,
  type RtpCapabilities,
  type RtpParameters,
} from '@dp/protocol';
import type { Logger } from 'pino';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { Peer, type PeerChannel, type ProducerRecord } from './peer.ts';

export type RoomState = 'open' | 'closed';

/**
 * One consultation's room: who is in it and what each may do. It owns the room's
 * router on the SFU — opened with the first participant, closed with the last.
 * Socket handlers are thin: they parse, call a method here, and acknowledge.
 */
export class Room {
  readonly id: string;
  readonly kind: RoomKind;
  private readonly peers = new Map<string, Peer>();
  private readonly sfu: SfuClient;
  private readonly log: Logger;
  private readonly onClosed: (room: Room, reason?: RoomClosedReason) => void;
  /** The hard limit (planned start + 60 min); null for a room without a timetable slot. */
  readonly endsAt: Date | null;
  private limitTimer: NodeJS.Timeout | undefined;
  state: RoomState = 'open';

  constructor(
    id: string,
    kind: RoomKind,
    sfu: SfuClient,
    log: Logger,
    onClosed: (room: Room, reason?: RoomClosedReason) => void,
    endsAt: Date | null = null,
  ) {
    this.id = id;
    this.kind = kind;
    this.sfu = sfu;
    this.log = log.child({ roomId: id });
    this.onClosed = onClosed;
    this.endsAt = endsAt;
    // The room enforces its own limit: a job that fires late or never cannot let it overrun.
    if (endsAt) this.armLimit(endsAt.getTime() - Date.now());
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

  /** «N minutes left», to everyone in the room. */
  warn(minutesLeft: number): void {
    if (this.state !== 'open' || !this.endsAt) return;
    for (const peer of this.peers.values()) peer.channel.emit('timeWarning', { minutesLeft, endsAt: this.endsAt.toISOString() });
  }

  get size(): number {
    return this.peers.size;
  }

  peerInfos(): PeerInfo[] {
    return [...this.peers.values()].map((p) => p.info());
  }

  /**
   * Admits a participant: opens (or finds) the router and creates both of its
   * transports in the same step, so the browser needs a single round trip. With
   * `rtpCapabilities` the peer is ready to receive as soon as the caller has
   * acknowledged the join (see `offerExisting`).
   */
  async join(
    peerId: string,
    role: Peer['role'],
    channel: PeerChannel,
    opts: { forceTcp: boolean; rtpCapabilities: RtpCapabilities | undefined },
  ): Promise<{ peer: Peer; result: RequestResult<'join'> }> {
    this.assertOpen();
    // The same participant again (a reload, a second tab): the newer one wins.
    const previous = this.peers.get(peerId);
    if (previous) await this.leave(previous, { keepRoom: true });
    const { rtpCapabilities: routerRtpCapabilities } = await this.sfu.request('openRouter', { roomId: this.id });
    const base = { roomId: this.id, peerId, forceTcp: opts.forceTcp };
    const [send, recv] = await Promise.all([
      this.sfu.request('createWebRtcTransport', { ...base, direction: 'send' }),
      this.sfu.request('createWebRtcTransport', { ...base, direction: 'recv' }),
    ]);
    if (this.state !== 'open') {
      await this.sfu.request('closePeer', { roomId: this.id, peerId }).catch(() => undefined);
      throw new ProtocolError('room_closed', 'the room is closed');
    }
    const peer = new Peer(peerId, role, channel);
    peer.sendTransportId = send.id;
    peer.recvTransportId = recv.id;
    peer.rtpCapabilities = opts.rtpCapabilities;
    const others = this.peerInfos();
    this.peers.set(peerId, peer);
    this.broadcast(peer, 'peerJoined', peer.info());
    this.log.info({ peerId, role }, 'peer joined');
    return {
      peer,
      result: {
        self: peer.info(),
        room: { id: this.id, kind: this.kind, endsAt: this.endsAt?.toISOString() ?? null },
        peers: others,
        routerRtpCapabilities,
        transports: { send, recv },
      },
    };
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    this.assertMember(peer);
    if (!peer.ownsTransport(transportId)) throw new ProtocolError('not_found', 'no such transport');
    await this.sfu.request('connectTransport', { roomId: this.id, peerId: peer.id, transportId, dtlsParameters });
  }

  /** The peer can receive (its Device is loaded): offer it everything already being sent. */
  async ready(peer: Peer, rtpCapabilities: RtpCapabilities): Promise<void> {
    this.assertMember(peer);
    peer.rtpCapabilities = rtpCapabilities;
    this.offerExisting(peer);
  }

  /** Offers the peer every producer of the others; called once it can receive. */
  offerExisting(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer || !peer.rtpCapabilities) return;
    for (const other of this.peers.values()) {
      if (other === peer) continue;
      for (const producer of other.producers.values()) void this.offerConsumer(peer, other, producer);
    }
  }

  async produce(peer: Peer, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, source: MediaSource): Promise<string> {
    this.assertMember(peer);
    if (transportId !== peer.sendTransportId) throw new ProtocolError('not_found', 'no such send transport');
    if ((source === 'mic') !== (kind === 'audio')) throw new ProtocolError('bad_request', `a ${source} producer cannot be ${kind}`);
    if ([...peer.producers.values()].some((p) => p.source === source)) throw new ProtocolError('forbidden', `already sending ${source}`);
    const { producerId } = await this.sfu.request('produce', {
      roomId: this.id,
      peerId: peer.id,
      transportId,
      kind,
      rtpParameters,
      source,
    });
    const record: ProducerRecord = { id: producerId, kind, source, paused: false };
    peer.producers.set(producerId, record);
    for (const other of this.peers.values()) {
      if (other !== peer && other.rtpCapabilities) void this.offerConsumer(other, peer, record);
    }
    this.broadcastUpdate(peer);
    return producerId;
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    const record = this.ownProducer(peer, producerId);
    await this.sfu.request('setProducerPaused', { roomId: this.id, peerId: peer.id, producerId, paused });
    record.paused = paused;
    this.broadcastUpdate(peer);
  }

  async closeProducer(peer: Peer, producerId: string): Promise<void> {
    this.ownProducer(peer, producerId);
    await this.sfu.request('closeProducer', { roomId: this.id, peerId: peer.id, producerId });
    peer.producers.delete(producerId);
    this.broadcastUpdate(peer);
  }

  /** Audio-only: no video is forwarded to this peer (it saves a weak downlink) until it asks again. */
  async setAudioOnly(peer: Peer, audioOnly: boolean): Promise<void> {
    this.assertMember(peer);
    peer.audioOnly = audioOnly;
    const video = [...peer.consumers.values()].filter((c) => c.kind === 'video');
    await Promise.all(
      video.map((c) => this.sfu.request('setConsumerPaused', { roomId: this.id, peerId: peer.id, consumerId: c.id, paused: audioOnly })),
    );
    this.broadcastUpdate(peer);
  }

  async leave(peer: Peer, opts: { keepRoom?: boolean } = {}): Promise<void> {
    if (this.peers.get(peer.id) !== peer) return;
    this.peers.delete(peer.id);
    this.log.info({ peerId: peer.id }, 'peer left');
    this.broadcast(peer, 'peerLeft', { peerId: peer.id });
    if (this.sfu.connected) await this.sfu.request('closePeer', { roomId: this.id, peerId: peer.id }).catch(() => undefined);
    if (this.peers.size === 0 && !opts.keepRoom) await this.close('ended');
  }

  /** Closes the room: every participant is told why, the SFU router goes with it. */
  async close(reason: RoomClosedReason): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.limitTimer);
    for (const peer of this.peers.values()) peer.channel.emit('roomClosed', { reason });
    this.peers.clear();
    this.onClosed(this, reason); // before the await: a new join must get a fresh room, not this one
    if (this.sfu.connected) await this.sfu.request('closeRouter', { roomId: this.id }).catch(() => undefined);
    this.log.info({ reason }, 'room closed');
  }

  /** The SFU lost the room's media (worker died, node gone): everyone re-joins from scratch. */
  mediaLost(reason: 'worker_died' | 'sfu_disconnected'): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.limitTimer);
    for (const peer of this.peers.values()) peer.channel.emit('mediaReset', { reason });
    this.peers.clear();
    this.log.warn({ reason }, 'room media lost; clients told to reconnect');
    this.onClosed(this);
  }

  onConsumerClosed(peerId: string, consumerId: string): void {
    const peer = this.peers.get(peerId);
    if (peer?.consumers.delete(consumerId)) peer.channel.emit('consumerClosed', { consumerId });
  }

  onConsumerPaused(peerId: string, consumerId: string, paused: boolean): void {
    const peer = this.peers.get(peerId);
    if (peer?.consumers.has(consumerId)) peer.channel.emit(paused ? 'consumerPaused' : 'consumerResumed', { consumerId });
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
      if (this.peers.get(receiver.id) !== receiver) return; // left meanwhile; closePeer cleans the SFU side
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

  private ownProducer(peer: Peer, producerId: string): ProducerRecord {
    this.assertMember(peer);
    const record = peer.producers.get(producerId);
    if (!record) throw new ProtocolError('not_found', 'no such producer');
    return record;
  }

  private assertOpen(): void {
    if (this.state !== 'open') throw new ProtocolError('room_closed', 'the room is closed');
  }

  private assertMember(peer: Peer): void {
    this.assertOpen();
    if (this.peers.get(peer.id) !== peer) throw new ProtocolError('not_joined', 'not in this room');
  }

  private broadcastUpdate(peer: Peer): void {
    this.broadcast(peer, 'peerUpdated', peer.info());
  }

  private broadcast<E extends 'peerJoined' | 'peerUpdated' | 'peerLeft'>(
    except: Peer,
    event: E,
    data: E extends 'peerLeft' ? { peerId: string } : PeerInfo,
  ): void {
    for (const p of this.peers.values()) {
      if (p !== except) (p.channel.emit as (e: string, d: unknown) => void)(event, data);
    }
  }
}
