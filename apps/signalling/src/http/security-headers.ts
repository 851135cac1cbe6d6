// Security headers on every HTTP response (the web app, /api, assets), by helmet.
// Why each choice is what it is: docs/security.md, «Content-Security-Policy».
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The nonce of this response's <style> elements (Mantine injects them at run time). */
export function cspNonce(res: ServerResponse): string {
  return String((res as Response).locals.cspNonce ?? '');
}

// A Host header is the client's to choose; only a plain host[:port] goes into the policy
// (anything else would be a way to write into the header): otherwise 'self' alone.
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** This origin's own socket.io endpoint as a CSP source (older browsers do not read 'self' as ws:/wss:). */
function ownSocket(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  if (!PLAIN_HOST.test(host)) return '';
  // req.secure follows TRUST_PROXY (X-Forwarded-Proto from nginx), as the cookies do.
  return `${(req as Request).secure ? 'wss' : 'ws'}://${host}`;
}

export function securityHeaders(): RequestHandler[] {
  const nonce: RequestHandler = (_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Our own files only: no inline script, no eval, nothing from elsewhere.
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Built stylesheets from our origin; Mantine's run-time <style> elements carry the
        // per-response nonce (index.html hands it to MantineProvider's getStyleNonce).
        styleSrc: ["'self'", (_req, res) => `'nonce-${cspNonce(res)}'`],
        // data: for the TOTP QR code (an SVG data URL); blob: for pictures a page makes itself.
        imgSrc: ["'self'", 'data:', 'blob:'],
        // Cameras and microphones play through srcObject, which CSP does not govern.
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ownSocket],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Links are capabilities: a Referer would carry /join/<token> to wherever the page links.
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // HSTS is set where TLS ends (nginx, infra/single-machine/nginx.conf): this process
    // speaks plain HTTP and cannot tell a browser that it will always be reached by HTTPS.
    strictTransportSecurity: false,
  });
  return [nonce, headers];
}
