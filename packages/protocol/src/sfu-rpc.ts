import { z } from 'zod';
import { DtlsParameters, Id, MediaKind, MediaSource, RtpCapabilities, RtpParameters, TransportOptions } from './media.ts';
// health.ts must never import this file (no cycle): it only defines the shapes.
import { SfuNodeStats } from './health.ts';
import { ProbeSample } from './network-test.ts';

// The request/response channel between signalling and an SFU node: a WebSocket
// (never open to browsers) authenticated with a shared secret. Frames are JSON:
//   { t: 'req', id, method, data }  →  { t: 'res', id, ok: true, data } | { t: 'res', id, ok: false, error }
//   { t: 'evt', event, data }       (SFU → signalling notifications)

const room = { roomId: Id };
const peer = { roomId: Id, peerId: Id };

export const sfuMethods = {
  /** The RTP capabilities every router of this node has (they follow from its codec list). */
  capabilities: { request: z.object({}), response: z.object({ rtpCapabilities: RtpCapabilities }) },
  /** Gets or creates the room's router (on the least loaded worker). */
  openRouter: { request: z.object(room), response: z.object({ rtpCapabilities: RtpCapabilities, workerPid: z.number() }) },
  closeRouter: { request: z.object(room), response: z.object({ closed: z.boolean() }) },
  createWebRtcTransport: {
    request: z.object({ ...peer, direction: z.enum(['send', 'recv']), forceTcp: z.boolean() }),
    response: TransportOptions,
  },
  connectTransport: { request: z.object({ ...peer, transportId: Id, dtlsParameters: DtlsParameters }), response: z.object({}) },
  produce: {
    request: z.object({ ...peer, transportId: Id, kind: MediaKind, rtpParameters: RtpParameters, source: MediaSource }),
    response: z.object({ producerId: Id }),
  },
  consume: {
    request: z.object({ ...peer, transportId: Id, producerId: Id, rtpCapabilities: RtpCapabilities }),
    response: z.object({ consumerId: Id, kind: MediaKind, rtpParameters: RtpParameters, producerPaused: z.boolean() }),
  },
  setProducerPaused: { request: z.object({ ...peer, producerId: Id, paused: z.boolean() }), response: z.object({}) },
  closeProducer: { request: z.object({ ...peer, producerId: Id }), response: z.object({}) },
  /** Resuming also asks the producer for a key frame, so video shows at once. */
  setConsumerPaused: { request: z.object({ ...peer, consumerId: Id, paused: z.boolean() }), response: z.object({}) },
  /**
   * New ICE username and password for one of the peer's transports (the browser restarts ICE
   * with them after its network changed or its path failed): same transport, producers and consumers.
   */
  restartIce: {
    request: z.object({ ...peer, transportId: Id }),
    response: z.object({ iceParameters: TransportOptions.shape.iceParameters }),
  },
  /** Closes one of the peer's consumers (an offer its browser never took). */
  closeConsumer: { request: z.object({ ...peer, consumerId: Id }), response: z.object({}) },
  /** Closes every transport (and so producer and consumer) of the peer. */
  closePeer: { request: z.object(peer), response: z.object({}) },
  roomState: {
    request: z.object(room),
    response: z.object({ exists: z.boolean(), transports: z.number(), producers: z.number(), consumers: z.number() }),
  },
  nodeInfo: {
    request: z.object({}),
    response: z.object({
      nodeId: z.string(),
      workers: z.array(z.object({ pid: z.number(), routers: z.number(), workerBin: z.string() })),
    }),
  },
  /**
   * Live figures for the admin's health dashboard (sampled every HEALTH_INTERVAL_MS): each
   * worker's CPU/memory and object counts, and every room's transports, producers and
   * consumers per peer, from mediasoup's own stats. CPU % is since the previous `stats` call.
   */
  stats: { request: z.object({}), response: SfuNodeStats },
  /**
   * A network-test probe (network-test.ts): a router of its own on the least loaded worker,
   * then used with the room methods above under its `roomId`. The SFU closes it after
   * `lifetimeMs` whatever signalling does, and refuses more than
   * NETWORK_TEST.maxConcurrentPerLink open probes per `key` (the link's participant).
   */
  openProbe: {
    request: z.object({ ...room, key: z.string().min(1).max(128), lifetimeMs: z.number().int().positive().max(60_000) }),
    response: z.object({ rtpCapabilities: RtpCapabilities }),
  },
  /** One reading of the probe's own stats: what arrived of the test stream, what went back and was acknowledged. */
  probeStats: { request: z.object(room), response: ProbeSample },
} as const;

export type SfuMethod = keyof typeof sfuMethods;
export type SfuRequest<M extends SfuMethod> = z.infer<(typeof sfuMethods)[M]['request']>;
export type SfuResponse<M extends SfuMethod> = z.infer<(typeof sfuMethods)[M]['response']>;

export const sfuEvents = {
  /** The router is gone (its worker died): signalling tells the room's clients to reconnect. */
  routerClosed: z.object({ roomId: Id, reason: z.enum(['worker_died']) }),
  consumerClosed: z.object({ roomId: Id, peerId: Id, consumerId: Id }),
  consumerPaused: z.object({ roomId: Id, peerId: Id, consumerId: Id, paused: z.boolean() }),
  workerReplaced: z.object({ oldPid: z.number(), newPid: z.number() }),
  /**
   * The spatial layer the SFU forwards to a receiver changed (bandwidth estimate, loss, the
   * sender's own layers). `spatial: null` while the consumer is not paused means no layer fits
   * the receiver's link: its video is paused for bandwidth (audio goes on).
   */
  consumerLayers: z.object({ roomId: Id, peerId: Id, consumerId: Id, spatial: z.number().int().nullable() }),
  /** A peer's transport lost or regained its ICE path (the browser's network dropped or changed). */
  transportLink: z.object({ roomId: Id, peerId: Id, transportId: Id, up: z.boolean() }),
} as const;
export type SfuEventName = keyof typeof sfuEvents;
export type SfuEvent<E extends SfuEventName> = z.infer<(typeof sfuEvents)[E]>;

export const RpcFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('req'), id: z.number().int(), method: z.string().max(64), data: z.unknown() }),
  z.object({
    t: z.literal('res'),
    id: z.number().int(),
    ok: z.boolean(),
    data: z.unknown().optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  z.object({ t: z.literal('evt'), event: z.string().max(64), data: z.unknown() }),
]);
export type RpcFrame = z.infer<typeof RpcFrame>;
