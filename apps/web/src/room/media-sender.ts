import type { types as ms } from 'mediasoup-client';
import type { MediaSource, PeerInfo } from '@dp/protocol';
import { CAMERA_ENCODINGS, SCREEN_ENCODINGS } from '../media/constraints.ts';
import type { LocalTracks } from './local-capture.ts';
import { mediaPlan } from './media-plan.ts';
import type { MediaSession } from './media-session.ts';
import { toRoomError } from './room-error.ts';
import { request, type RoomSocket } from './signalling.ts';
import type { RoomStore } from './state-store.ts';

/** Longest wait for the receive path before our own media start anyway. */
const RECEIVE_FIRST_GRACE_MS = 400;

const FLOOR_RANK = { none: 0, mic: 1, full: 2 } as const;

/**
 * How video is sent. The camera starts low and lets bandwidth estimation climb: rural uplinks
 * cannot take a burst. The screen has one layer: slides change rarely, and a second layer
 * would only cost the uplink.
 */
const VIDEO_SEND = {
  camera: { encodings: CAMERA_ENCODINGS, startBitrate: 300 },
  screen: { encodings: SCREEN_ENCODINGS, startBitrate: 500 },
} as const;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Our producers. What this browser sends follows the room policy (room-policy.ts
 * `mayProduce`): a webinar attendee sends nothing until a host gives it the floor, a dyad's
 * curator nothing until it steps in, a waiting client nothing until it is admitted. Tracks
 * that may not be sent are released (the camera light goes off), and captured again when
 * the floor comes.
 */
export class MediaSender {
  producers: Partial<Record<MediaSource, ms.Producer>> = {};
  /** The microphone or camera being produced now: one at a time per source. */
  private readonly inflight: Partial<Record<'mic' | 'camera', Promise<void>>> = {};
  /** Floor changes are applied one after another (a grant and a revoke in quick succession). */
  private floorSync: Promise<void> = Promise.resolve();

  private readonly store: RoomStore;
  private readonly tracks: LocalTracks;
  private readonly media: MediaSession;
  /** The room's socket now (null after leaving): producers closed late are closed on the server too. */
  private readonly socket: () => RoomSocket | null;

  constructor(store: RoomStore, tracks: LocalTracks, media: MediaSession, socket: () => RoomSocket | null) {
    this.store = store;
    this.tracks = tracks;
    this.media = media;
    this.socket = socket;
  }

  /**
   * Our own media, once let in. Seeing and hearing the others comes first: when someone is
   * already sending, our camera and microphone start once the receive path is connected
   * (or after a short grace), so both do not fight over an old laptop's CPU at once.
   */
  async startSending(session: number, socket: RoomSocket, peers: readonly PeerInfo[]): Promise<void> {
    this.releaseUnsendable();
    const recvTransport = this.media.recvTransport;
    if (recvTransport && peers.some((p) => p.mic || p.camera || p.screen)) {
      await Promise.race([
        new Promise<void>((resolve) => recvTransport.on('connectionstatechange', (st) => st === 'connected' && resolve())),
        sleep(RECEIVE_FIRST_GRACE_MS),
      ]);
      if (!this.store.alive(session)) return;
    }
    await this.produceAll(session, socket, true);
  }

  /**
   * Produces whatever the room lets this participant send now and is not sent yet; the
   * tracks it may not send are released. `initial`: right after joining or being let in
   * (the audio-only choice is told to the server then).
   */
  async produceAll(session: number, socket: RoomSocket, initial: boolean): Promise<void> {
    const device = this.media.device;
    const self = this.store.state.self;
    if (!device || !self) return;
    const plan = mediaPlan(self.role, self.floor);
    const tasks: Promise<unknown>[] = [];
    if (plan.mic) {
      tasks.push(
        this.tracks.ensureTrack('mic').then(() => (this.tracks.audio && device.canProduce('audio') ? this.produceMic(session) : undefined)),
      );
    }
    if (this.store.state.local.audioOnly) {
      if (initial) tasks.push(request(socket, 'setAudioOnly', { audioOnly: true }));
    } else if (plan.camera) {
      tasks.push(
        this.tracks
          .ensureTrack('camera')
          .then(() => (this.tracks.video && device.canProduce('video') ? this.produceCamera(session) : undefined)),
      );
    }
    if (plan.screen && this.tracks.screen) tasks.push(this.produceScreen(session));
    // A producer that fails should not cost the whole consultation: the other media still work.
    const results = await Promise.allSettled(tasks);
    for (const r of results) {
      if (r.status === 'rejected' && this.store.alive(session)) this.announceProduceError(r.reason);
    }
  }

  /** A refusal because the floor was taken back meanwhile is expected, not an error to read out. */
  announceProduceError(reason: unknown): void {
    const code = toRoomError(reason).code;
    // A dropped connection is resumed, and the resumed session produces again.
    if (code === 'network') return;
    const self = this.store.state.self;
    if (code === 'forbidden' && self && !mediaPlan(self.role, self.floor).mic) return;
    this.store.announceError(code);
  }

  /**
   * A producer just made: kept only if this session is alive and its track is still the one
   * wanted; otherwise closed here and on the server.
   */
  private async keepProduced(session: number, producer: ms.Producer, stillWanted: () => boolean): Promise<boolean> {
    if (!this.store.alive(session)) {
      producer.close();
      return false;
    }
    if (stillWanted()) return true;
    producer.close();
    const socket = this.socket();
    if (socket?.connected) await request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
    return false;
  }

  /**
   * Runs one produce of a source at a time. A call while one is under way waits for it and then
   * looks again: if its answer was lost with a dropped connection, nothing is sent yet, and this
   * call produces anew (the server replaces the orphan it may hold).
   */
  private serial(source: 'mic' | 'camera', run: () => Promise<void>): Promise<void> {
    const busy = this.inflight[source];
    if (busy) return busy.catch(() => undefined).then(() => this.serial(source, run));
    const done = run().finally(() => {
      if (this.inflight[source] === done) delete this.inflight[source];
    });
    this.inflight[source] = done;
    return done;
  }

  produceMic(session: number): Promise<void> {
    return this.serial('mic', () => this.produceMicTrack(session));
  }

  private async produceMicTrack(session: number): Promise<void> {
    const track = this.tracks.audio;
    const transport = this.media.sendTransport;
    if (!track || !transport || (this.producers.mic && !this.producers.mic.closed)) return;
    const producer = await transport.produce({
      track,
      // DTX sends almost nothing during silence; FEC rides out the odd lost packet on 3G.
      codecOptions: { opusDtx: true, opusFec: true },
      // Tracks belong to LocalTracks: a media reset must not stop the user's microphone.
      stopTracks: false,
      appData: { source: 'mic' },
    });
    // The floor may have been taken back while this was negotiating.
    if (!(await this.keepProduced(session, producer, () => this.tracks.audio === track))) return;
    this.producers.mic = producer;
    this.watchTrackEnd(producer, 'mic');
    if (!this.store.state.local.micOn) {
      await this.syncPause('mic', producer, false, () => undefined);
    }
  }

  produceCamera(session: number): Promise<void> {
    return this.serial('camera', async () => {
      const track = this.tracks.video;
      const transport = this.media.sendTransport;
      const device = this.media.device;
      if (!track || !transport || !device || (this.producers.camera && !this.producers.camera.closed)) return;
      await this.produceCameraTrack(session, track, transport, device);
    });
  }

  private async produceCameraTrack(session: number, track: MediaStreamTrack, transport: ms.Transport, device: ms.Device): Promise<void> {
    const producer = await this.produceVideo(transport, device, track, 'camera');
    // Audio-only may have been switched on (or the floor taken back) while this was negotiating.
    if (!(await this.keepProduced(session, producer, () => this.tracks.video === track))) return;
    this.producers.camera = producer;
    this.watchTrackEnd(producer, 'camera');
    if (!this.store.state.local.cameraOn) {
      await this.syncPause('camera', producer, false, () => undefined);
    }
  }

  async produceScreen(session: number): Promise<void> {
    const track = this.tracks.screen;
    const transport = this.media.sendTransport;
    if (!track || !transport || (this.producers.screen && !this.producers.screen.closed)) return;
    const producer = await this.produceVideo(transport, this.media.device, track, 'screen');
    if (!(await this.keepProduced(session, producer, () => this.tracks.screen === track))) return;
    this.producers.screen = producer;
  }

  /** The camera or the shared screen, in VP8 where the browser has it. */
  private produceVideo(
    transport: ms.Transport,
    device: ms.Device | null,
    track: MediaStreamTrack,
    source: 'camera' | 'screen',
  ): Promise<ms.Producer> {
    const vp8 = device?.sendRtpCapabilities.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
    return transport.produce({
      track,
      encodings: VIDEO_SEND[source].encodings.map((e) => ({ ...e })),
      codecOptions: { videoGoogleStartBitrate: VIDEO_SEND[source].startBitrate },
      ...(vp8 ? { codec: vp8 } : {}),
      stopTracks: false,
      appData: { source },
    });
  }

  /** A device unplugged mid-call: say so and stop offering a button that cannot work. */
  private watchTrackEnd(producer: ms.Producer, source: 'mic' | 'camera'): void {
    producer.on('trackended', () => {
      if (this.producers[source] !== producer) return;
      delete this.producers[source];
      producer.close();
      const socket = this.socket();
      if (socket?.connected) void request(socket, 'closeProducer', { producerId: producer.id }).catch(() => undefined);
      this.tracks.lost(source);
    });
  }

  /**
   * Pauses or resumes a producer here and on the server. A lost connection is handled by
   * re-joining; a refusal means the server's view differs, so the switch is undone.
   */
  async syncPause(which: 'mic' | 'camera', producer: ms.Producer, on: boolean, revert: () => void): Promise<void> {
    const socket = this.socket();
    if (on) producer.resume();
    else producer.pause();
    if (!socket || !this.store.inRoom) return; // a re-join will produce with the current choice
    this.store.setPending(which, true);
    try {
      await request(socket, on ? 'resumeProducer' : 'pauseProducer', { producerId: producer.id });
    } catch (e) {
      const code = toRoomError(e).code;
      if (code !== 'network' && code !== 'timeout') {
        if (on) producer.pause();
        else producer.resume();
        revert();
        this.store.announceError(code);
      }
    } finally {
      this.store.setPending(which, false);
    }
  }

  /** Takes a producer out of the session (closed here; the caller tells the server). */
  take(source: MediaSource): ms.Producer | undefined {
    const producer = this.producers[source];
    delete this.producers[source];
    producer?.close();
    return producer;
  }

  /** Releases the tracks the room does not let us send now (camera light off while listening). */
  releaseUnsendable(): void {
    const self = this.store.state.self;
    if (!self) return;
    const plan = mediaPlan(self.role, self.floor);
    if (!plan.mic) this.release('mic');
    if (!plan.camera) this.release('camera');
  }

  release(source: 'mic' | 'camera'): void {
    this.take(source);
    this.tracks.release(source);
  }

  // --- following the floor -----------------------------------------------------------------

  /** Our floor changed (given, taken back, a curator stepping in or out): send what we may now. */
  floorChanged(before: PeerInfo, after: PeerInfo): void {
    // Given the floor (or stepping in): speak at once — that is what was asked for.
    if (FLOOR_RANK[after.floor] > FLOOR_RANK[before.floor]) this.tracks.switchOn(after.floor === 'full');
    const session = this.store.session;
    this.floorSync = this.floorSync
      .then(async () => {
        if (!this.store.alive(session) || !this.store.inRoom) return;
        this.releaseUnsendable();
        const socket = this.socket();
        if (socket) await this.produceAll(session, socket, false);
      })
      .catch((e: unknown) => {
        if (this.store.alive(session)) this.announceProduceError(e);
      });
  }

  /** After a resumed session: producers the server closed while we were away go here too. */
  keepOnly(ids: readonly string[]): void {
    const keep = new Set(ids);
    // One the server holds and we do not: made for a request whose answer was lost with the
    // old connection. It carries nothing, yet the others would see a camera or microphone on.
    const mine = new Set(Object.values(this.producers).map((p) => p?.id));
    const socket = this.socket();
    for (const id of ids) {
      if (!mine.has(id) && socket?.connected) void request(socket, 'closeProducer', { producerId: id }).catch(() => undefined);
    }
    for (const source of Object.keys(this.producers) as MediaSource[]) {
      const producer = this.producers[source];
      if (!producer || keep.has(producer.id)) continue;
      if (source === 'screen') this.take('screen');
      else this.release(source);
    }
  }

  /** The transports closed (and their producers with them): forget the producers. */
  reset(): void {
    this.producers = {};
  }
}
