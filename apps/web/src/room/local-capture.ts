import { captureCamera, captureLocalMedia, captureMic } from '../media/local-media.ts';
import type { RoomStore } from './state-store.ts';

/**
 * This browser's own camera, microphone and shared screen: captured for the preview,
 * released when the room does not let them be sent (the camera light goes off), captured
 * again when the floor comes, and stopped when the page leaves. The tracks belong here:
 * producers are made with `stopTracks: false`, so a media reset never stops a microphone.
 */
export class LocalTracks {
  audio: MediaStreamTrack | null = null;
  video: MediaStreamTrack | null = null;
  screen: MediaStreamTrack | null = null;
  private capturing: Promise<void> | null = null;
  private readonly capturingOne: Partial<Record<'mic' | 'camera', Promise<void>>> = {};

  private readonly store: RoomStore;

  constructor(store: RoomStore) {
    this.store = store;
  }

  /** Camera and microphone together for the preview (once; a second call waits for the first). */
  ensure(): Promise<void> {
    if (this.capturing) return this.capturing;
    if (this.audio || this.video) return Promise.resolve();
    this.capturing = (async () => {
      const cap = await captureLocalMedia();
      if (this.store.disposed) {
        cap.audio?.stop();
        cap.video?.stop();
        return;
      }
      const { local } = this.store.state;
      this.audio = cap.audio;
      if (cap.audio) cap.audio.enabled = local.micOn;
      this.adoptVideo(cap.video);
      this.store.setLocal({ mic: cap.mic, camera: cap.camera, cameraOn: cap.video !== null && this.store.state.local.cameraOn });
    })().finally(() => {
      this.capturing = null;
    });
    return this.capturing;
  }

  /** Captures a microphone or camera again (after it was released), when the device is known to work. */
  ensureTrack(kind: 'mic' | 'camera'): Promise<void> {
    if ((kind === 'mic' ? this.audio : this.video) || this.store.state.local[kind] !== 'ok') return Promise.resolve();
    this.capturingOne[kind] ??= (async () => {
      const { track, status } = kind === 'mic' ? await captureMic() : await captureCamera();
      if (this.store.over) {
        track?.stop();
        return;
      }
      const { local } = this.store.state;
      if (kind === 'mic') {
        this.audio?.stop();
        this.audio = track;
        if (track) track.enabled = local.micOn;
        this.store.setLocal({ mic: status });
      } else {
        if (track) track.enabled = local.cameraOn;
        this.adoptVideo(track);
        this.store.setLocal({ camera: status });
      }
    })().finally(() => {
      delete this.capturingOne[kind];
    });
    return this.capturingOne[kind];
  }

  adoptVideo(track: MediaStreamTrack | null): void {
    if (this.video && this.video !== track) this.video.stop();
    this.video = track;
    this.store.setLocal({ previewStream: track ? new MediaStream([track]) : null });
  }

  /** Stops a microphone or camera the room does not let us send now. */
  release(source: 'mic' | 'camera'): void {
    if (source === 'mic') {
      this.audio?.stop();
      this.audio = null;
    } else {
      this.adoptVideo(null);
    }
  }

  /** Audio-only: the camera is released, not just paused (an old laptop also saves the encoder's CPU). */
  dropCamera(): void {
    this.video?.stop();
    this.video = null;
    this.store.setLocal({ previewStream: null, cameraOn: false });
  }

  /** A device unplugged mid-call: its button says «нет» from now on. */
  lost(source: 'mic' | 'camera'): void {
    if (source === 'mic') {
      this.audio = null;
      this.store.setLocal({ mic: 'missing', micOn: false });
    } else {
      this.adoptVideo(null);
      this.store.setLocal({ camera: 'missing', cameraOn: false });
    }
  }

  /** Muted by a host: the track goes silent (or dark) and the switch shows it. */
  muted(source: 'mic' | 'camera'): void {
    if (source === 'mic') {
      if (this.audio) this.audio.enabled = false;
      this.store.setLocal({ micOn: false });
    } else {
      if (this.video) this.video.enabled = false;
      this.store.setLocal({ cameraOn: false });
    }
  }

  /** Given the floor (or stepping in): speak at once — that is what was asked for. */
  switchOn(camera: boolean): void {
    if (this.audio) this.audio.enabled = true;
    if (camera && this.video) this.video.enabled = true;
    this.store.setLocal(camera ? { micOn: true, cameraOn: true } : { micOn: true });
  }

  stopAll(): void {
    this.audio?.stop();
    this.video?.stop();
    this.screen?.stop();
    this.audio = null;
    this.video = null;
    this.screen = null;
    this.store.setLocal({ previewStream: null, screenStream: null });
  }

  /** A fresh start after «Выйти» or a failure: the user's earlier toggles do not carry over. */
  resetChoices(): void {
    this.store.setLocal({ micOn: true, cameraOn: true, audioOnly: false, mic: 'pending', camera: 'pending' });
  }
}
