// The built web app (apps/web/dist) from the signalling origin.
//
//  - Files under /assets have a content hash in their names: cached for a year as immutable,
//    so a second visit on a slow line fetches only the page itself. Brotli and gzip copies are
//    made at build time (vite-plugin-compression2) and served by express-static-gzip with
//    `Content-Encoding` and `Vary: Accept-Encoding`; nothing is compressed per request.
//  - index.html carries a fresh CSP nonce in every response (Vite writes a placeholder where it
//    goes, html.cspNonce in apps/web/vite.config.ts), so it is never cached; at ~1 KB it is
//    compressed as it is sent.
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type express from 'express';
import type { Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { Logger } from 'pino';
import { cspNonce } from './security-headers.ts';

/** What Vite writes where the nonce goes (apps/web/vite.config.ts `html.cspNonce`). */
export const CSP_NONCE_PLACEHOLDER = 'DP_CSP_NONCE';

const YEAR_IMMUTABLE = 'public, max-age=31536000, immutable';

export function serveWebApp(app: express.Express, webDist: string, log: Logger): void {
  const template = readFileSync(join(webDist, 'index.html'), 'utf8');
  if (!template.includes(CSP_NONCE_PLACEHOLDER)) {
    log.warn('the web app was built without the CSP nonce placeholder: its styles will be refused; rebuild apps/web');
  }
  const hashedDir = join(webDist, 'assets') + sep;

  const sendIndex = (req: Request, res: Response) => {
    const html = Buffer.from(template.replaceAll(CSP_NONCE_PLACEHOLDER, cspNonce(res)));
    // Brotli when the browser takes it at all (smaller), as for the files (orderPreference).
    const encoding = req.acceptsEncodings('br') || req.acceptsEncodings('gzip');
    // no-store: the nonce is this response's own, and a link page's address is a capability.
    res.set({ 'Cache-Control': 'no-store', Vary: 'Accept-Encoding' }).type('html');
    if (encoding === 'br') {
      res.set('Content-Encoding', 'br').send(brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }));
    } else if (encoding === 'gzip') {
      res.set('Content-Encoding', 'gzip').send(gzipSync(html));
    } else {
      res.send(html);
    }
  };

  // The template itself (and any copy of it) is never served as a file.
  app.get(/^\/index\.html/, sendIndex);
  app.use(
    expressStaticGzip(webDist, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        cacheControl: false,
        // `path` is the file sent (x.js.br when compressed): hashed names only under /assets.
        setHeaders: (res, path) => res.setHeader('Cache-Control', path.startsWith(hashedDir) ? YEAR_IMMUTABLE : 'no-cache'),
      },
    }),
  );
  // A hashed file that is not there (an old page after an update) is a 404, not the app's HTML.
  app.use('/assets', (_req, res) => {
    res.status(404).set('Cache-Control', 'no-store').type('text/plain').send('not found\n');
  });
  // The single-page app owns every other path (/join/<token>, …).
  app.get(/.*/, sendIndex);
}
