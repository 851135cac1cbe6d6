import {
  clientRequests,
  parseOrThrow,
  ProtocolError,
  type Ack,
  type ClientRequestName,
  type RequestPayload,
  type RequestResult,
} from '@dp/protocol';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Socket } from 'socket.io';

export type RequestHandlers = { [N in ClientRequestName]: (payload: RequestPayload<N>) => Promise<RequestResult<N>> };

// A browser may send bursts (ICE restarts, toggles), not floods.
const limiter = new RateLimiterMemory({ points: 40, duration: 1 });

/**
 * Binds every client request of the protocol to its handler: rate limit → validate
 * (zod) → authorize (the permission matrix) → call → acknowledge. Anything that goes wrong becomes an error ack with a
 * code; nothing a browser sends can throw out of here.
 */
export function bindRequests(
  socket: Socket,
  handlers: RequestHandlers,
  log: Logger,
  /** The permission matrix's check (access.ts), run for every valid request before its handler. */
  authorize: (name: ClientRequestName) => void | Promise<void>,
): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (a: Ack<unknown>) => void) : undefined;
    void dispatch(event, args[0], ack);
  });

  async function dispatch(event: string, payload: unknown, ack: ((a: Ack<unknown>) => void) | undefined): Promise<void> {
    let reply: Ack<unknown>;
    try {
      await limiter.consume(socket.id).catch(() => {
        throw new ProtocolError('rate_limited', 'too many requests');
      });
      if (!Object.hasOwn(clientRequests, event)) throw new ProtocolError('unknown_event', `unknown event ${event.slice(0, 64)}`);
      const name = event as ClientRequestName;
      const parsed = parseOrThrow(clientRequests[name].payload, payload, name);
      await authorize(name);
      const handler = handlers[name] as (p: unknown) => Promise<unknown>;
      reply = { ok: true, data: await handler(parsed) };
    } catch (e) {
      const known = e instanceof ProtocolError;
      if (!known) log.error({ event: event.slice(0, 64), err: (e as Error).message }, 'request failed');
      reply = known
        ? { ok: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } }
        : { ok: false, error: { code: 'internal', message: 'internal error' } };
    }
    ack?.(reply);
  }
}
