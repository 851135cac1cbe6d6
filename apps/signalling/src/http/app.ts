import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ProtocolError } from '@dp/protocol';
import type { Logger } from 'pino';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { protocolErrorAnswer } from './protocol-errors.ts';
import { securityHeaders } from './security-headers.ts';
import { serveWebApp } from './web-app.ts';

export interface AppDeps {
  sfu: SfuClient;
  webDist: string | undefined;
  log: Logger;
  /** The REST API (api/index.ts: its routes, the link page's and the Device's included, carry their own authentication, limits and body parsing). */
  api?: express.Router;
  /** TRUST_PROXY (default 'loopback'). */
  trustProxy?: string;
  /** GET /metrics (Prometheus text), outside /api: scrapers expect it there. */
  metrics?: express.RequestHandler;
  /** POST /__test/clock: only with the test harness's clock (DP_TEST_CLOCK=1); absent, the path is 404. */
  testClock?: express.RequestHandler;
}

/** REST API and the built web app, from one origin. */
export function createApp({ sfu, webDist, log, api, trustProxy, metrics, testClock }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Which proxies' X-Forwarded-* to believe: the audit log's addresses and Secure cookies depend on it.
  app.set('trust proxy', trustProxySetting(trustProxy ?? 'loopback'));
  // CSP, nosniff, no Referer, no framing… on every response: the HTML, /api and the assets.
  app.use(securityHeaders());
  app.use(express.json({ limit: '64kb' }));

  if (metrics) app.get('/metrics', metrics);
  if (testClock) app.post('/__test/clock', testClock);

  app.get('/api/health', (_req, res) => {
    res.status(sfu.connected ? 200 : 503).json({ ok: sfu.connected, sfu: sfu.connected ? 'connected' : 'disconnected' });
  });

  if (api) app.use('/api', api);

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such endpoint' } });
  });

  // Pre-compressed, cached by content hash; index.html with this response's CSP nonce.
  if (webDist && existsSync(join(webDist, 'index.html'))) serveWebApp(app, webDist, log);

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ProtocolError) {
      const answer = protocolErrorAnswer(err);
      res.set(answer.headers).status(answer.status).json(answer.body);
      return;
    }
    const e = err as { status?: number; type?: string; message?: string };
    if (e.status && e.status >= 400 && e.status < 500) {
      res
        .status(e.status)
        .json({ error: { code: e.status === 413 ? 'payload_too_large' : 'bad_request', message: e.message ?? 'bad request' } });
      return;
    }
    log.error({ err: e.message }, 'unhandled error in http handler');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  });
  return app;
}

/** TRUST_PROXY as express wants it: 'true'/'false', a hop count, or addresses and names ('loopback, 10.0.0.0/8'). */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
