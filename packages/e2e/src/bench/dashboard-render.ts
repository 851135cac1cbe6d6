// Rendering cost of the admins' health dashboard with 100 rooms: how long the page's main
// thread is busy when a new snapshot arrives (the server pushes one every 2 s), when a room is
// selected (three charts), and when the list is drawn from nothing.
//
// The dashboard is HealthView fed with `syntheticSnapshot(100, tick)` (apps/web/src/admin/
// synthetic.ts, the data of the `/dev/health` route), built in production mode from its own
// entry (apps/web/bench/dashboard.html: Vite with the web app's configuration) and served as
// static files, so no server, database or socket takes part. Each measurement is
// `window.__healthPreview.step()` (HealthPreview.tsx): one snapshot generated, rendered and
// committed synchronously (flushSync), then the time until the next frame was painted
// (requestAnimationFrame, then a task). Debian's Chromium, headless, 1366×900.
//
// `BENCH_PRINT_ONLY=1` prints the section without writing docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { extname, join as joinPath, normalize, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';
import { launchChromium } from '../browser.ts';
import { repoRoot } from '../common.ts';

declare global {
  interface Window {
    /** Exposed by apps/web/src/admin/HealthPreview.tsx. */
    __healthPreview?: { step(): number; generate(): number; remount(rooms: number): number; tick(): number };
  }
}

const ROOMS = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;
const REMOUNTS = 5;
const SLOWDOWN = 4;

// --- the build ------------------------------------------------------------------------------
const webDir = resolve(repoRoot, 'apps/web');
const outDir = mkdtempSync(joinPath(tmpdir(), 'dp-dashboard-bench-'));
console.error('building the dashboard entry (vite, production mode)…');
execFileSync(
  process.execPath,
  [resolve(webDir, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'bench/vite.bench.config.ts', '--logLevel', 'warn'],
  {
    cwd: webDir,
    env: { ...process.env, BENCH_OUT_DIR: outDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);

// --- static files ---------------------------------------------------------------------------
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  const file = joinPath(outDir, path);
  if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/bench/dashboard.html`;

// --- measurements ---------------------------------------------------------------------------
interface Timing {
  /** generate + render + commit, synchronously (ms). */
  work: number;
  /** from the start until the next frame was painted (ms). */
  frame: number;
}

async function open(page: Page, query: string, ready: string): Promise<void> {
  await page.goto(`${base}?rooms=${ROOMS}${query}`, { waitUntil: 'load' });
  await page.waitForFunction(() => Boolean(window.__healthPreview), { timeout: 30_000 });
  await page.waitForSelector(ready, { timeout: 30_000 });
}

/** `runs` snapshots pushed one after another, each followed by its frame; after `WARMUP` untimed. */
async function steps(page: Page, runs: number): Promise<Timing[]> {
  return page.evaluate(
    async (n, warmup) => {
      const preview = window.__healthPreview!;
      const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const out: { work: number; frame: number }[] = [];
      for (let i = 0; i < warmup + n; i++) {
        const t0 = performance.now();
        const work = preview.step();
        await nextFrame();
        if (i >= warmup) out.push({ work, frame: performance.now() - t0 });
      }
      return out;
    },
    runs,
    WARMUP,
  );
}

/** The list emptied, then drawn from nothing with `ROOMS` rooms. */
async function remounts(page: Page, runs: number): Promise<Timing[]> {
  return page.evaluate(
    async (n, rooms) => {
      const preview = window.__healthPreview!;
      const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const out: { work: number; frame: number }[] = [];
      for (let i = 0; i < n; i++) {
        await nextFrame();
        const t0 = performance.now();
        const work = preview.remount(rooms);
        await nextFrame();
        out.push({ work, frame: performance.now() - t0 });
      }
      return out;
    },
    runs,
    ROOMS,
  );
}

/** The snapshot generator alone (synthetic data; not part of the real dashboard's work). */
async function generator(page: Page, runs: number): Promise<number[]> {
  return page.evaluate((n) => Array.from({ length: n }, () => window.__healthPreview!.generate()), runs);
}

const load = loadavg()[0]!;
const browser = await launchChromium();
const cases: { label: string; t: Timing[] }[] = [];
let generated: number[];
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 900 });
  page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));

  await open(page, '', '[data-testid^="room-"]');
  const rows = await page.$$eval(
    '[data-testid^="room-"]',
    (els) => els.filter((e) => /^room-r/.test(e.getAttribute('data-testid') ?? '')).length,
  );
  if (rows !== ROOMS) throw new Error(`the dashboard shows ${rows} rooms, not ${ROOMS}`);
  cases.push({ label: `${ROOMS} rooms, no room selected: a new snapshot`, t: await steps(page, RUNS) });
  generated = await generator(page, RUNS);

  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: SLOWDOWN });
  cases.push({ label: `the same, CPU slowed ${SLOWDOWN}× (DevTools throttling)`, t: await steps(page, RUNS) });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  cases.push({ label: `first render of ${ROOMS} rooms (the list emptied, then drawn)`, t: await remounts(page, REMOUNTS) });

  await open(page, '&room=3', '[data-testid="room-charts"]');
  cases.push({ label: 'a room selected (its detail and three charts): a new snapshot', t: await steps(page, RUNS) });
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}

// --- the report -----------------------------------------------------------------------------
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const f = (x: number) => x.toFixed(1);
const stat = (xs: number[]) => {
  const s = sorted(xs);
  return `${f(percentile(s, 50))} (${f(s[0]!)}–${f(s.at(-1)!)})`;
};
const body = `The admins' health dashboard (\`HealthView\`, as \`/admin/health\` draws it) fed with \`syntheticSnapshot(${ROOMS}, tick)\`
(apps/web/src/admin/synthetic.ts: ${ROOMS} rooms of every kind, some in trouble so that every alert shows), built in production
mode from its own entry (\`apps/web/bench/dashboard.html\`) and served as static files; Debian's Chromium, headless, 1366×900.
«Work» = one snapshot generated, rendered and committed synchronously (\`flushSync\`, \`window.__healthPreview.step()\`);
«to the next frame» = from the same start until the next frame was painted (requestAnimationFrame, then a task), i.e. with
style, layout and paint. ${RUNS} snapshots per case after ${WARMUP} untimed ones; the first render ${REMOUNTS} times. Median (min–max), ms.
The machine's load average (1 min) when the run started: ${load.toFixed(1)}.

| case | runs | work (ms) | to the next frame (ms) |
|---|---:|---:|---:|
${cases.map((c) => `| ${c.label} | ${c.t.length} | ${stat(c.t.map((x) => x.work))} | ${stat(c.t.map((x) => x.frame))} |`).join('\n')}

Of the work, generating the synthetic snapshot alone took ${stat(generated)} ms (not part of the real dashboard, which
receives its snapshot from the server). The end-to-end test \`dashboard.e2e.test.ts\` keeps the lasting check with the real
server: with 100 live rooms no main-thread task after the first render exceeds 500 ms.`;

console.log(body);
if (process.env.BENCH_PRINT_ONLY !== '1') {
  writeBenchSection('dashboard-render', 'Health dashboard rendering', body);
  const frame = (i: number) => f(percentile(sorted(cases[i]!.t.map((x) => x.frame)), 50));
  writeReadmeFigure(
    'dashboard-render',
    `with ${ROOMS} rooms a new snapshot takes ${frame(0)} ms from its generation to the painted frame (median, synthetic data; ${frame(1)} ms with the CPU slowed ${SLOWDOWN}×, ${frame(3)} ms with a room's charts open)`,
  );
}
