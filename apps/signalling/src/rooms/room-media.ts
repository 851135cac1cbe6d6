import {
  mayProduce,
  ProtocolError,
  sees,
  type ClientStatsReport,
  type DtlsParameters,
  type MediaKind,
  type MediaSource,
  type RtpCapabilities,
  type RtpParameters,
  type SfuResponse,
} from '@dp/protocol';
import type { Peer, ProducerRecord } from './peer.ts';
import type { RoomCore } from './room-core.ts';

/**
 * A room's media on the SFU: transports, what each participant sends (producers) and what
 * it is offered of the others (consumers). Who may send what is room-policy.ts `mayProduce`,
 * checked again after every SFU round trip (the floor may have been taken back meanwhile).
 */
export class RoomMedia {
  private readonly core: RoomCore;

  constructor(core: RoomCore) {
    this.core = core;
  }

  async connectTransport(peer: Peer, transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    this.core.assertIn(peer);
    if (!peer.ownsTransport(transportId)) throw new ProtocolError('not_found', 'no such transport');
    await this.core.sfu.request('connectTransport', { roomId: this.core.id, peerId: peer.id, transportId, dtlsParameters });
  }

  /** New ICE parameters for one of the peer's transports: its path failed or its network changed. */
  async restartIce(peer: Peer, transportId: string): Promise<SfuResponse<'restartIce'>> {
    this.core.assertIn(peer);
    if (!peer.ownsTransport(transportId)) throw new ProtocolError('not_found', 'no such transport');
    return this.core.sfu.request('restartIce', { roomId: this.core.id, peerId: peer.id, transportId });
  }

  /** The peer can receive (its Device is loaded): offer it everything already being sent. */
  async ready(peer: Peer, rtpCapabilities: RtpCapabilities): Promise<void> {
    this.core.assertIn(peer);
    peer.rtpCapabilities = rtpCapabilities;
    this.offerExisting(peer);
  }

  /**
   * Offers the peer every producer of the others it sees and has no consumer of yet; called
   * once it can receive. A peer in the waiting room gets them held paused on the SFU: nothing
   * is forwarded, but its receive path connects (ICE + DTLS) while it waits.
   */
  offerExisting(peer: Peer): void {
    const { present, kind } = this.core;
    if (!this.core.has(peer) || !peer.rtpCapabilities) return;
    const consumed = new Set([...peer.consumers.values()].map((c) => c.producerId));
    for (const other of present.values()) {
      if (other === peer || !sees(kind, peer.role, other)) continue;
      for (const producer of other.producers.values()) if (!consumed.has(producer.id)) void this.offerConsumer(peer, other, producer);
    }
  }

  /** Let in: what it was offered while waiting starts flowing (each video with a key frame). */
  async releaseHeld(peer: Peer): Promise<void> {
    const held = [...peer.consumers.values()].filter((c) => c.held);
    await Promise.all(
      held.map(async (c) => {
        c.held = false;
        if (!c.accepted || (c.kind === 'video' && peer.audioOnly)) return;
        await this.core.sfu
          .request('setConsumerPaused', { roomId: this.core.id, peerId: peer.id, consumerId: c.id, paused: false })
          .catch(() => undefined);
      }),
    );
  }

  /**
   * A page came back within the grace on its old transports: offers lost with the dropped
   * socket are withdrawn (closed on the SFU) and made again, and whatever it missed is offered.
   */
  async resumed(peer: Peer): Promise<void> {
    const lost = [...peer.consumers.values()].filter((c) => !c.accepted);
    for (const c of lost) peer.consumers.delete(c.id);
    // Closing the producer-less consumer is enough: its producer gets a new one just below.
    await Promise.all(
      lost.map((c) =>
        this.core.sfu.request('closeConsumer', { roomId: this.core.id, peerId: peer.id, consumerId: c.id }).catch(() => undefined),
      ),
    );
    this.offerExisting(peer);
  }

  async produce(peer: Peer, transportId: string, kind: MediaKind, rtpParameters: RtpParameters, source: MediaSource): Promise<string> {
    const core = this.core;
    core.assertMember(peer);
    if (transportId !== peer.sendTransportId) throw new ProtocolError('not_found', 'no such send transport');
    if ((source === 'mic') !== (kind === 'audio')) throw new ProtocolError('bad_request', `a ${source} producer cannot be ${kind}`);
    if (!mayProduce(peer.role, peer.floor, source)) {
      throw new ProtocolError('forbidden', `a ${peer.role} may not send ${source} now`, { floor: peer.floor });
    }
    const { producerId } = await core.sfu.request('produce', {
      roomId: core.id,
      peerId: peer.id,
      transportId,
      kind,
      rtpParameters,
      source,
    });
    // The floor may have been taken back while the SFU worked: then the producer goes at once.
    if (core.present.get(peer.id) !== peer || !mayProduce(peer.role, peer.floor, source)) {
      await core.sfu.request('closeProducer', { roomId: core.id, peerId: peer.id, producerId }).catch(() => undefined);
      throw new ProtocolError('forbidden', `a ${peer.role} may not send ${source} now`);
    }
    // One producer per source: a second one replaces the first. The page only asks again when it
    // holds none, so the first is an orphan whose answer was lost with a dropped socket — it
    // carries no media, and refusing the new one would leave the page silent.
    const orphan = peer.producerOf(source);
    if (orphan) {
      peer.producers.delete(orphan.id);
      await core.sfu.request('closeProducer', { roomId: core.id, peerId: peer.id, producerId: orphan.id }).catch(() => undefined);
    }
    const record: ProducerRecord = { id: producerId, kind, source, paused: false };
    peer.producers.set(producerId, record);
    for (const other of core.everyone()) {
      if (other !== peer && other.rtpCapabilities && sees(core.kind, other.role, peer)) void this.offerConsumer(other, peer, record);
    }
    core.announce(peer, peer.floor);
    return producerId;
  }

  async setProducerPaused(peer: Peer, producerId: string, paused: boolean): Promise<void> {
    const record = this.ownProducer(peer, producerId);
    if (!paused && !mayProduce(peer.role, peer.floor, record.source)) throw new ProtocolError('forbidden', 'no floor to speak');
    await this.core.sfu.request('setProducerPaused', { roomId: this.core.id, peerId: peer.id, producerId, paused });
    record.paused = paused;
    this.core.announce(peer, peer.floor);
  }

  async closeProducer(peer: Peer, producerId: string): Promise<void> {
    this.ownProducer(peer, producerId);
    await this.core.sfu.request('closeProducer', { roomId: this.core.id, peerId: peer.id, producerId });
    peer.producers.delete(producerId);
    this.core.announce(peer, peer.floor);
  }

  /** Audio-only: no video is forwarded to this peer (it saves a weak downlink) until it asks again. */
  async setAudioOnly(peer: Peer, audioOnly: boolean): Promise<void> {
    this.core.assertMember(peer);
    peer.audioOnly = audioOnly;
    const video = [...peer.consumers.values()].filter((c) => c.kind === 'video');
    await Promise.all(
      video.map((c) =>
        this.core.sfu.request('setConsumerPaused', { roomId: this.core.id, peerId: peer.id, consumerId: c.id, paused: audioOnly }),
      ),
    );
    this.core.announce(peer, peer.floor);
  }

  /** The browser's own view of its connection: kept for the dashboard, used for nothing else. */
  clientStats(peer: Peer, report: ClientStatsReport): void {
    this.core.assertIn(peer);
    peer.browserStats = { report, at: this.core.clock.now() };
  }

  onConsumerClosed(peerId: string, consumerId: string): void {
    const peer = this.core.present.get(peerId) ?? this.core.waiting.get(peerId);
    if (peer?.consumers.delete(consumerId)) peer.channel.emit('consumerClosed', { consumerId });
  }

  onConsumerPaused(peerId: string, consumerId: string, paused: boolean): void {
    const peer = this.core.present.get(peerId) ?? this.core.waiting.get(peerId);
    if (peer?.consumers.has(consumerId)) peer.channel.emit(paused ? 'consumerPaused' : 'consumerResumed', { consumerId });
  }

  /** The layer the SFU forwards to this receiver changed (null: video paused for its bandwidth). */
  onConsumerLayers(peerId: string, consumerId: string, spatial: number | null): void {
    const peer = this.core.present.get(peerId);
    if (peer?.consumers.get(consumerId)?.accepted) peer.channel.emit('consumerLayers', { consumerId, spatial });
  }

  /** Pauses a microphone at the SFU (nobody hears it at once) and tells its browser; false when there was none to pause. */
  async pauseMic(target: Peer): Promise<boolean> {
    const mic = target.producerOf('mic');
    if (!mic || mic.paused) return false;
    await this.core.sfu.request('setProducerPaused', { roomId: this.core.id, peerId: target.id, producerId: mic.id, paused: true });
    mic.paused = true;
    target.channel.emit('mediaStopped', { producerId: mic.id, source: 'mic', reason: 'muted' });
    return true;
  }

  /** Closes whatever the target may no longer send with its floor (its browser is told), so a taken-back floor holds. */
  async closeUnallowed(target: Peer): Promise<void> {
    const revoked = [...target.producers.values()].filter((p) => !mayProduce(target.role, target.floor, p.source));
    await Promise.all(
      revoked.map(async (p) => {
        target.producers.delete(p.id);
        target.channel.emit('mediaStopped', { producerId: p.id, source: p.source, reason: 'floor_revoked' });
        await this.core.sfu.request('closeProducer', { roomId: this.core.id, peerId: target.id, producerId: p.id }).catch(() => undefined);
      }),
    );
  }

  /** Closes a peer's media at the SFU and forgets its ids (a replaced or disconnected self). */
  async dropMedia(peer: Peer): Promise<void> {
    peer.producers.clear();
    peer.consumers.clear();
    peer.rtpCapabilities = undefined;
    await this.closePeer(peer.id);
  }

  /** Everything of this peer at the SFU goes (when the SFU is reachable; a lost SFU has dropped it anyway). */
  async closePeer(peerId: string): Promise<void> {
    if (this.core.sfu.connected) await this.core.sfu.request('closePeer', { roomId: this.core.id, peerId }).catch(() => undefined);
  }

  private async offerConsumer(receiver: Peer, sender: Peer, producer: ProducerRecord): Promise<void> {
    const core = this.core;
    try {
      const c = await core.sfu.request('consume', {
        roomId: core.id,
        peerId: receiver.id,
        transportId: receiver.recvTransportId!,
        producerId: producer.id,
        rtpCapabilities: receiver.rtpCapabilities!,
      });
      if (!core.has(receiver)) return; // left meanwhile; closePeer cleans the SFU side
      const record = {
        id: c.consumerId,
        producerId: producer.id,
        kind: c.kind,
        accepted: false,
        held: core.waiting.get(receiver.id) === receiver,
      };
      receiver.consumers.set(c.consumerId, record);
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
      record.accepted = true;
      if (record.held) return; // waiting: resumed at admission (releaseHeld)
      if (c.kind === 'video' && receiver.audioOnly) return; // stays paused until audio-only ends
      await core.sfu.request('setConsumerPaused', { roomId: core.id, peerId: receiver.id, consumerId: c.consumerId, paused: false });
    } catch (e) {
      core.log.warn({ receiver: receiver.id, producerId: producer.id, err: (e as Error).message }, 'could not offer consumer');
    }
  }

  private ownProducer(peer: Peer, producerId: string): ProducerRecord {
    this.core.assertMember(peer);
    const record = peer.producers.get(producerId);
    if (!record) throw new ProtocolError('not_found', 'no such producer');
    return record;
  }
}
