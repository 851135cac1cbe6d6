import { loadDevicePrefs } from './audio-check.ts';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints.ts';
import { classifyMediaError, type DeviceStatus } from './device-status.ts';

export interface LocalCapture {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  mic: DeviceStatus;
  camera: DeviceStatus;
}

/**
 * The constraints with the camera or microphone the person chose in the device check (kept
 * in this browser). `ideal`, not `exact`: a device unplugged since falls back to the default
 * instead of failing.
 */
function chosen(kind: 'audio' | 'video'): MediaTrackConstraints {
  const prefs = loadDevicePrefs();
  const base = kind === 'audio' ? AUDIO_CONSTRAINTS : VIDEO_CONSTRAINTS;
  const deviceId = kind === 'audio' ? prefs.mic : prefs.camera;
  return deviceId ? { ...base, deviceId: { ideal: deviceId } } : base;
}

function errorName(e: unknown): string | undefined {
  return e instanceof Error || e instanceof DOMException ? e.name : undefined;
}

async function single(kind: 'audio' | 'video'): Promise<{ track: MediaStreamTrack | null; status: DeviceStatus }> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(kind === 'audio' ? { audio: chosen('audio') } : { video: chosen('video') });
    const track = (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] ?? null;
    return { track, status: track ? 'ok' : 'missing' };
  } catch (e) {
    return { track: null, status: classifyMediaError(errorName(e)) };
  }
}

/**
 * Camera and microphone together (one permission prompt), and if that fails each one
 * alone, so that a missing or blocked camera still lets the parent join with sound.
 */
export async function captureLocalMedia(): Promise<LocalCapture> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { audio: null, video: null, mic: 'unsupported', camera: 'unsupported' };
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: chosen('audio'), video: chosen('video') });
    const audio = stream.getAudioTracks()[0] ?? null;
    const video = stream.getVideoTracks()[0] ?? null;
    return { audio, video, mic: audio ? 'ok' : 'missing', camera: video ? 'ok' : 'missing' };
  } catch {
    // Sequential, not parallel: two prompts at once confuse people more than a second's wait.
    const a = await single('audio');
    const v = await single('video');
    return { audio: a.track, video: v.track, mic: a.status, camera: v.status };
  }
}

/** A fresh microphone track (a webinar attendee given the floor, a curator stepping in). */
export function captureMic(): Promise<{ track: MediaStreamTrack | null; status: DeviceStatus }> {
  if (!navigator.mediaDevices?.getUserMedia) return Promise.resolve({ track: null, status: 'unsupported' });
  return single('audio');
}

/** A fresh camera track, for turning video back on after audio-only mode. */
export function captureCamera(): Promise<{ track: MediaStreamTrack | null; status: DeviceStatus }> {
  if (!navigator.mediaDevices?.getUserMedia) return Promise.resolve({ track: null, status: 'unsupported' });
  return single('video');
}
