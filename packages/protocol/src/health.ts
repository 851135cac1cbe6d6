import { z } from 'zod';
import type { Ack } from './errors.ts';
import { Id, MediaKind, MediaSource } from './media.ts';
import { IcePath, RelayProtocol, SendLimitation } from './client-stats.ts';
import { RoomKind, RoomRole } from './room-events.ts';

export * from './client-stats.ts';

// Room health: what the SFU measures (mediasoup's own stats), what each browser reports
// (its getStats), and the dashboard snapshot signalling pushes to admins every 2 s over
// the socket.io namespace `/admin`. Figures only, never names of clients: the dashboard
// shows roles and short ids (152-FZ: least data).

export const ADMIN_NAMESPACE = '/admin';
/** How often signalling samples the SFU and pushes a snapshot to the dashboard. */
export const HEALTH_INTERVAL_MS = 2_000;
/** How much history the charts keep (per room and per participant). */
export const HEALTH_HISTORY_MS = 10 * 60_000;

const count = z.number().int().nonnegative();
const num = z.number().finite();

// --- SFU side (RPC `stats`) -----------------------------------------------------------------

/** A WebRtcTransport as the SFU sees it. Bitrates in bit/s. */
export const SfuTransportStats = z.object({
  transportId: Id,
  direction: z.enum(['send', 'recv']),
  iceState: z.string().max(32),
  dtlsState: z.string().max(32),
  /** The selected tuple's protocol (udp/tcp) as the SFU sees it; a TURN relay looks like udp/tcp here. */
  protocol: z.enum(['udp', 'tcp', 'unknown']),
  recvBitrate: num,
  sendBitrate: num,
  /**
   * The SFU's bandwidth estimate towards the participant on this transport (transport-cc), bit/s;
   * null until known. On the receive transport it decides which simulcast layer it gets.
   */
  availableOutgoingBitrate: num.nullable(),
});
export type SfuTransportStats = z.infer<typeof SfuTransportStats>;

/** What the SFU receives from a participant (mediasoup Producer, `inbound-rtp`). */
export const SfuProducerStats = z.object({
  producerId: Id,
  kind: MediaKind,
  source: MediaSource,
  paused: z.boolean(),
  /** Sum over its encodings (simulcast layers), bit/s. */
  bitrate: num,
  /** Fraction lost on the way in, 0–100 %. */
  lossPercent: num,
  /** Interarrival jitter, ms. */
  jitterMs: num,
  nackCount: count,
  pliCount: count,
  firCount: count,
  /** mediasoup's own 0–10 score of the stream. */
  score: num,
  /**
   * Bitrate arriving on each simulcast layer, low → high (one entry without simulcast), bit/s.
   * 0: the sender does not send that layer now (its encoder dropped it: weak uplink or CPU).
   */
  layers: z.array(num).max(8),
});
export type SfuProducerStats = z.infer<typeof SfuProducerStats>;

/** What the SFU sends to a participant (mediasoup Consumer, `outbound-rtp`). */
export const SfuConsumerStats = z.object({
  consumerId: Id,
  producerId: Id,
  kind: MediaKind,
  paused: z.boolean(),
  bitrate: num,
  /** Loss reported back by the receiver (RTCP RR fraction lost), 0–100 %. */
  lossPercent: num,
  /** Round-trip time from RTCP, ms (0 until known). */
  rttMs: num,
  nackCount: count,
  pliCount: count,
  firCount: count,
  score: num,
  /** The simulcast layer forwarded now (null: not simulcast, or nothing forwarded). */
  spatialLayer: z.number().int().nullable(),
  temporalLayer: z.number().int().nullable(),
  /** Spatial layers its producer has (1 without simulcast). */
  layerCount: z.number().int().min(1).max(8),
  /** The layer asked for (mediasoup's preferredLayers: the highest unless the receiver asked less). */
  preferredSpatialLayer: z.number().int().nullable(),
  /** Its share of the transport's bandwidth when layers compete (mediasoup priority, 1–255). */
  priority: z.number().int(),
  /** mediasoup's score of the producer's stream it forwards now, 0–10. */
  producerScore: num,
});
export type SfuConsumerStats = z.infer<typeof SfuConsumerStats>;

export const SfuPeerStats = z.object({
  peerId: Id,
  transports: z.array(SfuTransportStats),
  producers: z.array(SfuProducerStats),
  consumers: z.array(SfuConsumerStats),
});
export type SfuPeerStats = z.infer<typeof SfuPeerStats>;

export const SfuRoomStats = z.object({ roomId: Id, workerPid: z.number().int(), peers: z.array(SfuPeerStats) });
export type SfuRoomStats = z.infer<typeof SfuRoomStats>;

export const WorkerStats = z.object({
  pid: z.number().int(),
  /** CPU of the worker process since the previous sample, % of one core. */
  cpuPercent: num,
  /** Resident memory, bytes (ru_maxrss: the peak so far). */
  memoryBytes: count,
  routers: count,
  transports: count,
  producers: count,
  consumers: count,
});
export type WorkerStats = z.infer<typeof WorkerStats>;

export const SfuNodeStats = z.object({
  nodeId: z.string().max(200),
  /** The SFU's Node.js process: CPU % of one core since the previous sample, RSS bytes. */
  process: z.object({ cpuPercent: num, memoryBytes: count }),
  workers: z.array(WorkerStats),
  rooms: z.array(SfuRoomStats),
});
export type SfuNodeStats = z.infer<typeof SfuNodeStats>;

// --- browser side (room event `clientStats`): client-stats.ts (room-events.ts needs it) ---

// --- the dashboard snapshot (signalling → admin, event `healthSnapshot`) -------------------

export const RoomPhase = z.enum(['precheck', 'waiting', 'live', 'closing']);
export type RoomPhase = z.infer<typeof RoomPhase>;

export const AlertKind = z.enum(['loss', 'rtt', 'ice_disconnected', 'worker_cpu', 'precheck_failed', 'time_limit']);
export type AlertKind = z.infer<typeof AlertKind>;

export const HealthAlert = z.object({
  /** Stable while the condition lasts (kind + subject), so the page can keep its place. */
  id: z.string().max(200),
  kind: AlertKind,
  severity: z.enum(['warning', 'critical']),
  roomId: Id.nullable(),
  peerId: Id.nullable(),
  workerPid: z.number().int().nullable(),
  /** The figure that tripped it (loss %, RTT ms, CPU %, minutes left). */
  value: num.nullable(),
  since: z.string(),
});
export type HealthAlert = z.infer<typeof HealthAlert>;

/**
 * One video a participant receives from another (its consumer on the SFU), with what decides
 * its quality: the layer forwarded, the layers the sender offers, loss. The dashboard turns it
 * into words («среднее (320×180): канал ≈ 180 кбит/с»).
 */
export const ReceivedVideo = z.object({
  consumerId: Id,
  /** Whose video: the sender's peer id and role (null: the SFU knows no such producer any more). */
  fromPeerId: Id.nullable(),
  fromRole: RoomRole.nullable(),
  source: MediaSource,
  /** The receiver's consumer is paused (its «Только звук», or the SFU paused it for bandwidth). */
  paused: z.boolean(),
  /** The sender paused its producer (camera off). */
  producerPaused: z.boolean(),
  spatialLayer: z.number().int().nullable(),
  temporalLayer: z.number().int().nullable(),
  layerCount: z.number().int().min(1).max(8),
  preferredSpatialLayer: z.number().int().nullable(),
  /** How many layers, from the lowest, arrive from the sender now (0: none). */
  senderLayers: z.number().int().min(0).max(8),
  bitrate: num,
  lossPercent: num,
  score: num,
});
export type ReceivedVideo = z.infer<typeof ReceivedVideo>;

/** One participant's health, SFU and browser figures side by side. */
export const ParticipantHealth = z.object({
  peerId: Id,
  role: RoomRole,
  /** The SFU receives from it (its producers), bit/s. */
  sendBitrate: num,
  /** The SFU sends to it (its consumers), bit/s. */
  recvBitrate: num,
  /** Worst of: loss on what it sends (SFU inbound) and on what it receives (its report, else RTCP). */
  lossPercent: num,
  rttMs: num,
  jitterMs: num,
  nackCount: count,
  pliCount: count,
  firCount: count,
  /** Received video as the browser reports it. */
  fps: num,
  frameWidth: count,
  frameHeight: count,
  /** The simulcast layer the SFU forwards to it (highest over its video consumers). */
  spatialLayer: z.number().int().nullable(),
  iceState: z.string().max(32),
  path: IcePath,
  /** TURN's leg from the browser to the relay (only with path 'relay' and a browser report). */
  relayProtocol: RelayProtocol.nullable(),
  /** The SFU's bandwidth estimate towards the participant (receive transport), bit/s; null until known. */
  recvEstimate: num.nullable(),
  /** The browser's own uplink estimate (send transport's candidate pair), bit/s; null without a report. */
  sendEstimate: num.nullable(),
  /** Why the browser's camera encoder sends less than asked (WebRTC qualityLimitationReason); null: unknown. */
  sendLimitation: SendLimitation.nullable(),
  /** The videos it receives, one per consumer, with what limits each. */
  videoIn: z.array(ReceivedVideo),
  /** 0 (unusable) – 5 (excellent), from loss, RTT, jitter and ICE state. */
  score: num.min(0).max(5),
  /** Whether its browser has reported lately (else the SFU's figures alone). */
  browserReport: z.boolean(),
});
export type ParticipantHealth = z.infer<typeof ParticipantHealth>;

export const RoomHealth = z.object({
  roomId: Id,
  kind: RoomKind,
  institutionId: Id.nullable(),
  institution: z.string().max(300),
  /** The leading specialist's name (staff), or '' when none is listed. */
  specialist: z.string().max(200),
  phase: RoomPhase,
  endsAt: z.string().nullable(),
  /** Minutes to the 60-minute limit (null without a timetable slot). */
  minutesLeft: z.number().nullable(),
  workerPid: z.number().int().nullable(),
  participants: z.array(ParticipantHealth),
  /** The room's lowest participant score (5 when empty). */
  score: num.min(0).max(5),
});
export type RoomHealth = z.infer<typeof RoomHealth>;

export const SignallingNodeHealth = z.object({ instanceId: z.string().max(200), sockets: count, rooms: count });

/** A point of a chart: time (ms since epoch) and the three figures the charts show. */
export const SeriesPoint = z.object({ t: z.number(), bitrate: num, lossPercent: num, rttMs: num });
export type SeriesPoint = z.infer<typeof SeriesPoint>;

export const HealthSnapshot = z.object({
  at: z.string(),
  nodes: z.array(SfuNodeStats.omit({ rooms: true })),
  signalling: z.array(SignallingNodeHealth),
  rooms: z.array(RoomHealth),
  alerts: z.array(HealthAlert),
});
export type HealthSnapshot = z.infer<typeof HealthSnapshot>;

/** Charts of one room: the room's totals and each participant's, the last 10 minutes. */
export const RoomSeries = z.object({
  roomId: Id,
  room: z.array(SeriesPoint),
  participants: z.record(z.string(), z.array(SeriesPoint)),
});
export type RoomSeries = z.infer<typeof RoomSeries>;

/** What a closed room leaves with its consultation (for the monthly report). */
export const RoomQualitySummary = z.object({
  samples: count,
  scoreAvg: num,
  scoreMin: num,
  lossPercentAvg: num,
  lossPercentMax: num,
  rttMsAvg: num,
  rttMsMax: num,
  bitrateAvg: num,
  alerts: z.record(z.string(), count),
});
export type RoomQualitySummary = z.infer<typeof RoomQualitySummary>;

/** Dashboard (client → server) requests on `/admin`. */
export const adminRequests = {
  /** The charts of one room (the last 10 minutes); pushed again with every snapshot while watched. */
  watchRoom: { payload: z.object({ roomId: Id.nullable() }).strict(), result: z.object({ series: RoomSeries.nullable() }) },
} as const;

export type AdminRequest = keyof typeof adminRequests;
/** What the dashboard sends with a request (before the server's parsing). */
export type AdminPayload<E extends AdminRequest> = z.input<(typeof adminRequests)[E]['payload']>;
/** What the server's acknowledgement carries on success. */
export type AdminResult<E extends AdminRequest> = z.output<(typeof adminRequests)[E]['result']>;

/** The /admin namespace's client → server events, typed from `adminRequests` (both sides use it: socket.io's Socket<…, AdminClientEvents>). */
export type AdminClientEvents = {
  [E in AdminRequest]: (payload: AdminPayload<E>, ack: (res: Ack<AdminResult<E>>) => void) => void;
};

/** The /admin namespace's server → client pushes. */
export interface AdminServerEvents {
  healthSnapshot: (snapshot: HealthSnapshot) => void;
  roomSeries: (series: RoomSeries) => void;
}
