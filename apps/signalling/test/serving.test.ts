// Serving the web app (issue 15, finding 6 and «Serving the web app»): security headers on the
// HTML, /api and the assets; a fresh CSP nonce in every index.html; brotli / gzip copies made at
// build time served with Content-Encoding and Vary; hashed files cached as immutable, the HTML
// never. The stack is the real one; its WEB_DIST is a small dist laid out as `vite build`
// writes it (index.html with Vite's nonce placeholder, /assets with .br and .gz copies).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startStack, type Stack } from './harness.ts';
import { CSP_NONCE_PLACEHOLDER } from '../src/http/web-app.ts';

let stack: Stack;
let dist: string;
const script = `console.log(${JSON.stringify('Дистанционная приёмная '.repeat(200))});\n`;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'dp-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    `<!doctype html><html lang="ru"><head><meta property="csp-nonce" nonce="${CSP_NONCE_PLACEHOLDER}">` +
      `<script type="module" crossorigin src="/assets/index-AbC123.js" nonce="${CSP_NONCE_PLACEHOLDER}"></script></head>` +
      `<body><div id="root"></div></body></html>`,
  );
  writeFileSync(join(dist, 'assets/index-AbC123.js'), script);
  writeFileSync(join(dist, 'assets/index-AbC123.js.br'), brotliCompressSync(script));
  writeFileSync(join(dist, 'assets/index-AbC123.js.gz'), gzipSync(script));
  writeFileSync(join(dist, 'assets/small-XyZ789.css'), 'body{margin:0}\n');
  stack = await startStack(24800, 1, { WEB_DIST: dist });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  if (dist) rmSync(dist, { recursive: true, force: true });
}, 30_000);

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as sent (still compressed when Content-Encoding says so). */
  raw: Buffer;
}

/** A plain HTTP GET that shows exactly what was sent (fetch would negotiate and decode by itself). */
function get(path: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(`${stack.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(got: Got): string {
  const enc = got.headers['content-encoding'];
  if (enc === 'br') return brotliDecompressSync(got.raw).toString('utf8');
  if (enc === 'gzip') return gunzipSync(got.raw).toString('utf8');
  return got.raw.toString('utf8');
}

function csp(got: Got): Map<string, string[]> {
  const header = String(got.headers['content-security-policy'] ?? '');
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** What every response carries, whatever it is. */
function expectSecurityHeaders(got: Got): void {
  const policy = csp(got);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toEqual(["'self'"]); // no inline script, no eval, nothing from elsewhere
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('connect-src')).toContain("'self'");
  // Styles: our files and this response's nonce, never 'unsafe-inline'.
  expect(policy.get('style-src')?.[0]).toBe("'self'");
  expect(policy.get('style-src')?.[1]).toMatch(/^'nonce-[A-Za-z0-9+/]{22}=='$/);
  expect(String(got.headers['content-security-policy'])).not.toContain('unsafe');
  expect(got.headers['x-content-type-options']).toBe('nosniff');
  expect(got.headers['referrer-policy']).toBe('no-referrer');
  expect(got.headers['x-frame-options']).toBe('DENY');
  expect(got.headers['x-powered-by']).toBeUndefined();
}

describe('the web app is served with its security headers', () => {
  it('gives index.html (at any app path) a fresh nonce in the page and in the CSP, never cached', async () => {
    const a = await get('/join/some-token', { 'accept-encoding': 'gzip, deflate, br' });
    const b = await get('/join/some-token', { 'accept-encoding': 'gzip, deflate, br' });
    for (const got of [a, b]) {
      expect(got.status).toBe(200);
      expectSecurityHeaders(got);
      expect(got.headers['content-type']).toMatch(/^text\/html/);
      expect(got.headers['content-encoding']).toBe('br');
      expect(got.headers['vary']).toMatch(/Accept-Encoding/i);
      expect(got.headers['cache-control']).toBe('no-store');
      const html = decoded(got);
      expect(html).not.toContain(CSP_NONCE_PLACEHOLDER);
      const nonce = csp(got).get('style-src')![1]!.slice("'nonce-".length, -1);
      expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
    }
    expect(csp(a).get('style-src')).not.toEqual(csp(b).get('style-src'));
    // The socket.io endpoint of this very origin is allowed to connect.
    expect(csp(a).get('connect-src')).toEqual(["'self'", `ws://${new URL(stack.url).host}`]);

    const gz = await get('/', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decoded(gz)).toContain('<div id="root">');
    const plain = await get('/staff');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(decoded(plain)).toContain('<div id="root">');
  });

  it('never serves the template itself (its placeholder is not a nonce)', async () => {
    for (const path of ['/index.html', '/index.html.br', '/index.html.gz']) {
      const got = await get(path, { 'accept-encoding': 'br' });
      expect(got.status).toBe(200);
      expect(decoded(got)).not.toContain(CSP_NONCE_PLACEHOLDER);
    }
  });

  it('a Host header cannot write into the policy', async () => {
    const got = await get('/join/x', { host: "evil.example; script-src 'unsafe-inline'" });
    expect(got.status).toBe(200);
    expect(csp(got).get('script-src')).toEqual(["'self'"]);
    expect(csp(got).get('connect-src')).toEqual(["'self'"]);
  });

  it('serves a hashed asset pre-compressed as the browser accepts it, cached as immutable', async () => {
    const br = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expectSecurityHeaders(br);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.raw.length).toBeLessThan(Buffer.byteLength(script) / 5);
    expect(decoded(br)).toBe(script);

    const gz = await get('/assets/index-AbC123.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decoded(gz)).toBe(script);

    const identity = await get('/assets/index-AbC123.js');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.raw.toString('utf8')).toBe(script);
    expect(identity.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    // A file without a compressed copy goes as it is.
    const css = await get('/assets/small-XyZ789.css', { 'accept-encoding': 'br' });
    expect(css.status).toBe(200);
    expect(css.headers['content-encoding']).toBeUndefined();
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expectSecurityHeaders(css);
  });

  it('answers a missing hashed file with 404, not with the page', async () => {
    const got = await get('/assets/index-Gone000.js', { 'accept-encoding': 'br' });
    expect(got.status).toBe(404);
    expect(got.headers['content-type']).toMatch(/^text\/plain/);
    expectSecurityHeaders(got);
  });

  it('puts the same headers on /api', async () => {
    const health = await get('/api/health');
    expect(health.status).toBe(200);
    expectSecurityHeaders(health);
    const missing = await get('/api/no-such-thing');
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
    const link = await get('/api/links/not-a-token');
    expect(link.status).toBeGreaterThanOrEqual(400);
    expect(link.status).toBeLessThan(500);
    expectSecurityHeaders(link);
  });
});
