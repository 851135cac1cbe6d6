import { NewConsumer, ProtocolError, ROOM_NAMESPACE } from '@dp/protocol';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { LinkClaims } from '../links/link-token.ts';
import { assertRoomEventsInMatrix, type RoomAccess, type RoomPass } from '../auth/room-access.ts';
import type { ConsultationGate } from '../timetable/consultation-gate.ts';
import type { Peer, PeerChannel } from '../rooms/peer.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { bindRequests } from './request-dispatch.ts';

const CONSUMER_ACK_TIMEOUT_MS = 10_000;

/** socket.io adapter for `/room`: one socket = at most one peer in one room. */
export function attachRoomNamespace(io: Server, rooms: RoomRegistry, access: RoomAccess, gate: ConsultationGate, log: Logger): void {
  assertRoomEventsInMatrix();
  io.of(ROOM_NAMESPACE).on('connection', (socket: Socket) => {
    let session: { room: Room; peer: Peer; claims: LinkClaims; pass: RoomPass } | undefined;
    const recordLeave = (claims: LinkClaims) =>
      void gate.left(claims).catch((e: Error) => log.warn({ err: e.message }, 'could not record a leave'));
    const current = () => {
      if (!session) throw new ProtocolError('not_joined', 'join the room first');
      return session;
    };

    const channel: PeerChannel = {
      emit: (event, ...args) => socket.emit(event, ...args),
      offerConsumer: async (data: NewConsumer) => {
        try {
          const res = (await socket.timeout(CONSUMER_ACK_TIMEOUT_MS).emitWithAck('newConsumer', data)) as { ok?: unknown };
          return res?.ok === true;
        } catch {
          return false;
        }
      },
    };

    bindRequests(
      socket,
      {
        join: async ({ token, consultationId, forceTcp, rtpCapabilities }) => {
          if (session && session.room.state === 'open') throw new ProtocolError('already_joined', 'this connection is already in a room');
          const pass = await access.admit(socket.request, { token, consultationId });
          const claims = pass.claims;
          const entry = await gate.enter(claims);
          const room = rooms.getOrCreate(claims.consultationId, entry.kind, entry.endsAt);
          const { peer, result } = await room.join(claims.participantId, claims.role, channel, {
            forceTcp: forceTcp ?? false,
            rtpCapabilities,
          });
          session = { room, peer, claims, pass };
          void gate.joined(claims).catch((e: Error) => log.warn({ err: e.message }, 'could not record a join'));
          // Consumers are offered after the acknowledgement has left (setImmediate runs
          // after the ack's microtask), so the browser already has its receive transport.
          if (rtpCapabilities) setImmediate(() => room.offerExisting(peer));
          return result;
        },
        connectTransport: async ({ transportId, dtlsParameters }) => {
          const s = current();
          await s.room.connectTransport(s.peer, transportId, dtlsParameters);
          return {};
        },
        ready: async ({ rtpCapabilities }) => {
          const s = current();
          await s.room.ready(s.peer, rtpCapabilities);
          return {};
        },
        produce: async ({ transportId, kind, rtpParameters, source }) => {
          const s = current();
          return { producerId: await s.room.produce(s.peer, transportId, kind, rtpParameters, source) };
        },
        pauseProducer: async ({ producerId }) => {
          const s = current();
          await s.room.setProducerPaused(s.peer, producerId, true);
          return {};
        },
        resumeProducer: async ({ producerId }) => {
          const s = current();
          await s.room.setProducerPaused(s.peer, producerId, false);
          return {};
        },
        closeProducer: async ({ producerId }) => {
          const s = current();
          await s.room.closeProducer(s.peer, producerId);
          return {};
        },
        setAudioOnly: async ({ audioOnly }) => {
          const s = current();
          await s.room.setAudioOnly(s.peer, audioOnly);
          return {};
        },
        leave: async () => {
          const s = current();
          session = undefined;
          await s.room.leave(s.peer);
          recordLeave(s.claims);
          return {};
        },
      },
      log,
      // `join` is checked by access.admit with its payload; every other event here.
      async (name) => {
        if (name !== 'join') await access.check(name, session?.pass);
      },
    );

    socket.on('disconnect', () => {
      const s = session;
      session = undefined;
      if (s) {
        void s.room.leave(s.peer);
        recordLeave(s.claims);
      }
    });
  });
}
