import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseOrThrow, ProtocolError, RpcFrame, sfuEvents, sfuMethods, type SfuEventName, type SfuMethod } from '@dp/protocol';
import type { Logger } from './logger.ts';
import type { SfuService } from './sfu-service.ts';

export interface RpcServerOptions {
  host: string;
  port: number;
  secret: string;
  /** How long rooms outlive their signalling instance's connection (it may reconnect). */
  ownerGraceMs: number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The SFU's only door: a WebSocket that signalling opens with the shared secret
 * (`Authorization: Bearer …`) and its instance id (`X-Signalling-Instance`).
 * Requests are validated with the same zod schemas the client side was typed with.
 */
export class RpcServer {
  private wss: WebSocketServer | undefined;
  private readonly connections = new Map<WebSocket, string>();
  private readonly orphanTimers = new Map<string, NodeJS.Timeout>();
  private readonly service: SfuService;
  private readonly log: Logger;
  private readonly opts: RpcServerOptions;

  constructor(service: SfuService, opts: RpcServerOptions, log: Logger) {
    this.service = service;
    this.opts = opts;
    this.log = log;
    for (const event of Object.keys(sfuEvents) as SfuEventName[]) {
      service.events.on(event, (data: unknown) => this.broadcast(event, data));
    }
  }

  async listen(): Promise<number> {
    const expected = digest(`Bearer ${this.opts.secret}`);
    this.wss = new WebSocketServer({
      host: this.opts.host,
      port: this.opts.port,
      maxPayload: 256 * 1024,
      verifyClient: ({ req }: { req: IncomingMessage }) =>
        timingSafeEqual(digest(req.headers.authorization ?? ''), expected) && typeof req.headers['x-signalling-instance'] === 'string',
    });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, String(req.headers['x-signalling-instance']).slice(0, 64)));
    await new Promise<void>((resolve, reject) => {
      this.wss!.once('listening', resolve);
      this.wss!.once('error', reject);
    });
    const addr = this.wss.address();
    return typeof addr === 'object' && addr ? addr.port : this.opts.port;
  }

  close(): void {
    for (const t of this.orphanTimers.values()) clearTimeout(t);
    for (const ws of this.connections.keys()) ws.terminate();
    this.wss?.close();
  }

  private onConnection(ws: WebSocket, instance: string): void {
    this.connections.set(ws, instance);
    clearTimeout(this.orphanTimers.get(instance));
    this.orphanTimers.delete(instance);
    this.log.info({ instance }, 'signalling connected');
    ws.on('message', (raw) => void this.onMessage(ws, instance, raw.toString()));
    ws.on('close', () => {
      this.connections.delete(ws);
      if ([...this.connections.values()].includes(instance)) return;
      this.log.warn({ instance, graceMs: this.opts.ownerGraceMs }, 'signalling disconnected');
      this.orphanTimers.set(
        instance,
        setTimeout(() => {
          this.orphanTimers.delete(instance);
          const n = this.service.closeRoomsOwnedBy(instance);
          if (n > 0) this.log.warn({ instance, rooms: n }, 'closed rooms of a signalling instance that did not come back');
        }, this.opts.ownerGraceMs).unref(),
      );
    });
  }

  private async onMessage(ws: WebSocket, instance: string, raw: string): Promise<void> {
    let id = -1;
    try {
      const frame = parseOrThrow(RpcFrame, JSON.parse(raw), 'rpc frame');
      if (frame.t !== 'req') return;
      id = frame.id;
      const def = sfuMethods[frame.method as SfuMethod];
      if (!def) throw new ProtocolError('bad_request', `unknown method ${frame.method}`);
      const req = parseOrThrow(def.request, frame.data, frame.method);
      const handler = this.service.handlers[frame.method as SfuMethod] as (r: unknown, caller: string) => Promise<unknown>;
      const data = await handler(req, instance);
      ws.send(JSON.stringify({ t: 'res', id, ok: true, data }));
    } catch (e) {
      const code = e instanceof ProtocolError ? e.code : e instanceof SyntaxError ? 'bad_request' : 'internal';
      if (code === 'internal') this.log.error({ err: (e as Error).message }, 'rpc handler failed');
      ws.send(JSON.stringify({ t: 'res', id, ok: false, error: { code, message: (e as Error).message } }));
    }
  }

  private broadcast(event: string, data: unknown): void {
    const frame = JSON.stringify({ t: 'evt', event, data });
    for (const ws of this.connections.keys()) ws.send(frame);
  }
}
