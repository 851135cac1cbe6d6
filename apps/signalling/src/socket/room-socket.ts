import { NewConsumer, ProtocolError, ROOM_NAMESPACE, type ClientRequestName, type IceServer, type RequestPayload } from '@dp/protocol';
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { assertRoomEventsInMatrix, type RoomAccess, type RoomPass } from '../auth/room-access.ts';
import type { ConsultationGate } from '../timetable/consultation-gate.ts';
import type { Peer, PeerChannel } from '../rooms/peer.ts';
import type { Room } from '../rooms/room.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { bindRequests } from './request-dispatch.ts';
import type { NetworkProbes, Probe } from '../probe/network-probes.ts';
import type { Budgets, Holder } from '../http/budgets.ts';
import type { IncomingMessage } from 'node:http';

const CONSUMER_ACK_TIMEOUT_MS = 10_000;

/** socket.io adapter for `/room`: one socket = at most one peer in one room. */
export function attachRoomNamespace(
  io: Server,
  rooms: RoomRegistry,
  access: RoomAccess,
  gate: ConsultationGate,
  log: Logger,
  probes: NetworkProbes,
  /** Connections, joins and network-test starts per link, session and address (none: unlimited). */
  limits?: { budgets: Budgets; addressOf: (req: IncomingMessage) => string },
  /** TURN servers with fresh credentials for one join (turn/turn-credentials.ts); none without TURN. */
  iceServersFor: () => IceServer[] = () => [],
): void {
  assertRoomEventsInMatrix();
  const addressOf = (socket: Socket) => limits?.addressOf(socket.request) ?? socket.handshake.address;
  /** Spends a budget for a request that `admit` refused or passed (a refused one only the address's). */
  const spend = async (kind: 'join' | 'networkTest', socket: Socket, pass: RoomPass | null) => {
    if (!limits) return;
    const holder: Holder | null = pass ? (pass.sessionToken ? { session: pass.sessionToken } : { link: pass.claims.participantId }) : null;
    await limits.budgets.spend(kind, addressOf(socket), holder);
  };
  /** `admit`, with its budget: a refused attempt still counts against the address. */
  const admitWithin = async (
    kind: 'join' | 'networkTest',
    socket: Socket,
    auth: { token?: string | undefined; consultationId?: string | undefined },
  ) => {
    let pass: RoomPass;
    try {
      pass = await access.admit(socket.request, auth);
    } catch (e) {
      await spend(kind, socket, null);
      throw e;
    }
    await spend(kind, socket, pass);
    return pass;
  };
  // New connections per address (a refused one gets connect_error with data.code `rate_limited`).
  if (limits) {
    io.of(ROOM_NAMESPACE).use((socket, next) => {
      limits.budgets.spend('connection', addressOf(socket)).then(
        () => next(),
        (e: unknown) => {
          const err = new Error('rate_limited') as Error & { data?: unknown };
          err.data = e instanceof ProtocolError ? { code: e.code, ...(e.details ?? {}) } : { code: 'internal' };
          next(err);
        },
      );
    });
  }
  io.of(ROOM_NAMESPACE).on('connection', (socket: Socket) => {
    let session: { room: Room; peer: Peer; pass: RoomPass } | undefined;
    // The device check's network tests of this socket (allowed before `join`; they end with it).
    const tests = new Map<
      string,
      { probe: Probe; pass: RoomPass; rtpCapabilities: RequestPayload<'networkTestStart'>['rtpCapabilities'] }
    >();
    /** A network test of this socket, checked against the matrix with the pass that opened it. */
    const test = async (name: ClientRequestName, probeId: string) => {
      const t = tests.get(probeId);
      if (!t) throw new ProtocolError('not_found', 'no such network test');
      await access.check(name, t.pass);
      return t;
    };
    const current = () => {
      // A page that came back on a new socket took its peer along: this old one is out.
      if (!session || session.peer.channel !== channel) throw new ProtocolError('not_joined', 'join the room first');
      return session;
    };
    /** Runs a room method for this socket's peer (after `join`). */
    const inRoom =
      <P>(fn: (room: Room, peer: Peer, payload: P) => unknown) =>
      async (payload: P) => {
        const s = current();
        await fn(s.room, s.peer, payload);
        return {};
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
        join: async ({ token, consultationId, forceTcp, rtpCapabilities, resume }) => {
          // A declined or removed peer's socket may join again; one still in its room may not.
          if (session && session.room.phase === 'open' && session.room.has(session.peer)) {
            throw new ProtocolError('already_joined', 'this connection is already in a room');
          }
          const pass = await admitWithin('join', socket, { token, consultationId });
          const claims = pass.claims;
          const entry = await gate.enter(claims);
          const room = rooms.getOrCreate(claims.consultationId, entry.kind, entry.endsAt, entry.bookedEndsAt, entry.openFloor);
          const { peer, result } = await room.join(claims.participantId, claims.role, entry.label, channel, {
            forceTcp: forceTcp ?? false,
            rtpCapabilities,
            resume,
            iceServers: iceServersFor(),
          });
          session = { room, peer, pass };
          // Consumers are offered after the acknowledgement has left (setImmediate runs
          // after the ack's microtask), so the browser already has its receive transport.
          if (result.resumed) setImmediate(() => void room.media.resumed(peer));
          else if (rtpCapabilities) setImmediate(() => room.media.offerExisting(peer));
          return result;
        },
        connectTransport: inRoom((room, peer, p) => room.media.connectTransport(peer, p.transportId, p.dtlsParameters)),
        restartIce: async ({ transportId }) => {
          const s = current();
          return s.room.media.restartIce(s.peer, transportId);
        },
        ready: inRoom((room, peer, p) => room.media.ready(peer, p.rtpCapabilities)),
        produce: async ({ transportId, kind, rtpParameters, source }) => {
          const s = current();
          return { producerId: await s.room.media.produce(s.peer, transportId, kind, rtpParameters, source) };
        },
        pauseProducer: inRoom((room, peer, p) => room.media.setProducerPaused(peer, p.producerId, true)),
        resumeProducer: inRoom((room, peer, p) => room.media.setProducerPaused(peer, p.producerId, false)),
        closeProducer: inRoom((room, peer, p) => room.media.closeProducer(peer, p.producerId)),
        setAudioOnly: inRoom((room, peer, p) => room.media.setAudioOnly(peer, p.audioOnly)),
        leave: async () => {
          const s = current();
          session = undefined;
          await s.room.leave(s.peer);
          return {};
        },
        admit: inRoom((room, peer, p) => room.admit(peer, p.peerId)),
        decline: inRoom((room, peer, p) => room.decline(peer, p.peerId)),
        raiseHand: inRoom((room, peer, p) => room.floor.raiseHand(peer, p.raised)),
        grantFloor: inRoom((room, peer, p) => room.floor.grantFloor(peer, p.peerId, p.camera, p.showName ?? false)),
        revokeFloor: inRoom((room, peer, p) => room.floor.revokeFloor(peer, p.peerId)),
        mutePeer: inRoom((room, peer, p) => room.floor.mutePeer(peer, p.peerId)),
        removePeer: inRoom((room, peer, p) => room.floor.removePeer(peer, p.peerId)),
        stepIn: inRoom((room, peer) => room.floor.stepIn(peer)),
        stepOut: inRoom((room, peer) => room.floor.stepOut(peer)),
        sendChat: async ({ text, question }) => {
          const s = current();
          return { message: await s.room.chat.sendChat(s.peer, text, question ?? false) };
        },
        // Closes the room for everyone (they get `roomClosed`); this socket's seat goes with it.
        endConsultation: inRoom((room, peer) => room.endConsultation(peer)),
        markAnswered: inRoom((room, peer, p) => room.chat.markAnswered(peer, p.messageId)),
        postMaterial: async ({ title, url }) => {
          const s = current();
          return { message: await s.room.chat.postMaterial(s.peer, title, url) };
        },
        clientStats: inRoom((room, peer, report) => room.media.clientStats(peer, report)),

        // The network test: authorised like `join` (a link, or staff taking part), then on its own pass.
        networkTestStart: async ({ token, consultationId, forceTcp, rtpCapabilities }) => {
          const pass = await admitWithin('networkTest', socket, { token, consultationId });
          await access.check('networkTestStart', pass);
          // A member of staff's account goes with the probe: only the consultation's own
          // specialist, signed in, records its equipment pre-check.
          const staffUserId = pass.caller.kind === 'staff' ? pass.caller.user.id : null;
          const { probe, result } = await probes.start(pass.claims, { forceTcp }, { staffUserId });
          tests.set(probe.id, { probe, pass, rtpCapabilities });
          return { ...result, iceServers: iceServersFor() };
        },
        networkTestConnect: async ({ probeId, transportId, dtlsParameters }) => {
          const t = await test('networkTestConnect', probeId);
          await probes.connect(t.probe, transportId, dtlsParameters);
          return {};
        },
        networkTestProduce: async (p) => {
          const t = await test('networkTestProduce', p.probeId);
          return probes.produce(t.probe, p, t.rtpCapabilities);
        },
        networkTestStats: async ({ probeId }) => probes.stats((await test('networkTestStats', probeId)).probe),
        networkTestFinish: async (p) => {
          const t = await test('networkTestFinish', p.probeId);
          tests.delete(p.probeId);
          return probes.finish(t.probe, p);
        },
      },
      log,
      // `join` is checked by access.admit with its payload, the network test's events with
      // the pass of their probe (they come before `join`); every other event here.
      async (name) => {
        if (name !== 'join' && !name.startsWith('networkTest')) await access.check(name, session?.pass);
      },
    );

    // A lost connection (or a reload) keeps the participant's place for the resume grace.
    socket.on('disconnect', () => {
      const s = session;
      session = undefined;
      if (s) void s.room.disconnected(s.peer, channel);
      for (const t of tests.values()) void probes.close(t.probe, 'socket gone');
      tests.clear();
    });
  });
}
