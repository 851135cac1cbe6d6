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
