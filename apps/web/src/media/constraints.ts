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
 * Three simulcast layers, lowest first, each with three temporal layers (L1T3). The SFU
 * forwards the highest that the receiver's bandwidth estimate carries and steps up only as
 * it grows. The lowest, 160×90 at up to 50 kbit/s and 15 frames/s, is for the weakest rural
 * links (a face still reads at that size on a phone); its base temporal layer alone (about a
 * quarter of the frames) fits in ~20 kbit/s, so video gives way to the voice last. When not
 * even that fits, the SFU forwards no video at all and the page says so (audio goes on).
 */
export const CAMERA_ENCODINGS: ms.RtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 50_000, maxFramerate: 15, scalabilityMode: 'L1T3' },
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
