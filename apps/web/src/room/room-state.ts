import type { MediaKind, MediaSource, PeerInfo, RoomClosedReason, RoomKind } from '@dp/protocol';
import type { DeviceStatus } from '../media/device-status.ts';
import type { ClientErrorCode } from './room-error.ts';

export type Phase =
  | 'idle' // pre-join: local preview only
  | 'connecting' // join clicked, not yet admitted
  | 'joined'
  | 'reconnecting' // lost the socket or the media server: re-joining with the same link
  | 'left' // the user pressed «Выйти»
  | 'closed' // the server closed the room
  | 'failed'; // could not join; `error` says why

export type ReconnectCause = 'socket' | 'media';

export interface LocalState {
  mic: DeviceStatus;
  camera: DeviceStatus;
  /** The camera track alone, for the self-view (never played with sound). */
  previewStream: MediaStream | null;
  micOn: boolean;
  cameraOn: boolean;
  audioOnly: boolean;
}

export interface RemoteMedia {
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /** Paused by the server: the producer is paused, or video is held back in audio-only mode. */
  videoPaused: boolean;
  audioPaused: boolean;
}

export interface StatusMessage {
  key: string;
  params?: Record<string, string>;
  /** Changes on every announcement, so that the same sentence twice is still re-rendered. */
  seq: number;
}

export interface RoomState {
  phase: Phase;
  /** The server admitted this browser (join acknowledged) and nothing has ended it since. */
  joined: boolean;
  self: PeerInfo | null;
  room: { id: string; kind: RoomKind; endsAt: string | null } | null;
  /** The other participants. */
  peers: PeerInfo[];
  remote: Record<string, RemoteMedia>;
  local: LocalState;
  status: StatusMessage | null;
  reconnect: ReconnectCause | null;
  closedReason: RoomClosedReason | null;
  error: ClientErrorCode | null;
  /** A toggle whose request is in flight (its button is disabled until the answer). */
  pending: { mic: boolean; camera: boolean; audioOnly: boolean };
}

export const initialState: RoomState = {
  phase: 'idle',
  joined: false,
  self: null,
  room: null,
  peers: [],
  remote: {},
  local: { mic: 'pending', camera: 'pending', previewStream: null, micOn: true, cameraOn: true, audioOnly: false },
  status: null,
  reconnect: null,
  closedReason: null,
  error: null,
  pending: { mic: false, camera: false, audioOnly: false },
};

export function upsertPeer(peers: readonly PeerInfo[], peer: PeerInfo): PeerInfo[] {
  const i = peers.findIndex((p) => p.id === peer.id);
  if (i === -1) return [...peers, peer];
  const next = peers.slice();
  next[i] = peer;
  return next;
}

export function removePeer(peers: readonly PeerInfo[], peerId: string): PeerInfo[] {
  return peers.filter((p) => p.id !== peerId);
}

/** The announcement for a peer's state change, or null when nothing a listener cares about changed. */
export function peerChangeStatus(before: PeerInfo | undefined, after: PeerInfo): { key: string } | null {
  if (!before) return null;
  if (before.audioOnly !== after.audioOnly) return { key: after.audioOnly ? 'status.peerAudioOnlyOn' : 'status.peerAudioOnlyOff' };
  if (before.camera !== after.camera && !after.audioOnly) return { key: after.camera ? 'status.peerCameraOn' : 'status.peerCameraOff' };
  if (before.mic !== after.mic) return { key: after.mic ? 'status.peerMicOn' : 'status.peerMicOff' };
  return null;
}

export interface ConsumerView {
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  track: MediaStreamTrack;
  paused: boolean;
}

/** Groups live consumers per peer: one microphone and one camera each (screen sharing is not shown yet). */
export function remoteFromConsumers(consumers: Iterable<ConsumerView>): Record<string, RemoteMedia> {
  const out: Record<string, RemoteMedia> = {};
  for (const c of consumers) {
    const r = (out[c.peerId] ??= { audioTrack: null, videoTrack: null, videoPaused: false, audioPaused: false });
    if (c.kind === 'audio') {
      r.audioTrack = c.track;
      r.audioPaused = c.paused;
    } else if (c.source === 'camera') {
      r.videoTrack = c.track;
      r.videoPaused = c.paused;
    }
  }
  return out;
}

export type RemoteView =
  | { kind: 'waiting' }
  | { kind: 'video' }
  | { kind: 'placeholder'; reason: 'peerAudioOnly' | 'selfAudioOnly' | 'cameraOff' | 'videoLoading' };

/** What the stage shows for the other participant. */
export function remoteView(peer: PeerInfo | undefined, media: RemoteMedia | undefined, selfAudioOnly: boolean): RemoteView {
  if (!peer) return { kind: 'waiting' };
  if (peer.audioOnly) return { kind: 'placeholder', reason: 'peerAudioOnly' };
  if (selfAudioOnly) return { kind: 'placeholder', reason: 'selfAudioOnly' };
  if (!peer.camera || media?.videoPaused) return { kind: 'placeholder', reason: 'cameraOff' };
  // The peer's camera is on but its consumer has not arrived yet (a moment after joining).
  if (!media?.videoTrack) return { kind: 'placeholder', reason: 'videoLoading' };
  return { kind: 'video' };
}
