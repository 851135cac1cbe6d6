import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { createLogger, loadSfuConfig, startSfuNode, type SfuNode } from '@dp/sfu';
import { ROOM_NAMESPACE, type Ack, type ClientRequestName, type RoomRole } from '@dp/protocol';
import { loadSignallingConfig, startSignalling, type SignallingServer } from '../src/index.ts';
import { randomId } from '../src/links/link-token.ts';

export const SECRET = 'test-sfu-secret-0123456789';
export const LINK_SECRET = 'test-link-secret-0123456789-0123456789';

export interface Stack {
  sfu: SfuNode;
  signalling: SignallingServer;
  url: string;
  close(): Promise<void>;
}

/** A real SFU node (real mediasoup worker) and a real signalling server on loopback. */
export async function startStack(rtcPort: number, workers = 1): Promise<Stack> {
  if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
  const quiet = pino({ level: 'silent' });
  const sfuConfig = loadSfuConfig({
    SFU_RPC_SECRET: SECRET,
    SFU_RPC_PORT: '0',
    SFU_WORKERS: String(workers),
    SFU_LISTEN_IP: '127.0.0.1',
    SFU_RTC_PORT: String(rtcPort),
    MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
  });
  const sfu = await startSfuNode(sfuConfig, process.env.TEST_LOGS ? createLogger('sfu', 'debug') : quiet);
  const signalling = await startSignalling(
    loadSignallingConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      SFU_URL: `ws://127.0.0.1:${sfu.rpcPort}`,
      SFU_RPC_SECRET: SECRET,
      LINK_SECRET,
      WEB_DIST: '/nonexistent',
    }),
    quiet,
  );
  return {
    sfu,
    signalling,
    url: `http://127.0.0.1:${signalling.port}`,
    async close() {
      await signalling.close();
      signalling.http.close();
      sfu.close();
    },
  };
}

export function tokenFor(
  stack: Stack,
  consultationId: string,
  role: RoomRole,
  participantId = `${role}-${randomId(4)}`,
  ttlMs = 3600_000,
): string {
  return stack.signalling.links.sign({ consultationId, participantId, role, expiresAt: new Date(Date.now() + ttlMs) });
}

export interface TestPeer {
  socket: Socket;
  request<T = unknown>(event: ClientRequestName | string, payload?: unknown): Promise<Ack<T>>;
  next(event: string, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

export async function connectPeer(stack: Stack): Promise<TestPeer> {
  const socket = connect(stack.url + ROOM_NAMESPACE, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  // Auto-accept offered consumers, as a browser would once it has set them up.
  socket.on('newConsumer', (_data: unknown, ack: (r: { ok: boolean }) => void) => ack({ ok: true }));
  return {
    socket,
    request: (event, payload = {}) => socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<never>>,
    next: (event, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        socket.once(event, (data: unknown) => {
          clearTimeout(t);
          resolve(data);
        });
      }),
    close: () => socket.close(),
  };
}

/** Minimal parameters mediasoup accepts without a browser (no media flows; the objects are real). */
export const opusRtpParameters = (ssrc: number) => ({
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}`, reducedSize: true },
});

export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export function errorCode(ack: Ack<unknown>): string {
  if (ack.ok) throw new Error('expected an error ack, got ok');
  return ack.error.code;
}
