// Types only from the protocol: this module is part of the invitation page's first chunk
// (useRoomState reads `initialState`), which must not carry the protocol's zod schemas.
// The room policy's functions are used through media-plan.ts, in the room's lazy chunk.
import type { ChatMessage, MediaKind, MediaSource, PeerInfo, RoomClosedReason, RoomKind, RoomRole, WaitingPeer } from '@dp/protocol';
import type { DeviceStatus } from '../media/device-status.ts';
import type { ClientErrorCode } from './room-error.ts';

export type Phase =
  | 'idle' // pre-join: local preview only
  | 'connecting' // join clicked, not yet answered
  | 'joined' // in the room, or in its waiting room (see `admission`)
  | 'reconnecting' // lost the socket or the media server: re-joining with the same link
  | 'declined' // the specialist or curator did not let us in now; we may ask again
  | 'left' // the user pressed «Выйти»
  | 'closed' // the server closed the room, or a host removed us (`closedReason`)
  | 'failed'; // could not join; `error` says why

export type ReconnectCause = 'socket' | 'media';

/** Why the room ended for this browser: the room's reasons, or a host removed us. */
/** `link_revoked`: this link was revoked or replaced by a new one while in the room. */
export type EndReason = RoomClosedReason | 'removed' | 'link_revoked';

/** `waiting`: in the waiting room until the specialist or curator admits us. */
export type Admission = 'waiting' | 'admitted';

export interface LocalState {
  mic: DeviceStatus;
  camera: DeviceStatus;
  /** The camera track alone, for the self-view (never played with sound). */
  previewStream: MediaStream | null;
  micOn: boolean;
  cameraOn: boolean;
  audioOnly: boolean;
  /** The screen this browser shares (hosts and specialists), for its own small preview. */
  screenStream: MediaStream | null;
  /** Our uplink cannot carry even the camera's lowest layer: the camera is paused (uplink-guard.ts). */
  uplinkWeak: boolean;
}

export interface RemoteMedia {
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /** Paused by the server: the producer is paused, or video is held back in audio-only mode. */
  videoPaused: boolean;
  /**
   * The camera layer the server forwards us (0 lowest … 2 highest); null: none fits our link,
   * the video is paused for bandwidth («Видео приостановлено: слабое соединение»).
   */
  videoLayer: number | null | undefined;
  audioPaused: boolean;
  /** A shared screen (shown large). */
  screenTrack: MediaStreamTrack | null;
  screenPaused: boolean;
}

export interface StatusMessage {
  key: string;
  params?: Record<string, string>;
  /** Changes on every announcement, so that the same sentence twice is still re-rendered. */
  seq: number;
}

export interface RoomState {
  phase: Phase;
  /** The server answered our join (in the room or in its waiting room) and nothing has ended it since. */
  joined: boolean;
  /** Null before the first join has been answered. */
  admission: Admission | null;
  self: PeerInfo | null;
  /** `endsAt`: the hard cap (the room closes then); `bookedEndsAt`: the end the consultation was booked for. */
  room: { id: string; kind: RoomKind; endsAt: string | null; bookedEndsAt: string | null } | null;
  /** The other participants this browser may see. */
  peers: PeerInfo[];
  remote: Record<string, RemoteMedia>;
  local: LocalState;
  /** For a waiting client: whether someone who can admit it is in the room. */
  admitterPresent: boolean;
  /** For those who admit: who waits. */
  waiting: WaitingPeer[];
  /** The room's chat, oldest first (messages, questions and materials). */
  chat: ChatMessage[];
  status: StatusMessage | null;
  reconnect: ReconnectCause | null;
  /** In the room, and a media path is being restored in place (ICE restart): «переподключаемся». */
  linkRestoring: boolean;
  closedReason: EndReason | null;
  error: ClientErrorCode | null;
  /** A request in flight (its button ignores presses until the answer). */
  pending: { mic: boolean; camera: boolean; audioOnly: boolean; screen: boolean; hand: boolean; stepIn: boolean };
}

export const initialState: RoomState = {
  phase: 'idle',
  joined: false,
  admission: null,
  self: null,
  room: null,
  peers: [],
  remote: {},
  local: {
    mic: 'pending',
    camera: 'pending',
    previewStream: null,
    micOn: true,
    cameraOn: true,
    audioOnly: false,
    screenStream: null,
    uplinkWeak: false,
  },
  admitterPresent: false,
  waiting: [],
  chat: [],
  status: null,
  reconnect: null,
  linkRestoring: false,
  closedReason: null,
  error: null,
  pending: { mic: false, camera: false, audioOnly: false, screen: false, hand: false, stepIn: false },
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

type Change = { key: string } | null;

/** The announcement for another participant's state change, or null when nothing a listener cares about changed. */
export function peerChangeStatus(before: PeerInfo | undefined, after: PeerInfo): Change {
  if (!before) return null;
  if (before.away !== after.away) return { key: after.away ? 'status.peerAway' : 'status.peerBack' };
  if (before.floor !== after.floor) {
    if (after.role === 'curator') return { key: after.floor === 'none' ? 'status.curatorObserving' : 'status.curatorSteppedIn' };
    return { key: after.floor === 'none' ? 'status.peerFloorRevoked' : 'status.peerFloorGranted' };
  }
  if (!before.hand && after.hand) return { key: 'status.peerHandRaised' };
  if (before.screen !== after.screen) return { key: after.screen ? 'status.peerScreenOn' : 'status.peerScreenOff' };
  if (before.audioOnly !== after.audioOnly) return { key: after.audioOnly ? 'status.peerAudioOnlyOn' : 'status.peerAudioOnlyOff' };
  if (before.camera !== after.camera && !after.audioOnly) return { key: after.camera ? 'status.peerCameraOn' : 'status.peerCameraOff' };
  if (before.mic !== after.mic) return { key: after.mic ? 'status.peerMicOn' : 'status.peerMicOff' };
  return null;
}

/** The announcement for a change the server made to this browser's own place (floor, hand). */
export function selfChangeStatus(before: PeerInfo | null, after: PeerInfo): Change {
  if (!before) return null;
  if (before.floor !== after.floor) {
    if (after.role === 'curator') return { key: after.floor === 'none' ? 'status.selfSteppedOut' : 'status.selfSteppedIn' };
    if (after.floor === 'none') return { key: 'status.selfFloorRevoked' };
    return { key: after.floor === 'full' ? 'status.selfFloorFull' : 'status.selfFloorMic' };
  }
  if (before.hand !== after.hand) return { key: after.hand ? 'status.selfHandRaised' : 'status.selfHandLowered' };
  return null;
}

export interface ConsumerView {
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  track: MediaStreamTrack;
  paused: boolean;
  /** Simulcast layer forwarded (see RemoteMedia.videoLayer); undefined until the server says. */
  layer?: number | null | undefined;
}

const emptyMedia = (): RemoteMedia => ({
  audioTrack: null,
  videoTrack: null,
  videoPaused: false,
  videoLayer: undefined,
  audioPaused: false,
  screenTrack: null,
  screenPaused: false,
});

/** Groups live consumers per peer: a microphone, a camera and a shared screen each. */
export function remoteFromConsumers(consumers: Iterable<ConsumerView>): Record<string, RemoteMedia> {
  const out: Record<string, RemoteMedia> = {};
  for (const c of consumers) {
    const r = (out[c.peerId] ??= emptyMedia());
    if (c.kind === 'audio') {
      r.audioTrack = c.track;
      r.audioPaused = c.paused;
    } else if (c.source === 'camera') {
      r.videoTrack = c.track;
      r.videoPaused = c.paused;
      r.videoLayer = c.layer;
    } else if (c.source === 'screen') {
      r.screenTrack = c.track;
      r.screenPaused = c.paused;
    }
  }
  return out;
}

export type RemoteView =
  | { kind: 'waiting' }
  | { kind: 'video' }
  | { kind: 'placeholder'; reason: 'peerAway' | 'peerAudioOnly' | 'selfAudioOnly' | 'cameraOff' | 'videoLoading' | 'weakLink' };

/** What a tile shows for another participant. */
export function remoteView(peer: PeerInfo | undefined, media: RemoteMedia | undefined, selfAudioOnly: boolean): RemoteView {
  if (!peer) return { kind: 'waiting' };
  if (peer.away) return { kind: 'placeholder', reason: 'peerAway' };
  if (peer.audioOnly) return { kind: 'placeholder', reason: 'peerAudioOnly' };
  if (selfAudioOnly) return { kind: 'placeholder', reason: 'selfAudioOnly' };
  if (!peer.camera || media?.videoPaused) return { kind: 'placeholder', reason: 'cameraOff' };
  // No layer fits our link: the server paused this video so the voice keeps going.
  if (media?.videoLayer === null) return { kind: 'placeholder', reason: 'weakLink' };
  // The peer's camera is on but its consumer has not arrived yet (a moment after joining).
  if (!media?.videoTrack) return { kind: 'placeholder', reason: 'videoLoading' };
  return { kind: 'video' };
}

// --- chat ----------------------------------------------------------------------------------

/** How many lines the page keeps (the server sends at most 200 on entering). */
export const CHAT_KEEP = 500;

/** Adds a message once (an echo or a repeated event is not a second line), oldest first. */
export function appendChat(chat: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  if (chat.some((m) => m.id === message.id)) return updateChat(chat, message);
  const next = [...chat, message];
  // Events may overtake each other by a few milliseconds: keep the server's order.
  if (chat.length > 0 && chat[chat.length - 1]!.at > message.at) next.sort((a, b) => a.at.localeCompare(b.at));
  return next.length > CHAT_KEEP ? next.slice(next.length - CHAT_KEEP) : next;
}

/** Replaces a message by id (a question marked answered); unknown ids are added. */
export function updateChat(chat: readonly ChatMessage[], message: ChatMessage): ChatMessage[] {
  const i = chat.findIndex((m) => m.id === message.id);
  if (i === -1) return appendChat(chat, message);
  const next = chat.slice();
  next[i] = message;
  return next;
}

/** Questions for the Q&A: open ones first (oldest first), then the answered ones. */
export function questionsOf(chat: readonly ChatMessage[]): ChatMessage[] {
  const qs = chat.filter((m) => m.kind === 'question');
  return [...qs.filter((q) => !q.answered), ...qs.filter((q) => q.answered)];
}

export function materialsOf(chat: readonly ChatMessage[]): ChatMessage[] {
  return chat.filter((m) => m.kind === 'material' && m.url);
}

// --- who is where ------------------------------------------------------------------------------

/** Those who lead the room (room-policy.ts `isLead`) and their order; the others rank after them. */
const LEAD_ORDER: Partial<Record<RoomRole, number>> = { host: 0, specialist: 0, cohost: 1, curator: 2 };

/**
 * The participant list's order: those who lead first, then raised hands (a host must see
 * them at once), then whoever has the floor, then everyone else by name. Stable otherwise.
 */
export function orderParticipants(peers: readonly PeerInfo[], collator: Intl.Collator = new Intl.Collator('ru')): PeerInfo[] {
  const rank = (p: PeerInfo) => LEAD_ORDER[p.role] ?? (p.hand ? 10 : p.floor !== 'none' ? 11 : 12);
  return peers
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || collator.compare(a.p.label, b.p.label) || a.i - b.i)
    .map(({ p }) => p);
}

export interface StagePlan {
  /** The peer whose shared screen is shown large, if any. */
  screen: string | null;
  /** Whose tiles are on the stage (camera or placeholder), in order. */
  tiles: string[];
}

/**
 * Who is on the stage. One-to-one: the other person. Dyad: the other client(s), and the
 * curator only while it takes part in the talk (an observing curator is the indicator, not
 * a tile). Webinar: the hosts and whoever has the floor — never the silent audience.
 */
export function stagePlan(kind: RoomKind, peers: readonly PeerInfo[], remote: Readonly<Record<string, RemoteMedia>>): StagePlan {
  const sharing = peers.find((p) => p.screen && remote[p.id]?.screenTrack);
  let tiles: PeerInfo[];
  if (kind === 'webinar') tiles = peers.filter((p) => p.role === 'host' || p.role === 'cohost' || p.floor !== 'none');
  else if (kind === 'dyad') tiles = peers.filter((p) => p.role !== 'curator' || p.floor !== 'none');
  else tiles = peers.slice();
  const order = (p: PeerInfo) => (p.role === 'host' ? 0 : p.role === 'cohost' ? 1 : p.role === 'curator' ? 3 : 2);
  tiles = tiles
    .map((p, i) => ({ p, i }))
    .sort((a, b) => order(a.p) - order(b.p) || a.i - b.i)
    .map(({ p }) => p);
  return { screen: sharing?.id ?? null, tiles: tiles.map((p) => p.id) };
}

export type CuratorState = 'absent' | 'observing' | 'speaking';

/** What a dyad's client must always be told: whether the curator is there, and whether it takes part. */
export function curatorState(peers: readonly PeerInfo[]): CuratorState {
  const curators = peers.filter((p) => p.role === 'curator');
  if (curators.length === 0) return 'absent';
  return curators.some((c) => c.floor !== 'none') ? 'speaking' : 'observing';
}

/** Those who started waiting since the last list (to ring and announce them once). */
export function newWaiters(before: readonly WaitingPeer[], after: readonly WaitingPeer[]): WaitingPeer[] {
  const seen = new Set(before.map((w) => w.id));
  return after.filter((w) => !seen.has(w.id));
}

/** Whole minutes someone has waited (for «ждёт 3 мин»). */
export function minutesWaiting(since: string, now: number): number {
  const t = Date.parse(since);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((now - t) / 60_000));
}

/** The status line's sentence for each way the room ends for this browser. */
export const CLOSED_STATUS: Record<EndReason, string> = {
  ended: 'end.endedTitle',
  time_limit: 'end.timeLimitTitle',
  server_shutdown: 'end.serverShutdownTitle',
  removed: 'end.removedTitle',
  link_revoked: 'end.linkRevokedTitle',
  technical_failure: 'end.technicalFailureTitle',
};
