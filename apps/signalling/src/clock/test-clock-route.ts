// POST /__test/clock {advanceMs}: the end-to-end test harness moves business time forward.
// Mounted only when the server started with DP_TEST_CLOCK=1 (never in production, see
// config.ts); otherwise the path does not exist (404). Loopback callers only: the harness runs
// on the same machine.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { MAX_ADVANCE_MS, type ServerClock } from './server-clock.ts';

const Body = z.object({ advanceMs: z.number().int().min(0).max(MAX_ADVANCE_MS) }).strict();

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function testClockRoute(clock: ServerClock): RequestHandler {
  return (req, res, next) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.status(403).json({ error: { code: 'forbidden', message: 'the test clock answers loopback callers only' } });
      return;
    }
    const body = Body.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'bad_request', message: 'send {"advanceMs": 0…604800000}' } });
      return;
    }
    clock.advance(body.data.advanceMs).then(() => res.json({ now: clock.date().toISOString(), offsetMs: clock.offsetMs() }), next);
  };
}
