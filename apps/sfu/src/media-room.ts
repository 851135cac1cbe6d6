import { ProtocolError, type SfuPeerStats, type SfuRequest, type SfuResponse } from '@dp/protocol';
import type { types } from 'mediasoup';
import { consumerStats, producerStats, sampleAll, settle, transportStats } from './media-stats.ts';
import { VideoRetry } from './video-retry.ts';
import type { WorkerSlot } from './worker-pool.ts';

/** The media objects one participant owns; closing the peer closes all of them. */
interface PeerMedia {
  transports: Map<string, types.WebRtcTransport>;
  producers: Map<string, types.Producer>;
  consumers: Map<string, types.Consumer>;
}

export interface MediaRoomEvents {
  consumerClosed(peerId: string, consumerId: string): void;
  consumerPaused(peerId: string, consumerId: string, paused: boolean): void;
  consumerLayers(peerId: string, consumerId: string, spatial: number | null): void;
  transportLink(peerId: string, transportId: string, up: boolean): void;
}

/**
 * Seconds without the browser's ICE consent checks (Chromium sends one every ~5 s) before the
 * SFU calls a path lost. mediasoup's default is 30 s; 12 s tells the others «переподключается»
 * sooner while two lost checks in a row (10 % loss) still do not trip it.
 */
const ICE_CONSENT_TIMEOUT_S = 12;

/**
 * One room's router and every transport, producer and consumer in it, indexed by
 * the peer that owns them. Every request names its peer, and an id that peer does
 * not own answers `not_found` — a peer can never touch another peer's objects,
 * whatever signalling forwards.
 */
export class MediaRoom {
  readonly id: string;
  readonly router: types.Router;
  readonly slot: WorkerSlot;
  /** The signalling instance that opened the room (rooms die with their owner). */
  readonly owner: string;
  private readonly peers = new Map<string, PeerMedia>();
  /** Each receive transport's retry of video paused for bandwidth. */
  private readonly videoRetries = new Map<string, VideoRetry>();
  private readonly events: MediaRoomEvents;
  private readonly initialBitrate: number;

  constructor(id: string, router: types.Router, slot: WorkerSlot, owner: string, events: MediaRoomEvents, initialBitrate: number) {
    this.id = id;
    this.router = router;
    this.slot = slot;
    this.owner = owner;
    this.events = events;
    this.initialBitrate = initialBitrate;
  }

  get closed(): boolean {
    return this.router.closed;
  }

  close(): void {
    this.router.close(); // closes every transport, producer and consumer with it
    this.peers.clear();
  }

  async createWebRtcTransport(req: SfuRequest<'createWebRtcTransport'>): Promise<SfuResponse<'createWebRtcTransport'>> {
    const peer = this.peer(req.peerId, true);
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.slot.webRtcServer,
      enableUdp: !req.forceTcp,
      enableTcp: true,
      preferUdp: true,
      iceConsentTimeout: ICE_CONSENT_TIMEOUT_S,
      initialAvailableOutgoingBitrate: this.initialBitrate,
      appData: { peerId: req.peerId, direction: req.direction },
    });
    peer.transports.set(transport.id, transport);
    if (req.direction === 'recv') {
      this.videoRetries.set(transport.id, new VideoRetry(transport, (ids) => this.baseLayerRate(req.peerId, ids)));
    }
    transport.observer.once('close', () => {
      peer.transports.delete(transport.id);
      this.videoRetries.get(transport.id)?.close();
      this.videoRetries.delete(transport.id);
    });
    // Only the edges matter to signalling: a path that was up went down, or came back.
    let up = false;
    let paths = 0;
    transport.on('icestatechange', (state) => {
      const now = state === 'connected' || state === 'completed';
      if (now === up || state === 'closed' || (state === 'new' && !up)) return;
      up = now;
      this.events.transportLink(req.peerId, transport.id, now);
      if (now && paths > 0) this.refreshVideo(req.peerId, req.direction);
    });
    // A path back after a gap (a blackhole, a new address, ICE restarted on another network):
    // the pictures on it need a key frame. Asking at once saves the receiver's own request,
    // which comes only after its decoder has waited in vain.
    transport.on('iceselectedtuplechange', () => {
      if (++paths > 1) this.refreshVideo(req.peerId, req.direction);
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(req: SfuRequest<'connectTransport'>): Promise<void> {
    const transport = this.transportOf(req.peerId, req.transportId);
    await media(() => transport.connect({ dtlsParameters: req.dtlsParameters }));
  }

  /** New ICE credentials for the browser's restart; the transport and everything on it stay. */
  async restartIce(req: SfuRequest<'restartIce'>): Promise<SfuResponse<'restartIce'>> {
    const transport = this.transportOf(req.peerId, req.transportId);
    const iceParameters = await media(() => transport.restartIce());
    return { iceParameters };
  }

  async produce(req: SfuRequest<'produce'>): Promise<SfuResponse<'produce'>> {
    const transport = this.transportOf(req.peerId, req.transportId);
    if (transport.appData.direction !== 'send') throw new ProtocolError('forbidden', 'produce on a receive transport');
    const peer = this.peer(req.peerId);
    const producer = await media(() =>
      transport.produce({ kind: req.kind, rtpParameters: req.rtpParameters as types.RtpParameters, appData: { source: req.source } }),
    );
    peer.producers.set(producer.id, producer);
    producer.observer.once('close', () => peer.producers.delete(producer.id));
    return { producerId: producer.id };
  }

  async consume(req: SfuRequest<'consume'>): Promise<SfuResponse<'consume'>> {
    const transport = this.transportOf(req.peerId, req.transportId);
    if (transport.appData.direction !== 'recv') throw new ProtocolError('forbidden', 'consume on a send transport');
    if (!this.findProducer(req.producerId)) throw new ProtocolError('not_found', 'no such producer in this room');
    const rtpCapabilities = req.rtpCapabilities as types.RtpCapabilities;
    if (!this.router.canConsume({ producerId: req.producerId, rtpCapabilities })) {
      throw new ProtocolError('media_error', 'the receiver cannot decode this producer');
    }
    const peer = this.peer(req.peerId);
    // Created paused: it is resumed once the browser has set up its side, and the
    // resume asks for a key frame, so the first frame is decodable (join time).
    const consumer = await media(() => transport.consume({ producerId: req.producerId, rtpCapabilities, paused: true }));
    peer.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id));
    consumer.on('producerclose', () => this.events.consumerClosed(req.peerId, consumer.id));
    consumer.on('producerpause', () => this.events.consumerPaused(req.peerId, consumer.id, true));
    consumer.on('producerresume', () => this.events.consumerPaused(req.peerId, consumer.id, false));
    // mediasoup forwards the highest simulcast layer the receiver's bandwidth estimate allows
    // and none when even the lowest does not fit; VideoRetry then tries the link again now and
    // then (the estimate alone may never climb back). A consumer paused by us or at its source
    // also has no layer: that is not the link.
    if (consumer.type === 'simulcast' || consumer.type === 'svc') {
      const retry = this.videoRetries.get(transport.id);
      consumer.on('layerschange', (layers) => {
        const forLink = !layers && !consumer.paused && !consumer.producerPaused;
        retry?.noLayer(consumer.id, forLink);
        if (!layers && !forLink) return;
        this.events.consumerLayers(req.peerId, consumer.id, layers?.spatialLayer ?? null);
      });
      consumer.observer.on('pause', () => retry?.noLayer(consumer.id, false));
      consumer.observer.once('close', () => retry?.noLayer(consumer.id, false));
    }
    return {
      consumerId: consumer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters as SfuResponse<'consume'>['rtpParameters'],
      producerPaused: consumer.producerPaused,
    };
  }

  async setProducerPaused(req: SfuRequest<'setProducerPaused'>): Promise<void> {
    const producer = this.peer(req.peerId).producers.get(req.producerId);
    if (!producer) throw new ProtocolError('not_found', 'no such producer for this peer');
    await (req.paused ? producer.pause() : producer.resume());
  }

  closeProducer(req: SfuRequest<'closeProducer'>): void {
    const producer = this.peer(req.peerId).producers.get(req.producerId);
    if (!producer) throw new ProtocolError('not_found', 'no such producer for this peer');
    producer.close();
  }

  async setConsumerPaused(req: SfuRequest<'setConsumerPaused'>): Promise<void> {
    const consumer = this.peer(req.peerId).consumers.get(req.consumerId);
    if (!consumer) throw new ProtocolError('not_found', 'no such consumer for this peer');
    if (req.paused) {
      await consumer.pause();
    } else {
      await consumer.resume();
      if (consumer.kind === 'video') await consumer.requestKeyFrame();
    }
  }

  closeConsumer(req: SfuRequest<'closeConsumer'>): void {
    const consumer = this.peer(req.peerId).consumers.get(req.consumerId);
    if (!consumer) throw new ProtocolError('not_found', 'no such consumer for this peer');
    consumer.close();
  }

  closePeer(peerId: string): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    for (const t of [...peer.transports.values()]) t.close();
    this.peers.delete(peerId);
  }

  counts(): { transports: number; producers: number; consumers: number } {
    let transports = 0;
    let producers = 0;
    let consumers = 0;
    for (const p of this.peers.values()) {
      transports += p.transports.size;
      producers += p.producers.size;
      consumers += p.consumers.size;
    }
    return { transports, producers, consumers };
  }

  /**
   * Every peer's transports, producers and consumers with mediasoup's figures, all asked
   * for at once. Only reports: it keeps no reference and changes nothing. Objects that
   * close (or do not answer) meanwhile are left out; a peer whose objects are all gone is
   * still listed, with empty lists, until closePeer.
   */
  async stats(): Promise<SfuPeerStats[]> {
    return Promise.all(
      [...this.peers].map(async ([peerId, peer]) => {
        const [transports, producers, consumers] = await Promise.all([
          sampleAll(peer.transports.values(), transportStats),
          sampleAll(peer.producers.values(), producerStats),
          sampleAll(peer.consumers.values(), consumerStats),
        ]);
        return { peerId, transports, producers, consumers };
      }),
    );
  }

  /** A network-test probe's figures: what reached the router of its (only) test producer. */
  /**
   * One reading of a network-test probe (the only peer of its router): what arrived of the
   * page's test producer, what its consumer sent back with the page's receiver reports, and
   * the send transport's selected ICE pair — mediasoup's own stats, nothing the page says.
   */
  async probeStats(): Promise<SfuResponse<'probeStats'>> {
    const all = [...this.peers.values()];
    const producer = all.flatMap((p) => [...p.producers.values()])[0];
    const consumer = all.flatMap((p) => [...p.consumers.values()])[0];
    const send = all.flatMap((p) => [...p.transports.values()]).find((t) => t.appData.direction === 'send');
    const [inbound, outbound, transport] = await Promise.all([
      producer ? settle(() => producer.getStats()) : undefined,
      consumer ? settle(() => consumer.getStats()) : undefined,
      send ? settle(() => send.getStats()) : undefined,
    ]);
    // One inbound-rtp entry per encoding that received media (the test sends one).
    const streams = (inbound ?? []).filter((s) => s.type === 'inbound-rtp');
    const out = (outbound ?? []).find((s): s is types.ConsumerStat => s.type === 'outbound-rtp');
    const rtt = (ms: number | undefined) => (ms !== undefined && ms > 0 ? ms : null);
    const protocol = transport?.[0]?.iceSelectedTuple?.protocol;
    return {
      at: Date.now(),
      arrived: producer
        ? {
            packets: streams.reduce((a, s) => a + s.packetCount, 0),
            bytes: streams.reduce((a, s) => a + s.byteCount, 0),
            lost: streams.reduce((a, s) => a + s.packetsLost, 0),
            bitrate: streams.reduce((a, s) => a + s.bitrate, 0),
            rttMs: rtt(streams[0]?.roundTripTime),
          }
        : null,
      returned: out ? { packets: out.packetCount, bytes: out.byteCount, lost: out.packetsLost, rttMs: rtt(out.roundTripTime) } : null,
      path: protocol === 'udp' || protocol === 'tcp' ? protocol : null,
    };
  }

  private findProducer(producerId: string): types.Producer | undefined {
    for (const p of this.peers.values()) {
      const producer = p.producers.get(producerId);
      if (producer) return producer;
    }
    return undefined;
  }

  /** What the lowest simulcast layer at its base frame rate of these consumers' producers sends now (the least of them). */
  private async baseLayerRate(peerId: string, consumerIds: readonly string[]): Promise<number | undefined> {
    const peer = this.peers.get(peerId);
    const producers = consumerIds.map((id) => this.findProducer(peer?.consumers.get(id)?.producerId ?? ''));
    const rates = await Promise.all(
      producers.map(async (p) => {
        if (!p || p.closed) return [];
        // One entry per simulcast stream; "0.0" is its base temporal layer.
        return (await p.getStats()).map((st) => st.bitrateByLayer?.['0.0'] ?? st.bitrate).filter((b) => b > 0);
      }),
    );
    const all = rates.flat();
    return all.length > 0 ? Math.min(...all) : undefined;
  }

  /** Key frames for the video a peer receives (`recv`) or sends to the others (`send`). */
  private refreshVideo(peerId: string, direction: 'send' | 'recv'): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    const ask = (c: types.Consumer) => {
      if (c.kind === 'video' && !c.closed && !c.paused) void c.requestKeyFrame().catch(() => undefined);
    };
    if (direction === 'recv') {
      for (const c of peer.consumers.values()) ask(c);
      return;
    }
    const mine = new Set(peer.producers.keys());
    for (const other of this.peers.values()) for (const c of other.consumers.values()) if (mine.has(c.producerId)) ask(c);
  }

  private peer(peerId: string, create = false): PeerMedia {
    let peer = this.peers.get(peerId);
    if (!peer && create) {
      peer = { transports: new Map(), producers: new Map(), consumers: new Map() };
      this.peers.set(peerId, peer);
    }
    if (!peer) throw new ProtocolError('not_found', 'no media for this peer');
    return peer;
  }

  private transportOf(peerId: string, transportId: string): types.WebRtcTransport {
    const transport = this.peers.get(peerId)?.transports.get(transportId);
    if (!transport) throw new ProtocolError('not_found', 'no such transport for this peer');
    return transport;
  }
}

/** mediasoup's own refusals (bad DTLS role, unsupported codec…) become `media_error`. */
async function media<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError('media_error', (e as Error).message);
  }
}
