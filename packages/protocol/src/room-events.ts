import { z } from 'zod';
import { DtlsParameters, Id, MediaKind, MediaSource, RtpCapabilities, RtpParameters, TransportOptions } from './media.ts';

// The socket.io protocol between a browser and signalling, namespace `/room`.
// Client → server events carry a payload validated with the schema below and are
// answered with an `Ack<Result>`; server → client events are listed in ServerEvents.

export const ROOM_NAMESPACE = '/room';

export const RoomRole = z.enum(['specialist', 'client']);
export type RoomRole = z.infer<typeof RoomRole>;

export const RoomKind = z.enum(['one_to_one']);
export type RoomKind = z.infer<typeof RoomKind>;

/** What every participant may know about another: no personal data beyond the label. */
export const PeerInfo = z.object({
  id: Id,
  role: RoomRole,
  label: z.string().max(120),
  mic: z.boolean(),
  camera: z.boolean(),
  /** The peer chose audio-only: it sends no video and receives none (weak connection). */
  audioOnly: z.boolean(),
});
export type PeerInfo = z.infer<typeof PeerInfo>;

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
      })
      .strict()
      .refine((v) => (v.token === undefined) !== (v.consultationId === undefined), {
        message: 'send either token or consultationId',
        path: ['token'],
      }),
    result: z.object({
      self: PeerInfo,
      room: z.object({ id: Id, kind: RoomKind, endsAt: z.string().nullable() }),
      peers: z.array(PeerInfo),
      routerRtpCapabilities: RtpCapabilities,
      transports: z.object({ send: TransportOptions, recv: TransportOptions }),
    }),
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

export const RoomClosedReason = z.enum(['ended', 'time_limit', 'server_shutdown']);
export type RoomClosedReason = z.infer<typeof RoomClosedReason>;

/** Server → client events. `newConsumer` expects an acknowledgement (the client is ready to render). */
export interface ServerEvents {
  peerJoined: (peer: PeerInfo) => void;
  peerUpdated: (peer: PeerInfo) => void;
  peerLeft: (data: { peerId: string }) => void;
  newConsumer: (data: NewConsumer, ack: (res: { ok: boolean }) => void) => void;
  consumerClosed: (data: { consumerId: string }) => void;
  consumerPaused: (data: { consumerId: string }) => void;
  consumerResumed: (data: { consumerId: string }) => void;
  /** The media server lost this room (its worker died): join again with the same link. */
  mediaReset: (data: { reason: 'worker_died' | 'sfu_disconnected' }) => void;
  roomClosed: (data: { reason: RoomClosedReason }) => void;
  /** «10 / 5 minutes left» before the 60-minute limit (the room closes itself at `endsAt`). */
  timeWarning: (data: { minutesLeft: number; endsAt: string }) => void;
}
