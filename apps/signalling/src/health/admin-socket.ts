// socket.io `/admin`: the live health dashboard. Only staff whom the permission matrix
// grants `health.rooms` (admins: their department; heads: their institution) connect; each
// gets every snapshot cut to their scope, and the charts of the one room they watch. The
// session is looked up again with every push, so a sign-out or a role change takes effect
// within one interval.
import {
  ADMIN_NAMESPACE,
  adminRequests,
  parseOrThrow,
  ProtocolError,
  type Ack,
  type AdminClientEvents,
  type AdminResult,
  type AdminServerEvents,
  type HealthSnapshot,
} from '@dp/protocol';
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import { decide } from '../auth/access.ts';
import { refuse, sameOriginSessionToken } from '../auth/room-access.ts';
import type { SessionStore, StaffPrincipal } from '../auth/session-store.ts';
import type { HealthMonitor, RoomScope } from './health-monitor.ts';

type Viewer = StaffPrincipal['user'];

/** Whether a room (or an alert of a room) is within what this viewer may watch. */
export function inScope(viewer: Viewer, scope: RoomScope | null): boolean {
  if (!scope) return false;
  if (viewer.role === 'admin') return scope.departmentId === viewer.departmentId;
  return viewer.institutionId !== null && scope.institutionId === viewer.institutionId;
}

/** The snapshot as this viewer may see it: their rooms and their rooms' alerts; nodes and workers are shared. */
export function snapshotFor(viewer: Viewer, snapshot: HealthSnapshot, scopeOf: (roomId: string) => RoomScope | null): HealthSnapshot {
  const rooms = snapshot.rooms.filter((r) => inScope(viewer, scopeOf(r.roomId)));
  const visible = new Set(rooms.map((r) => r.roomId));
  return { ...snapshot, rooms, alerts: snapshot.alerts.filter((a) => a.roomId === null || visible.has(a.roomId)) };
}

/** A verdict on a signed-in viewer now: the matrix's `health.rooms`, or why not. */
async function viewerOf(sessions: SessionStore, token: string | null): Promise<Viewer> {
  const staff = token ? await sessions.resolve(token) : null;
  if (!staff) refuse(401);
  if (staff.stage !== 'active') refuse(403);
  const verdict = decide('health.rooms', staff, null);
  if (!verdict.allowed) refuse(verdict.status);
  return staff.user;
}

export function attachAdminNamespace(io: Server, monitor: HealthMonitor, sessions: SessionStore, log: Logger): void {
  // The events both sides type from the protocol (health.ts); payloads are still parsed: they come off the wire.
  const nsp = io.of(ADMIN_NAMESPACE) as unknown as Namespace<AdminClientEvents, AdminServerEvents>;
  nsp.use((socket, next) => {
    const token = sameOriginSessionToken(socket.request);
    viewerOf(sessions, token).then(
      (viewer) => {
        socket.data = { viewer, token, watching: null };
        next();
      },
      (e: unknown) => {
        const code = e instanceof ProtocolError ? e.code : 'internal';
        next(Object.assign(new Error(code), { data: { code } }));
      },
    );
  });

  nsp.on('connection', (socket: Socket<AdminClientEvents, AdminServerEvents>) => {
    const data = socket.data as { viewer: Viewer; token: string | null; watching: string | null };
    socket.on('watchRoom', (payload: unknown, ack: unknown) => {
      const reply = (a: Ack<AdminResult<'watchRoom'>>) => typeof ack === 'function' && (ack as (x: typeof a) => void)(a);
      try {
        const { roomId } = parseOrThrow(adminRequests.watchRoom.payload, payload, 'watchRoom');
        if (roomId !== null && !inScope(data.viewer, monitor.scopeOf(roomId))) throw new ProtocolError('not_found', 'no such open room');
        data.watching = roomId;
        reply({ ok: true, data: { series: roomId ? monitor.roomSeries(roomId) : null } });
      } catch (e) {
        const err = e instanceof ProtocolError ? e : new ProtocolError('bad_request', 'bad request');
        reply({ ok: false, error: { code: err.code, message: err.message } });
      }
    });
    // The current picture at once, not two seconds later.
    if (monitor.latest)
      socket.emit(
        'healthSnapshot',
        snapshotFor(data.viewer, monitor.latest, (id) => monitor.scopeOf(id)),
      );
  });

  monitor.onSnapshot((snapshot) => {
    for (const socket of nsp.sockets.values()) {
      const data = socket.data as { viewer: Viewer; token: string | null; watching: string | null };
      void viewerOf(sessions, data.token).then(
        (viewer) => {
          data.viewer = viewer;
          socket.emit(
            'healthSnapshot',
            snapshotFor(viewer, snapshot, (id) => monitor.scopeOf(id)),
          );
          if (data.watching && inScope(viewer, monitor.scopeOf(data.watching))) {
            const series = monitor.roomSeries(data.watching);
            if (series) socket.emit('roomSeries', series);
          }
        },
        () => {
          log.info('dashboard session ended; disconnecting it');
          socket.disconnect(true);
        },
      );
    }
  });
}
