import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ProtocolError, type LinkInfo, type MediaCapabilities } from '@dp/protocol';
import type { Logger } from 'pino';
import type { LinkSigner } from '../links/link-token.ts';
import type { ConsultationGate } from '../timetable/consultation-gate.ts';
import type { SfuClient } from '../sfu/sfu-client.ts';
import type { Budgets } from './budgets.ts';
import { securityHeaders } from './security-headers.ts';
import { serveWebApp } from './web-app.ts';

export interface AppDeps {
  links: LinkSigner;
  gate: ConsultationGate;
  sfu: SfuClient;
  webDist: string | undefined;
  log: Logger;
  /** The staff REST API (its routes carry their own authentication and body parsing). */
  api?: express.Router;
  /** TRUST_PROXY (default 'loopback'). */
  trustProxy?: string;
  /** GET /metrics (Prometheus text), outside /api: scrapers expect it there. */
  metrics?: express.RequestHandler;
  /** Limits on link look-ups per link and per address (none: unlimited, e.g. in unit tests of the app). */
  budgets?: Budgets;
}

/** REST API and the built web app, from one origin. */
export function createApp({ links, gate, sfu, webDist, log, api, trustProxy, metrics, budgets }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Which proxies' X-Forwarded-* to believe: the audit log's addresses and Secure cookies depend on it.
  app.set('trust proxy', trustProxySetting(trustProxy ?? 'loopback'));
  // CSP, nosniff, no Referer, no framing… on every response: the HTML, /api and the assets.
  app.use(securityHeaders());
  app.use(express.json({ limit: '64kb' }));

  if (metrics) app.get('/metrics', metrics);

  app.get('/api/health', (_req, res) => {
    res.status(sfu.connected ? 200 : 503).json({ ok: sfu.connected, sfu: sfu.connected ? 'connected' : 'disconnected' });
  });

  // Lets the page load its mediasoup Device while the camera preview shows (join time).
  let capabilities: Promise<MediaCapabilities> | undefined;
  sfu.on('disconnected', () => (capabilities = undefined));
  app.get('/api/media/capabilities', async (_req, res) => {
    capabilities ??= sfu.request('capabilities', {}).then((c) => ({ routerRtpCapabilities: c.rtpCapabilities }));
    res.json(await capabilities.catch((e: unknown) => ((capabilities = undefined), Promise.reject(e))));
  });

  /** What a link is for (the link page's first question); no personal data. */
  app.get('/api/links/:token', async (req, res) => {
    // Limits: a forged or malformed token spends its address's budget only; a genuine one its
    // link's first (a page stuck in a loop), then the address's (req.ip honours TRUST_PROXY).
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let claims: ReturnType<LinkSigner['verify']>;
    try {
      claims = links.verify(req.params.token);
    } catch (e) {
      await budgets?.spend('lookup', address);
      throw e;
    }
    await budgets?.spend('lookup', address, { link: claims.participantId });
    const body: LinkInfo = {
      consultationId: claims.consultationId,
      role: claims.role,
      expiresAt: claims.expiresAt.toISOString(),
      consultation: await gate.describe(claims),
    };
    res.set('Cache-Control', 'no-store').json(body);
  });

  if (api) app.use('/api', api);

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'no such endpoint' } });
  });

  // Pre-compressed, cached by content hash; index.html with this response's CSP nonce.
  if (webDist && existsSync(join(webDist, 'index.html'))) serveWebApp(app, webDist, log);

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ProtocolError) {
      const status =
        {
          invalid_token: 404,
          not_found: 404,
          link_expired: 410,
          link_revoked: 410,
          forbidden: 403,
          rate_limited: 429,
          sfu_unavailable: 503,
        }[err.code as string] ?? 400;
      // A refusal by a limit says when to try again (the page shows a calm «подождите минуту»).
      const retryAfter = err.code === 'rate_limited' ? err.details?.retryAfterSeconds : undefined;
      if (retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
      res.status(status).json({
        error: {
          code: err.code,
          message: err.message,
          ...(retryAfter !== undefined ? { details: { retryAfterSeconds: retryAfter } } : {}),
        },
      });
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
