import type { types as ms } from 'mediasoup-client';

// Capture settings. 640×360 at 24 fps is enough for a face-to-face talk and keeps old
// laptops' encoders and rural 3G uplinks comfortable (DOMAIN.md: start conservative).
export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640, max: 640 },
  height: { ideal: 360, max: 360 },
  frameRate: { ideal: 24, max: 24 },
};

export const AUDIO_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/**
 * Two simulcast layers (320×180 up to 150 kbit/s, 640×360 up to 600 kbit/s), each with three
 * temporal layers (L1T3). The SFU forwards the highest spatial and temporal layer that the
 * receiver's bandwidth estimate carries and steps up only as it grows. The weakest links get the
 * low layer's base temporal layer: 320×180 at a quarter of the frame rate (6 frames/s) in about
 * 40–50 kbit/s, which keeps a face recognisable for less than a 160×90 picture would (and
 * Chromium sends at most two simulcast layers of a 640×360 camera anyway: a third, 160×90 one,
 * was measured never to be sent). When not even that fits, the SFU forwards no video at all and
 * the page says so (audio goes on).
 */
export const CAMERA_ENCODINGS: ms.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 2, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { scaleResolutionDownBy: 1, maxBitrate: 600_000, scalabilityMode: 'L1T3' },
];

/**
 * Screen sharing: slides and documents, not motion. Five frames a second at full
 * resolution with `contentHint = 'detail'` keeps text sharp; one layer (no simulcast),
 * capped so that a shared screen never starves the voices on a rural uplink.
 */
export const SCREEN_CONSTRAINTS: MediaTrackConstraints = {
  frameRate: { ideal: 5, max: 5 },
  width: { max: 1920 },
  height: { max: 1080 },
};

export const SCREEN_ENCODINGS: RTCRtpEncodingParameters[] = [{ maxBitrate: 1_200_000, maxFramerate: 5 }];
