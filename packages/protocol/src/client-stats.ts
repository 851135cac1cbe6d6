import { z } from 'zod';

// What a browser reports of its own connection (room event `clientStats`), for the admin's
// health dashboard (health.ts). Apart from room-events.ts's imports, so both can use it.

const count = z.number().int().nonnegative();
const num = z.number().finite();

export const IcePath = z.enum(['udp', 'tcp', 'relay', 'unknown']);
export type IcePath = z.infer<typeof IcePath>;

/** The transport between the browser and a TURN server (RTCIceCandidateStats.relayProtocol). */
export const RelayProtocol = z.enum(['udp', 'tcp', 'tls']);
export type RelayProtocol = z.infer<typeof RelayProtocol>;

/** Why an encoder sends less than asked (RTCOutboundRtpStreamStats.qualityLimitationReason). */
export const SendLimitation = z.enum(['none', 'bandwidth', 'cpu', 'other']);
export type SendLimitation = z.infer<typeof SendLimitation>;

/**
 * A browser's own view (RTCPeerConnection.getStats of both transports), summed over its
 * streams, sent every few seconds. Bitrates in bit/s, times in ms. The server checks the
 * shape and bounds; it never trusts these figures for anything but display.
 */
export const ClientStatsReport = z
  .object({
    /** ICE state of the receive transport (the one the participant depends on). */
    iceState: z.enum(['new', 'checking', 'connected', 'completed', 'disconnected', 'failed', 'closed']),
    /** The selected candidate pair: local candidate type and protocol. */
    path: IcePath,
    sendBitrate: num.min(0).max(1e9),
    recvBitrate: num.min(0).max(1e9),
    /** Received streams: packets lost over packets expected since the previous report, 0–100 %. */
    recvLossPercent: num.min(0).max(100),
    /** Current round-trip time of the selected candidate pair, ms. */
    rttMs: num.min(0).max(60_000),
    /** Received audio jitter, ms. */
    jitterMs: num.min(0).max(60_000),
    /** The largest received video's frame rate and size (0 when none). */
    fps: num.min(0).max(240),
    frameWidth: z.number().int().min(0).max(10_000),
    frameHeight: z.number().int().min(0).max(10_000),
    nackCount: count.max(1e9),
    pliCount: count.max(1e9),
    firCount: count.max(1e9),
    /** With path 'relay': how the browser reaches the TURN server. Optional: older pages do not send it. */
    relayProtocol: RelayProtocol.optional(),
    /** The send transport's congestion-control estimate (availableOutgoingBitrate), bit/s. */
    sendEstimate: num.min(0).max(1e10).optional(),
    /** The camera encoder's limitation now (the worst over its simulcast layers). */
    sendLimitation: SendLimitation.optional(),
  })
  .strict();
export type ClientStatsReport = z.infer<typeof ClientStatsReport>;
