import type { MediaSource } from '@dp/protocol';
import { SCREEN_CONSTRAINTS } from '../media/constraints.ts';
import { captureCamera } from '../media/local-media.ts';
import type { LocalTracks } from './local-capture.ts';
import { mediaPlan } from './media-plan.ts';
import type { MediaSender } from './media-sender.ts';
import type { MediaSession } from './media-session.ts';
import { toRoomError } from './room-error.ts';
import { request, type RoomSocket } from './signalling.ts';
import type { RoomStore } from './state-store.ts';

/** What is read out when the microphone or the camera is switched (i18n keys). */
const SWITCH_STATUS = {
  mic: { on: 'status.micOn', off: 'status.micOff' },
  camera: { on: 'status.cameraOn', off: 'status.cameraOff' },
} as const;

/**
 * The person's own switches in the room and its waiting room: microphone, camera,
 * audio-only, the shared screen; and what a host's mute does to them.
 */
export class MediaControls {
  private readonly store: RoomStore;
  private readonly tracks: LocalTracks;
  private readonly media: MediaSession;
  private readonly sender: MediaSender;
  /** The room's socket now (null before joining and after leaving). */
  private readonly socket: () => RoomSocket | null;

  constructor(store: RoomStore, tracks: LocalTracks, media: MediaSession, sender: MediaSender, socket: () => RoomSocket | null) {
    this.store = store;
    this.tracks = tracks;
    this.media = media;
    this.sender = sender;
    this.socket = socket;
  }

  async toggleMic(): Promise<void> {
    await this.toggle('mic', this.tracks.audio);
  }

  async toggleCamera(): Promise<void> {
    if (!this.store.state.local.audioOnly) await this.toggle('camera', this.tracks.video);
  }

  /** Mutes or unmutes here at once (the track), then on the server; a refusal there switches back. */
  private async toggle(which: 'mic' | 'camera', track: MediaStreamTrack | null): Promise<void> {
    const { local, pending } = this.store.state;
    if (!track || pending[which]) return;
    const on = !(which === 'mic' ? local.micOn : local.cameraOn);
    const set = (value: boolean) => {
      track.enabled = value;
      this.store.setLocal(which === 'mic' ? { micOn: value } : { cameraOn: value });
    };
    set(on);
    this.store.announce(SWITCH_STATUS[which][on ? 'on' : 'off']);
    const producer = this.sender.producers[which];
    if (producer && !producer.closed) await this.sender.syncPause(which, producer, on, () => set(!on));
  }

  /**
   * Audio-only for weak links: the camera is released (not just paused: an old laptop
   * also saves the encoder's CPU) and the server stops sending us video.
   */
  async setAudioOnly(audioOnly: boolean): Promise<void> {
    if (this.store.state.pending.audioOnly || this.store.state.local.audioOnly === audioOnly) return;
    this.store.setPending('audioOnly', true);
    this.store.setLocal({ audioOnly });
    this.store.announce(audioOnly ? 'status.audioOnlyOn' : 'status.audioOnlyOff');
    const socket = this.socket();
    try {
      if (audioOnly) {
        const producer = this.sender.take('camera');
        this.tracks.dropCamera();
        // A waiting client tells the server when it is let in (produceAll sends the choice).
        if (this.store.inRoom && socket) {
          await Promise.all([
            request(socket, 'setAudioOnly', { audioOnly: true }),
            producer ? request(socket, 'closeProducer', { producerId: producer.id }) : undefined,
          ]);
        }
      } else {
        const self = this.store.state.self;
        // Without the floor for a camera (a webinar attendee, an observing curator) only the downlink changes.
        const mayCamera = !self || mediaPlan(self.role, self.floor).camera;
        const { track, status } = mayCamera ? await captureCamera() : { track: null, status: this.store.state.local.camera };
        if (this.store.over) {
          track?.stop(); // the room ended while the camera was starting
          return;
        }
        if (mayCamera) {
          this.tracks.adoptVideo(track);
          this.store.setLocal({ camera: status, cameraOn: track !== null });
        }
        // A re-join that ran meanwhile already produced with the current choice; otherwise do it now.
        const current = this.store.session;
        const now = this.socket();
        if (this.store.inRoom && now) {
          await request(now, 'setAudioOnly', { audioOnly: false });
          if (track && this.media.device?.canProduce('video')) await this.sender.produceCamera(current);
        }
      }
    } catch (e) {
      this.store.announceError(toRoomError(e).code);
    } finally {
      this.store.setPending('audioOnly', false);
    }
  }

  /**
   * Shares a screen (hosts and specialists): slides and documents at 5 frames a second,
   * one layer, text kept sharp. Stopping in the browser's own bar ends it too.
   */
  async startScreenShare(): Promise<void> {
    if (this.tracks.screen || this.store.state.pending.screen) return;
    if (!navigator.mediaDevices?.getDisplayMedia) {
      this.store.announce('status.screenUnsupported');
      return;
    }
    this.store.setPending('screen', true);
    try {
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getDisplayMedia({ video: SCREEN_CONSTRAINTS, audio: false });
      } catch (e) {
        // The person closed the browser's picker: not an error worth a red sentence.
        this.store.announce(e instanceof DOMException && e.name === 'NotAllowedError' ? 'status.screenCancelled' : 'status.screenFailed');
        return;
      }
      const track = stream.getVideoTracks()[0];
      if (!track) return;
      const { phase } = this.store.state;
      if (this.store.disposed || (phase !== 'joined' && phase !== 'reconnecting')) {
        track.stop();
        return;
      }
      track.contentHint = 'detail';
      track.addEventListener('ended', () => {
        if (this.tracks.screen === track) void this.stopScreenShare();
      });
      this.tracks.screen = track;
      this.store.setLocal({ screenStream: new MediaStream([track]) });
      this.store.announce('status.screenOn');
      if (this.store.inRoom) await this.sender.produceScreen(this.store.session);
    } catch (e) {
      this.store.announceError(toRoomError(e).code);
      await this.stopScreenShare(true);
    } finally {
      this.store.setPending('screen', false);
    }
  }

  async stopScreenShare(quiet = false): Promise<void> {
    const track = this.tracks.screen;
    this.tracks.screen = null;
    const producer = this.sender.take('screen');
    track?.stop();
    if (track || producer) {
      this.store.setLocal({ screenStream: null });
      if (!quiet) this.store.announce('status.screenOff');
    }
    const socket = this.socket();
    if (producer && socket?.connected && this.store.inRoom) {
      await request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
    }
  }

  /** The server paused (muted by a host) or closed (floor taken back) one of our producers. */
  mediaStopped(producerId: string, source: MediaSource, reason: 'muted' | 'floor_revoked'): void {
    const producer = this.sender.producers[source];
    if (!producer || producer.id !== producerId) return;
    if (reason === 'muted') {
      producer.pause();
      if (source !== 'screen') this.tracks.muted(source);
      this.store.announce('status.selfMuted');
      return;
    }
    if (source === 'screen') {
      void this.stopScreenShare(true);
      return;
    }
    this.sender.release(source);
  }
}
