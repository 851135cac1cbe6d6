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
 * Two simulcast layers, low first. The SFU starts forwarding the low one, so a weak
 * receiver gets a picture at once and steps up only when its link allows.
 */
export const CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 2, maxBitrate: 150_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 600_000 },
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
