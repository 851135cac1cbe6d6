import { HEALTH_INTERVAL_MS } from '@dp/protocol';
import type { ClientStatsReport, IcePath, ParticipantHealth, ReceivedVideo, RoomRole, SfuPeerStats, SfuTransportStats } from '@dp/protocol';
import { maxOf, sum } from './numbers.ts';
import { qualityScore } from './score.ts';

/** A browser's latest report and when it arrived (ms since epoch). */
export interface TimedClientReport {
  report: ClientStatsReport;
  at: number;
}

/**
 * A browser report older than this is stale: the participant has stopped reporting (tab in
 * the background, connection gone), so its figures no longer describe the present and the
 * SFU's own figures are used instead. Three intervals tolerates a late or lost report.
 */
export const BROWSER_REPORT_MAX_AGE_MS = 3 * HEALTH_INTERVAL_MS;

export function isReportFresh(browser: TimedClientReport | undefined, now: number): browser is TimedClientReport {
  return browser !== undefined && now - browser.at <= BROWSER_REPORT_MAX_AGE_MS;
}

/** The rest of the room, to say whose video a participant receives. */
export interface RoomContext {
  peers: readonly SfuPeerStats[];
  roleOf(peerId: string): RoomRole | null;
}

/**
 * One participant's health from what the SFU measures and what its browser reports.
 *
 * The SFU is authoritative for bitrates and for loss on what the participant sends; the
 * browser sees its own side better (loss on what it receives, RTT, jitter, ICE, the path,
 * frames), so its figures win while its report is fresh. A stale report is ignored entirely.
 *
 * `peerId` is needed only when the SFU does not know the participant (`sfu` undefined).
 */
export function mergeParticipant(
  sfu: SfuPeerStats | undefined,
  browser: TimedClientReport | undefined,
  role: RoomRole,
  now: number,
  peerId: string | undefined = sfu?.peerId,
  room?: RoomContext,
): ParticipantHealth {
  if (peerId === undefined) throw new TypeError('mergeParticipant: peerId is required without SFU stats');
  const producers = sfu?.producers ?? [];
  const consumers = sfu?.consumers ?? [];
  const recvTransport = findRecvTransport(sfu);
  const fresh = isReportFresh(browser, now) ? browser.report : undefined;

  const sfuRecvBitrate = consumers.length > 0 ? sum(consumers.map((c) => c.bitrate)) : undefined;
  const sendBitrate = sum(producers.map((p) => p.bitrate));
  const recvBitrate = sfuRecvBitrate ?? fresh?.recvBitrate ?? 0;
  const worstSendLoss = maxOf(producers.map((p) => p.lossPercent));
  const recvLoss = fresh ? fresh.recvLossPercent : maxOf(consumers.map((c) => c.lossPercent));
  const lossPercent = Math.max(worstSendLoss, recvLoss);
  const rttMs = fresh ? fresh.rttMs : maxOf(consumers.map((c) => c.rttMs));
  const jitterMs = fresh ? fresh.jitterMs : maxOf(producers.map((p) => p.jitterMs));
  const streams = [...producers, ...consumers];
  const iceState = fresh?.iceState ?? recvTransport?.iceState ?? 'unknown';
  const hasMedia = streams.length > 0 || (fresh !== undefined && fresh.sendBitrate + fresh.recvBitrate > 0);

  return {
    peerId,
    role,
    sendBitrate,
    recvBitrate,
    lossPercent,
    rttMs,
    jitterMs,
    // The SFU's counters cover only what passes through it; the browser's may be larger.
    nackCount: Math.max(sum(streams.map((s) => s.nackCount)), fresh?.nackCount ?? 0),
    pliCount: Math.max(sum(streams.map((s) => s.pliCount)), fresh?.pliCount ?? 0),
    firCount: Math.max(sum(streams.map((s) => s.firCount)), fresh?.firCount ?? 0),
    fps: fresh?.fps ?? 0,
    frameWidth: fresh?.frameWidth ?? 0,
    frameHeight: fresh?.frameHeight ?? 0,
    spatialLayer: highestSpatialLayer(sfu),
    iceState,
    path: fresh?.path ?? sfuPath(recvTransport),
    relayProtocol: fresh?.path === 'relay' ? (fresh.relayProtocol ?? null) : null,
    recvEstimate: recvTransport?.availableOutgoingBitrate ?? null,
    sendEstimate: fresh?.sendEstimate ?? null,
    sendLimitation: fresh?.sendLimitation ?? null,
    videoIn: receivedVideo(sfu, room),
    score: qualityScore({ lossPercent, rttMs, jitterMs, iceState, hasMedia }),
    browserReport: fresh !== undefined,
  };
}

function findRecvTransport(sfu: SfuPeerStats | undefined): SfuTransportStats | undefined {
  return sfu?.transports.find((t) => t.direction === 'recv');
}

/** The SFU sees a TURN relay as plain udp/tcp, so it can never say 'relay'. */
function sfuPath(recvTransport: SfuTransportStats | undefined): IcePath {
  return recvTransport?.protocol ?? 'unknown';
}

/** The highest simulcast layer forwarded to the participant over its video consumers. */
function highestSpatialLayer(sfu: SfuPeerStats | undefined): number | null {
  const layers = (sfu?.consumers ?? []).filter((c) => c.kind === 'video' && c.spatialLayer !== null).map((c) => c.spatialLayer ?? 0);
  return layers.length > 0 ? Math.max(...layers) : null;
}

/** How many layers arrive from the sender, counted from the lowest (a gap stops the count: nothing above it can be shown). */
export function layersArriving(layerBitrates: readonly number[]): number {
  const gap = layerBitrates.findIndex((b) => b <= 0);
  return gap === -1 ? layerBitrates.length : gap;
}

/** Each video the participant receives, with its sender's role and the layers the sender offers. */
function receivedVideo(sfu: SfuPeerStats | undefined, room: RoomContext | undefined): ReceivedVideo[] {
  const producers = new Map(
    (room?.peers ?? []).flatMap((peer) => peer.producers.map((p) => [p.producerId, { peerId: peer.peerId, producer: p }] as const)),
  );
  return (sfu?.consumers ?? [])
    .filter((c) => c.kind === 'video')
    .map((c) => {
      const from = producers.get(c.producerId);
      return {
        consumerId: c.consumerId,
        fromPeerId: from?.peerId ?? null,
        fromRole: from ? (room?.roleOf(from.peerId) ?? null) : null,
        source: from?.producer.source ?? 'camera',
        paused: c.paused && !from?.producer.paused,
        producerPaused: from?.producer.paused ?? false,
        spatialLayer: c.spatialLayer,
        temporalLayer: c.temporalLayer,
        layerCount: c.layerCount,
        preferredSpatialLayer: c.preferredSpatialLayer,
        // Unknown sender (between samples): assume it offers every layer, so no blame falls on it.
        senderLayers: from ? Math.min(c.layerCount, layersArriving(from.producer.layers)) : c.layerCount,
        bitrate: c.bitrate,
        lossPercent: c.lossPercent,
        score: c.score,
      };
    });
}
