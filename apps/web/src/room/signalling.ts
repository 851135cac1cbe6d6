import { io, type Socket } from 'socket.io-client';
import {
  errorCodes,
  ROOM_NAMESPACE,
  type ErrorCode,
  type ClientRequestName,
  type RequestPayload,
  type RequestResult,
  type ServerEvents,
} from '@dp/protocol';
import { RoomError } from './room-error.ts';

export type RoomSocket = Socket<ServerEvents>;

/** A request not answered in this time is treated as lost (3G round trips can take a second or two). */
export const REQUEST_TIMEOUT_MS = 10_000;

export function connectRoomSocket(): RoomSocket {
  return io(ROOM_NAMESPACE, {
    // WebSocket first saves the long-polling handshake and upgrade round trips on join;
    // long-polling stays as a fallback for networks whose proxies drop WebSockets.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 300,
    // A rural link that comes back must find us redialling within seconds (media resume < 10 s).
    reconnectionDelayMax: 2_000,
    timeout: 10_000,
  });
}

function isServerErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (errorCodes as readonly string[]).includes(v);
}

type AckCallback = (err: Error | null, res: unknown) => void;
interface UntypedEmitter {
  emit(event: string, payload: unknown, ack: AckCallback): void;
}

/**
 * One request → one acknowledgement. The protocol's own types give the payload and
 * result; the ack's envelope is checked here so that a malformed answer becomes an
 * `internal` RoomError instead of an exception deep inside the UI.
 */
export function request<N extends ClientRequestName>(
  socket: RoomSocket,
  name: N,
  payload: RequestPayload<N>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<RequestResult<N>> {
  if (!socket.connected) return Promise.reject(new RoomError('network', `${name}: socket not connected`));
  // socket.io's emit typing is keyed by the listen-side map; requests are keyed by the protocol's map instead.
  const emitter = socket.timeout(timeoutMs) as unknown as UntypedEmitter;
  return new Promise((resolve, reject) => {
    // An answer cannot come over a connection that dropped: fail now rather than at the
    // timeout, so the caller can ask again on the next one (socket.io keeps acks pending).
    const lost = () => reject(new RoomError('network', `${name}: connection lost`));
    socket.once('disconnect', lost);
    emitter.emit(name, payload, (err, res) => {
      socket.off('disconnect', lost);
      if (err) return reject(new RoomError('timeout', `${name}: no answer in ${timeoutMs} ms`));
      if (typeof res === 'object' && res !== null && 'ok' in res) {
        if (res.ok === true && 'data' in res) return resolve(res.data as RequestResult<N>);
        if (res.ok === false && 'error' in res && typeof res.error === 'object' && res.error !== null) {
          const code = 'code' in res.error ? res.error.code : undefined;
          const message = 'message' in res.error && typeof res.error.message === 'string' ? res.error.message : '';
          return reject(new RoomError(isServerErrorCode(code) ? code : 'internal', `${name}: ${message}`));
        }
      }
      reject(new RoomError('internal', `${name}: malformed acknowledgement`));
    });
  });
}

/** The Network Information API (Chromium, Android): its `change` event fires on a new network. */
function networkInformation(): EventTarget | undefined {
  return typeof navigator !== 'undefined' ? (navigator as Navigator & { connection?: EventTarget }).connection : undefined;
}

/** Calls `onChange` when the browser is back online or on a new network; returns the way to stop. */
export function watchNetwork(onChange: () => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  window.addEventListener('online', onChange);
  networkInformation()?.addEventListener('change', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    networkInformation()?.removeEventListener('change', onChange);
  };
}

export function waitForConnect(socket: RoomSocket, timeoutMs: number): Promise<void> {
  if (socket.connected) return Promise.resolve();
  // The server's connection limit refused an earlier attempt: socket.io does not retry
  // that by itself, so a new «Войти» dials again.
  if (!socket.active) socket.connect();
  return new Promise((resolve, reject) => {
    const done = (error: RoomError | null) => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onConnectError);
      if (!error) resolve();
      else reject(error);
    };
    const onConnect = () => done(null);
    // Too many connections from this address: say so («подождите минуту»), not «нет связи».
    const onConnectError = (e: Error & { data?: { code?: unknown } }) => {
      if (e.data?.code === 'rate_limited') done(new RoomError('rate_limited', 'too many connections from this address'));
    };
    const timer = setTimeout(() => done(new RoomError('network', `socket did not connect in ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', onConnect);
    socket.on('connect_error', onConnectError);
  });
}
