import { z } from 'zod';
import { DtlsParameters, IceServer, Id, MediaKind, MediaSource, RtpCapabilities, RtpParameters, TransportOptions } from './media.ts';
import { ClientStatsReport } from './client-stats.ts';
import { networkTestRequests } from './network-test.ts';
import { roomKinds, roomRoles } from './room-policy.ts';
import { CONTROL_CHARACTERS_MESSAGE, NO_CONTROL_CHARACTERS, text } from './api/common.ts';

// The socket.io protocol between a browser and signalling, namespace `/room`.
// Client → server events carry a payload validated with the schema below and are
// answered with an `Ack<Result>`; server → client events are listed in ServerEvents.

export const ROOM_NAMESPACE = '/room';

/** A participant's role in this consultation (see room-policy.ts for what each may do). */
export const RoomRole = z.enum(roomRoles);
export type RoomRole = z.infer<typeof RoomRole>;

export const RoomKind = z.enum(roomKinds);
export type RoomKind = z.infer<typeof RoomKind>;

export const FloorSchema = z.enum(['none', 'mic', 'full']);

/**
 * A webinar attendee's number for the whole consultation, given in order of first entry
 * (the same after a reload or a later return); null for every other participant. The page
 * shows «Участник N» / "Participant N" for a participant whose `label` is empty and who has one.
 */
export const AttendeeNumber = z.number().int().positive().nullable();

/**
 * What every participant may know about another: no personal data beyond the label. The
 * label is empty where the viewer may not know the name (room-policy.ts `seesName`): a
 * webinar attendee sees the other attendees only by `number`.
 */
export const PeerInfo = z.object({
  id: Id,
  role: RoomRole,
  label: z.string().max(120),
  number: AttendeeNumber,
  mic: z.boolean(),
  camera: z.boolean(),
  /** Sharing a screen (hosts and specialists). */
  screen: z.boolean(),
  /** The peer chose audio-only: it sends no video and receives none (weak connection). */
  audioOnly: z.boolean(),
  /** What it may send now: `none` for a webinar attendee without the floor or an observing curator. */
  floor: FloorSchema,
  /** A raised hand (webinar attendees). */
  hand: z.boolean(),
  /**
   * Its connection dropped (socket or media path) less than RESUME_GRACE_MS ago: its place is
   * kept while it comes back («связь прервалась, переподключается»).
   */
  away: z.boolean(),
});
export type PeerInfo = z.infer<typeof PeerInfo>;

/** A client in the waiting room, as the one who admits sees them. */
export const WaitingPeer = z.object({ id: Id, label: z.string().max(120), since: z.string() });
export type WaitingPeer = z.infer<typeof WaitingPeer>;

export const ChatKind = z.enum(['message', 'question', 'material']);
export type ChatKind = z.infer<typeof ChatKind>;

/** One line of the room's chat; kept with the consultation (it is part of the record). */
export const ChatMessage = z.object({
  id: Id,
  /** The participant who wrote it. */
  peerId: Id,
  role: RoomRole,
  /** Empty where the reader may not know the author's name (an attendee reading another attendee). */
  label: z.string().max(120),
  /** The author's attendee number (see PeerInfo). */
  number: AttendeeNumber,
  kind: ChatKind,
  text: z.string().max(2000),
  /** A material's link (http/https). */
  url: z.string().nullable(),
  /** A question the host marked answered. */
  answered: z.boolean(),
  at: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

// A URL may carry a control character that `new URL` would encode: refused like in any text.
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE);

const empty = z.object({}).strict();
const token = z.string().min(16).max(2048);

/** Client → server: payload schema and result schema of every request. */
export const clientRequests = {
  /**
   * One round trip into the room. A page that loaded its mediasoup Device beforehand
   * (GET /api/media/capabilities) sends its `rtpCapabilities` here, and the server
   * starts offering consumers right after this acknowledgement; otherwise it sends
   * `ready` once its Device is loaded. Every round trip saved is 100–300 ms on 3G.
   */
  join: {
    payload: z
      .object({
        /** A client's link token (a capability for one consultation) … */
        token: token.optional(),
        /** … or, for signed-in staff (the session cookie), the consultation they take part in. */
        consultationId: Id.optional(),
        forceTcp: z.boolean().optional(),
        rtpCapabilities: RtpCapabilities.optional(),
        /**
         * The page still holds these transports from before its connection dropped: when the
         * server kept them (within the grace), it returns them with new ICE parameters
         * (`resumed: true`) and the page restarts ICE in place — no new transports, producers
         * or consumers, no waiting room.
         */
        resume: z.object({ send: Id, recv: Id }).strict().optional(),
      })
      .strict()
      .refine((v) => (v.token === undefined) !== (v.consultationId === undefined), {
        message: 'send either token or consultationId',
        path: ['token'],
      }),
    result: z.object({
      self: PeerInfo,
      room: z.object({
        id: Id,
        kind: RoomKind,
        /** The hard cap: planned start + 60 minutes; the room closes itself then (null for a room with no consultation). */
        endsAt: z.string().nullable(),
        /** The booked end (planned start + booked duration): the timer counts to it; the cap is shown apart. */
        bookedEndsAt: z.string().nullable(),
      }),
      /** The server's time when it answered: the room's timers count by it, not by the device's own clock. */
      serverNow: z.string().optional(),
      /**
       * `waiting`: a client of a one-to-one or a dyad is in the waiting room until the
       * specialist or curator admits it (`admitted` event); until then it sees no one and
       * sends nothing. It is offered the others' media as consumers held paused on the SFU
       * (nothing is forwarded), so its receive path finishes ICE + DTLS while it waits and
       * admission costs only a resume and a key frame. Coming back within the grace skips the wait.
       */
      admission: z.enum(['admitted', 'waiting']),
      /** Whether someone who can admit is in the room (the waiting client's «специалист на связи»). */
      admitterPresent: z.boolean(),
      /** Empty while waiting; in a webinar an attendee sees only hosts and speakers. */
      peers: z.array(PeerInfo),
      /** For those who admit: who waits. */
      waiting: z.array(WaitingPeer),
      /** The chat so far (empty while waiting). */
      chat: z.array(ChatMessage),
      routerRtpCapabilities: RtpCapabilities,
      transports: z.object({ send: TransportOptions, recv: TransportOptions }),
      /** TURN servers with credentials for this session (empty when the installation runs no TURN). */
      iceServers: z.array(IceServer).default([]),
      /**
       * `resume` was honoured: the transports are the page's own with fresh ICE parameters.
       * `consumers` / `producers` are the ids the server still holds for this peer (the page
       * closes any other it has: they were closed while it was away).
       */
      resumed: z.object({ consumers: z.array(z.object({ id: Id, paused: z.boolean() })), producers: z.array(Id) }).optional(),
    }),
  },
  /** New ICE parameters for one of this peer's transports (its path failed or its network changed). */
  restartIce: {
    payload: z.object({ transportId: Id }).strict(),
    result: z.object({ iceParameters: TransportOptions.shape.iceParameters }),
  },
  connectTransport: {
    payload: z.object({ transportId: Id, dtlsParameters: DtlsParameters }).strict(),
    result: empty,
  },
  /** For a page that joined without `rtpCapabilities`: the server starts pushing `newConsumer`. */
  ready: {
    payload: z.object({ rtpCapabilities: RtpCapabilities }).strict(),
    result: empty,
  },
  produce: {
    payload: z.object({ transportId: Id, kind: MediaKind, rtpParameters: RtpParameters, source: MediaSource }).strict(),
    result: z.object({ producerId: Id }),
  },
  pauseProducer: { payload: z.object({ producerId: Id }).strict(), result: empty },
  resumeProducer: { payload: z.object({ producerId: Id }).strict(), result: empty },
  closeProducer: { payload: z.object({ producerId: Id }).strict(), result: empty },
  /** Audio-only on/off: the server pauses or resumes every video stream sent to this peer. */
  setAudioOnly: { payload: z.object({ audioOnly: z.boolean() }).strict(), result: empty },
  leave: { payload: empty, result: empty },

  // --- waiting room (specialist of a one-to-one, curator of a dyad) ---
  admit: { payload: z.object({ peerId: Id }).strict(), result: empty },
  decline: { payload: z.object({ peerId: Id }).strict(), result: empty },

  // --- webinar: hands, floor, moderation (hosts and cohosts) ---
  raiseHand: { payload: z.object({ raised: z.boolean() }).strict(), result: empty },
  /**
   * Lets an attendee speak: microphone, and the camera too when `camera`. The other attendees
   * see the speaker as «Участник N» unless `showName` (the host's choice; docs/security.md).
   */
  grantFloor: { payload: z.object({ peerId: Id, camera: z.boolean(), showName: z.boolean().optional() }).strict(), result: empty },
  /** Takes the floor back: the attendee's microphone and camera are closed by the server. */
  revokeFloor: { payload: z.object({ peerId: Id }).strict(), result: empty },
  /** Pauses someone's microphone (they may turn it on again if they still have the floor). */
  mutePeer: { payload: z.object({ peerId: Id }).strict(), result: empty },
  /** Removes an attendee for the rest of the consultation. */
  removePeer: { payload: z.object({ peerId: Id }).strict(), result: empty },

  // --- dyad: the curator steps in and out ---
  stepIn: { payload: empty, result: empty },
  stepOut: { payload: empty, result: empty },

  // --- chat, kept with the consultation ---
  /** A message, or in a webinar a question for the Q&A (`question: true`). */
  sendChat: {
    payload: z.object({ text: text(2000), question: z.boolean().optional() }).strict(),
    result: z.object({ message: ChatMessage }),
  },
  /**
   * «Завершить консультацию» (the specialist, a host or the curator): closes the room for
   * everyone (`roomClosed` with reason `ended`) and records the end in the lifecycle.
   */
  endConsultation: { payload: empty, result: empty },
  markAnswered: { payload: z.object({ messageId: Id }).strict(), result: empty },
  /** A link or document given to the participants (it goes into the protocol's materials). */
  postMaterial: {
    payload: z.object({ title: text(300), url: httpUrl }).strict(),
    result: z.object({ message: ChatMessage }),
  },

  // --- health ---
  /** The browser's own view of its connection (getStats), every few seconds, for the admins' dashboard. */
  clientStats: { payload: ClientStatsReport, result: empty },

  // --- the network test of the device check, allowed before `join` (network-test.ts) ---
  ...networkTestRequests,
} as const;

export type ClientRequestName = keyof typeof clientRequests;
export type RequestPayload<N extends ClientRequestName> = z.infer<(typeof clientRequests)[N]['payload']>;
export type RequestResult<N extends ClientRequestName> = z.infer<(typeof clientRequests)[N]['result']>;

export const NewConsumer = z.object({
  consumerId: Id,
  producerId: Id,
  peerId: Id,
  kind: MediaKind,
  source: MediaSource,
  rtpParameters: RtpParameters,
  /** The producer is paused at its source (camera off): show a placeholder. */
  producerPaused: z.boolean(),
});
export type NewConsumer = z.infer<typeof NewConsumer>;

/** technical_failure: the specialist reported that their equipment failed (a new time follows). */
export const RoomClosedReason = z.enum(['ended', 'time_limit', 'server_shutdown', 'technical_failure']);
export type RoomClosedReason = z.infer<typeof RoomClosedReason>;

/** Server → client events. `newConsumer` expects an acknowledgement (the client is ready to render). */
export type RemovedReason = 'host' | 'link_revoked' | 'access_ended';

export interface ServerEvents {
  peerJoined: (peer: PeerInfo) => void;
  peerUpdated: (peer: PeerInfo) => void;
  peerLeft: (data: { peerId: string }) => void;
  newConsumer: (data: NewConsumer, ack: (res: { ok: boolean }) => void) => void;
  consumerClosed: (data: { consumerId: string }) => void;
  consumerPaused: (data: { consumerId: string }) => void;
  consumerResumed: (data: { consumerId: string }) => void;
  /**
   * The quality the server forwards of a video consumer: `spatial` 0 (lowest) … 2, or null when
   * no layer fits this receiver's link — its video is paused for bandwidth, audio goes on.
   */
  consumerLayers: (data: { consumerId: string; spatial: number | null }) => void;
  /** The media server lost this room (its worker died): join again with the same link. */
  mediaReset: (data: { reason: 'worker_died' | 'sfu_disconnected' }) => void;
  roomClosed: (data: { reason: RoomClosedReason }) => void;
  /** «10 / 5 minutes left» before the 60-minute limit (the room closes itself at `endsAt`). */
  timeWarning: (data: { minutesLeft: number; endsAt: string }) => void;

  /** To a waiting client: let in. Its peers follow; it may now send media. */
  admitted: (data: { peers: PeerInfo[]; chat: ChatMessage[] }) => void;
  /** To a waiting client: not let in now (the link stays valid; it may try again). */
  declined: (data: Record<string, never>) => void;
  /** To a waiting client: whether someone who can admit is in the room. */
  admitterPresence: (data: { present: boolean }) => void;
  /** To those who admit: the waiting room changed. */
  waitingChanged: (data: { waiting: WaitingPeer[] }) => void;
  /**
   * To a peer taken out of the room: by a host (`host`, closed to this link for the rest of
   * the consultation), because its link was revoked or replaced by a new one (`link_revoked`:
   * the page says «ссылка отозвана»), or because a member of staff lost access (`access_ended`).
   */
  removed: (data: { reason: RemovedReason }) => void;
  /** To the peer whose microphone a host paused, or whose media the server closed (floor taken back). */
  mediaStopped: (data: { producerId: string; source: MediaSource; reason: 'muted' | 'floor_revoked' }) => void;
  chatMessage: (message: ChatMessage) => void;
  chatUpdated: (message: ChatMessage) => void;
}
