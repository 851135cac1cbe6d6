import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import {
  parseOrThrow,
  ProtocolError,
  RpcFrame,
  sfuEvents,
  type ErrorCode,
  type SfuEvent,
  type SfuEventName,
  type SfuMethod,
  type SfuRequest,
  type SfuResponse,
} from '@dp/protocol';
import type { Logger } from 'pino';

export interface SfuClientOptions {
  url: string;
  secret: string;
  /** Identifies this signalling process to the SFU: its rooms die with it, not with a reconnect. */
  instanceId?: string;
  requestTimeoutMs?: number;
  log?: Logger;
}

type Events = { [E in SfuEventName]: [SfuEvent<E>] } & { connected: []; disconnected: [] };

/**
 * The signalling side of the seam to an SFU node: typed requests over an
 * authenticated WebSocket, reconnecting with back-off. A second SFU node is a
 * second SfuClient, not a rewrite.
 */
export class SfuClient extends EventEmitter<Events> {
  readonly instanceId: string;
  private ws: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private closed = false;
  private retry = 0;
  private readonly opts: SfuClientOptions;

  constructor(opts: SfuClientOptions) {
    super();
    this.opts = opts;
    this.instanceId = opts.instanceId ?? randomUUID();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Resolves once connected (retrying in the background until then). */
  connect(): Promise<void> {
    this.open();
    return new Promise((resolve) => (this.connected ? resolve() : this.once('connected', resolve)));
  }

  async request<M extends SfuMethod>(method: M, data: SfuRequest<M>): Promise<SfuResponse<M>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) throw new ProtocolError('sfu_unavailable', 'media server not connected');
    const id = this.nextId++;
    return new Promise<SfuResponse<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProtocolError('sfu_unavailable', `media server did not answer ${method}`));
      }, this.opts.requestTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      ws.send(JSON.stringify({ t: 'req', id, method, data }));
    });
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }

  private open(): void {
    if (this.closed || this.ws) return;
    const ws = new WebSocket(this.opts.url, {
      headers: { authorization: `Bearer ${this.opts.secret}`, 'x-signalling-instance': this.instanceId },
    });
    this.ws = ws;
    ws.on('open', () => {
      this.retry = 0;
      this.opts.log?.info({ url: this.opts.url }, 'connected to sfu');
      this.emit('connected');
    });
    ws.on('message', (raw) => this.onFrame(raw.toString()));
    ws.on('error', (err) => this.opts.log?.warn({ err: err.message }, 'sfu socket error'));
    ws.on('close', () => {
      const wasOpen = this.ws === ws;
      this.ws = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new ProtocolError('sfu_unavailable', 'media server connection lost'));
        this.pending.delete(id);
      }
      if (wasOpen) this.emit('disconnected');
      if (this.closed) return;
      const delay = Math.min(5_000, 100 * 2 ** this.retry++);
      setTimeout(() => this.open(), delay).unref();
    });
  }

  private onFrame(raw: string): void {
    let frame: RpcFrame;
    try {
      frame = parseOrThrow(RpcFrame, JSON.parse(raw), 'sfu frame');
    } catch (e) {
      this.opts.log?.error({ err: (e as Error).message }, 'bad frame from sfu');
      return;
    }
    if (frame.t === 'res') {
      const p = this.pending.get(frame.id);
      if (!p) return;
      this.pending.delete(frame.id);
      clearTimeout(p.timer);
      if (frame.ok) p.resolve(frame.data);
      else p.reject(new ProtocolError((frame.error?.code ?? 'internal') as ErrorCode, frame.error?.message ?? 'media server error'));
    } else if (frame.t === 'evt') {
      const schema = sfuEvents[frame.event as SfuEventName];
      const parsed = schema?.safeParse(frame.data);
      if (parsed?.success) (this.emit as (e: string, d: unknown) => boolean)(frame.event, parsed.data);
    }
  }
}
