import type { ParticipantHealth, ReceivedVideo } from '@dp/protocol';
import { CAMERA_ENCODINGS, VIDEO_CONSTRAINTS } from '../media/constraints.ts';

// Why a participant receives a video at the quality it does, for the admin's dashboard:
// pure, so every branch is unit-tested (layer-reason.test.ts), and kept to i18n keys plus
// the figures (bit/s, %), which the page formats and words (health.quality.*, health.reason.*).

/** Loss on a received video from which the admin is told about it (the table turns red above 5 % too). */
export const LOSS_NOTICE_PERCENT = 5;

/** The quality word of a received video. */
export type QualityKey = 'low' | 'medium' | 'high' | 'single' | 'paused' | 'off';

export type ReasonKey =
  /** The top layer arrives. */
  | 'full'
  /** The receiver's link (the SFU's estimate towards it) carries no more than this layer. */
  | 'estimate'
  /** Loss on the way to the receiver: mediasoup steps the layer down. */
  | 'loss'
  /** Loss while the picture is at full quality (may break up). */
  | 'lossAtFull'
  /** The sender sends only this layer (its uplink or its computer). */
  | 'senderBandwidth'
  /** …its uplink estimate is below what the next layer needs on top of the lower ones. */
  | 'senderBelowNeed'
  | 'senderCpu'
  /** …for a weak uplink, by its encoder's word, without an estimate. */
  | 'sender'
  /** …for no reason its browser gives. */
  | 'senderPlain'
  /** The sender sends no video at all. */
  | 'senderNone'
  /** The receiver asked for less (mediasoup preferred layers, e.g. a small tile). */
  | 'preferred'
  /** The estimate would carry more: mediasoup steps up a layer at a time. */
  | 'rising'
  /** Nothing forwarded: the receiver's estimate cannot carry even the lowest layer. */
  | 'pausedBandwidth'
  /** The receiver's consumer is paused (its «Только звук», or the video hidden). */
  | 'pausedByReceiver'
  /** The sender turned the camera (or the screen) off. */
  | 'senderOff'
  /** Nothing forwarded yet and no estimate: the stream is starting. */
  | 'starting';

export interface Reason {
  key: ReasonKey;
  /** bit/s, when the sentence names a link's estimate. */
  bitrate?: number;
  /** %, when it names loss. */
  percent?: number;
  /** bit/s the next layer needs with those under it, and its quality (senderBelowNeed). */
  need?: number;
  next?: QualityKey;
}

export interface VideoQualityView {
  quality: QualityKey;
  /** The nominal frame size of the layer forwarded (camera layers only). */
  size: { width: number; height: number } | null;
  /** The main reason first; a second one when loss matters too. */
  reasons: Reason[];
  /** How the admin should read it: fine, degraded, or no picture. */
  tone: 'ok' | 'warn' | 'bad';
}

const topWidth = numberOf(VIDEO_CONSTRAINTS.width) ?? 640;
const topHeight = numberOf(VIDEO_CONSTRAINTS.height) ?? 360;

function numberOf(c: ConstrainULong | undefined): number | undefined {
  if (typeof c === 'number') return c;
  return c?.max ?? c?.ideal ?? (typeof c?.exact === 'number' ? c.exact : undefined);
}

/** The camera's simulcast plan, or halving per layer when the sender's plan differs (an older page). */
function scaleOf(index: number, count: number): number {
  const planned = count === CAMERA_ENCODINGS.length ? CAMERA_ENCODINGS[index]?.scaleResolutionDownBy : undefined;
  return planned ?? 2 ** (count - 1 - index);
}

/** The nominal frame size of camera layer `index` of `count` (low → high). */
export function cameraLayerSize(index: number, count: number): { width: number; height: number } {
  const scale = scaleOf(index, count);
  return { width: Math.round(topWidth / scale), height: Math.round(topHeight / scale) };
}

/** Roughly what layer `index` of `count` needs (its encoder's cap), bit/s; null when unknown. */
export function cameraLayerBitrate(index: number, count: number): number | null {
  if (count !== CAMERA_ENCODINGS.length) return null;
  return CAMERA_ENCODINGS[index]?.maxBitrate ?? null;
}

/** low / medium / high of `count` layers; a single layer has no ladder. */
export function qualityOf(index: number, count: number): QualityKey {
  if (count <= 1) return 'single';
  if (index <= 0) return 'low';
  return index >= count - 1 ? 'high' : 'medium';
}

/**
 * The quality of `video` as `receiver` gets it, and why. `sender` is the participant whose
 * video it is (its uplink figures explain a sender-side limit), when the room lists it.
 */
export function explainVideo(video: ReceivedVideo, receiver: ParticipantHealth, sender?: ParticipantHealth): VideoQualityView {
  const estimate = receiver.recvEstimate;
  const loss = video.lossPercent;
  const lossy = loss >= LOSS_NOTICE_PERCENT;
  const camera = video.source === 'camera';
  const count = video.layerCount;

  if (video.producerPaused) return { quality: 'off', size: null, reasons: [{ key: 'senderOff' }], tone: 'ok' };

  // Below what the lowest layer needs: the SFU (or the page, audio first) stops the video.
  const lowestNeed = cameraLayerBitrate(0, count);
  const tooThin = estimate !== null && lowestNeed !== null && estimate < lowestNeed;
  if (video.paused) {
    const reasons: Reason[] = tooThin ? [{ key: 'pausedBandwidth', bitrate: estimate }] : [{ key: 'pausedByReceiver' }];
    return { quality: 'paused', size: null, reasons, tone: tooThin ? 'bad' : 'ok' };
  }

  if (video.senderLayers === 0) {
    return { quality: 'paused', size: null, reasons: [senderReason(sender, 'senderNone', 0, count)], tone: 'bad' };
  }

  if (count <= 1) {
    // One layer (a shared screen, or a sender without simulcast): no step down, only loss to tell.
    const reasons: Reason[] = lossy ? [{ key: 'lossAtFull', percent: loss }] : [{ key: 'full' }];
    return { quality: 'single', size: null, reasons, tone: lossy ? 'warn' : 'ok' };
  }

  const layer = video.spatialLayer;
  if (layer === null) {
    // A simulcast consumer forwarding nothing while not paused: mediasoup found no layer that fits.
    const reasons: Reason[] = estimate !== null ? [{ key: 'pausedBandwidth', bitrate: estimate }] : [{ key: 'starting' }];
    return { quality: 'paused', size: null, reasons, tone: 'bad' };
  }

  const quality = qualityOf(layer, count);
  const size = camera ? cameraLayerSize(layer, count) : null;
  if (layer >= count - 1) {
    const reasons: Reason[] = [{ key: 'full' }];
    if (lossy) reasons.push({ key: 'lossAtFull', percent: loss });
    return { quality, size, reasons, tone: lossy ? 'warn' : 'ok' };
  }

  const reasons: Reason[] = [];
  const nextNeed = cameraLayerBitrate(layer + 1, count);
  if (video.senderLayers <= layer + 1) reasons.push(senderReason(sender, 'sender', layer + 1, count));
  else if (video.preferredSpatialLayer !== null && video.preferredSpatialLayer <= layer) reasons.push({ key: 'preferred' });
  else if (lossy) reasons.push({ key: 'loss', percent: loss });
  else if (estimate !== null && (nextNeed === null || estimate < nextNeed)) reasons.push({ key: 'estimate', bitrate: estimate });
  else if (estimate !== null) reasons.push({ key: 'rising', bitrate: estimate });
  else reasons.push({ key: 'starting' });
  if (lossy && reasons[0]?.key !== 'loss') reasons.push({ key: 'loss', percent: loss });
  return { quality, size, reasons, tone: 'warn' };
}

/**
 * The sender's side of it. A browser's simulcast fills layers from the lowest up within its
 * uplink estimate, so an estimate below what the next layer needs on top of those under it
 * is the cause even when the encoder reports no limitation (the dropped layer has no stats).
 */
function senderReason(sender: ParticipantHealth | undefined, fallback: 'sender' | 'senderNone', next: number, count: number): Reason {
  const estimate = sender?.sendEstimate ?? null;
  if (fallback === 'senderNone') return estimate === null ? { key: 'senderNone' } : { key: 'senderNone', bitrate: estimate };
  if (sender?.sendLimitation === 'cpu') return { key: 'senderCpu' };
  const needs = Array.from({ length: next + 1 }, (_, i) => cameraLayerBitrate(i, count));
  const need = needs.every((n) => n !== null) ? needs.reduce<number>((a, n) => a + (n ?? 0), 0) : null;
  if (estimate !== null && need !== null && estimate < need) {
    return { key: 'senderBelowNeed', bitrate: estimate, need, next: qualityOf(next, count) };
  }
  if (estimate !== null && sender?.sendLimitation === 'bandwidth') return { key: 'senderBandwidth', bitrate: estimate };
  return { key: sender?.sendLimitation === 'bandwidth' ? 'sender' : 'senderPlain' };
}
