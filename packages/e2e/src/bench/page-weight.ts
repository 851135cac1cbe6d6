// Page weight of the link page (/join/<token>) on a slow line: what a family on a village
// 3G connection downloads before they see anything, and how long until they can press
// «Войти в консультацию». The built web app is served by the real signalling process
// (compression, caching headers and all), opened in Debian's Chromium with DevTools'
// HTTP throttling: 256 kbit/s each way and 400 ms round trip (CDP
// `Network.emulateNetworkConditions`; it delays each response by the RTT and paces its
// bytes at the rate — HTTP-level emulation, not a packet-level one).
//
// Per run, in a fresh browser context (empty cache): bytes transferred (headers included,
// as Resource Timing's `transferSize`) for the document and every response that finished
// before the first contentful paint; the time of that paint; when the heading (<h1>) is
// in the page; when the join button is enabled (the room code and camera preview are
// ready); and everything the page fetched until then. Then the same page is opened again
// in the same context (a second visit: what the cache saves). Medians over RUNS runs.
//
// `BENCH_PRINT_ONLY=1` prints without writing docs/benchmarks.md; `BENCH_JSON=1` prints the
// median figures as one JSON line (to compare two versions: `git worktree add /tmp/before <commit>`
// and this file run there with BENCH_JSON=1; such a comparison is not written to the docs, which
// carry only what this run measured).
import { registerHooks } from 'node:module';
import type { CDPSession } from 'puppeteer-core';
import { percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';
import { OBSERVER, visit, type Run } from './first-screen.ts';

// stack.ts imports `@jest/globals` for its jest helper, a module with no exports outside
// jest: here that import gets two no-ops, so the shared start-up code runs as it is.
registerHooks({
  resolve: (specifier, context, next) =>
    specifier === '@jest/globals'
      ? { url: 'data:text/javascript,export const beforeAll = () => {}, afterAll = () => {};', shortCircuit: true }
      : next(specifier, context),
});
const { launchChromium } = await import('../browser.ts');
const { startProduct } = await import('../stack.ts');

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const KBIT = 256;
const RTT_MS = 400;
const TARGET_BYTES_BEFORE_PAINT = 90 * 1024;

/** Median figures of one version of the product. */
export interface Figures {
  /** Bytes (transferSize) of the responses finished before the first contentful paint. */
  bytesBeforePaint: number;
  fcpMs: number;
  /** Bytes of the responses finished before the heading (<h1>) was in the page. */
  bytesBeforeHeading: number;
  headingMs: number;
  joinUsableMs: number;
  /** Everything fetched until the join button was usable. */
  bytesUntilUsable: number;
  requestsUntilUsable: number;
  /** The second visit in the same browser context (cache warm). */
  repeatBytes: number;
  repeatJoinUsableMs: number;
  /** Content-Encoding of the entry script ('' = none). */
  entryEncoding: string;
}

async function throttle(cdp: CDPSession): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT_MS,
    downloadThroughput: (KBIT * 1000) / 8,
    uploadThroughput: (KBIT * 1000) / 8,
  });
}

const product = await startProduct();
const browser = await launchChromium();
const runs: Run[] = [];
const repeats: Run[] = [];
let entryEncoding = '';
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 360, height: 640 });
    page.on('pageerror', (err) => console.error(`[page] ${(err as Error).message}`));
    const cdp = await page.createCDPSession();
    await throttle(cdp);
    cdp.on('Network.responseReceived', (e: { type: string; response: { headers: Record<string, string> } }) => {
      if (e.type === 'Script' && !entryEncoding) {
        const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
        entryEncoding = h['content-encoding'] ?? 'none';
      }
    });
    await page.evaluateOnNewDocument(OBSERVER);
    const link = await product.link(`page-weight-${Date.now()}-${i}`, 'client');
    runs.push(await visit(page, link));
    repeats.push(await visit(page, link));
    console.error(`run ${i + 1}/${RUNS}: ${JSON.stringify(runs.at(-1))}`);
    await context.close();
  }
} finally {
  await browser.close();
  await product.stop();
}

const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const after: Figures = {
  bytesBeforePaint: med(runs.map((r) => r.bytesBeforePaint)),
  fcpMs: med(runs.map((r) => r.fcpMs)),
  bytesBeforeHeading: med(runs.map((r) => r.bytesBeforeHeading)),
  headingMs: med(runs.map((r) => r.headingMs)),
  joinUsableMs: med(runs.map((r) => r.joinUsableMs)),
  bytesUntilUsable: med(runs.map((r) => r.bytesUntilUsable)),
  requestsUntilUsable: med(runs.map((r) => r.requestsUntilUsable)),
  repeatBytes: med(repeats.map((r) => r.bytesUntilUsable)),
  repeatJoinUsableMs: med(repeats.map((r) => r.joinUsableMs)),
  entryEncoding,
};
if (process.env.BENCH_JSON === '1') console.log(JSON.stringify(after));

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (label: string, f: Figures) =>
  `| ${label} | **${kb(f.bytesBeforePaint)}** | ${s(f.fcpMs)} | ${kb(f.bytesBeforeHeading)} | ${s(f.headingMs)} | **${s(f.joinUsableMs)}** | ${kb(f.bytesUntilUsable)} (${f.requestsUntilUsable}) | ${kb(f.repeatBytes)}, ${s(f.repeatJoinUsableMs)} | ${f.entryEncoding} |`;
const body = `Page: a client's \`/join/<token>\` of an open one-to-one consultation, served by the signalling process from the built
web app, in Debian's Chromium (headless, fake camera, 360×640) with DevTools' HTTP throttling: **${KBIT} kbit/s** down and up,
**${RTT_MS} ms** round trip, empty cache. ${RUNS === 1 ? 'One run' : `Median of ${RUNS} runs`} (\`packages/e2e/src/bench/page-weight.ts\`). Bytes are Resource
Timing's \`transferSize\` (compressed body + headers); «before paint» counts the document and the responses finished before the
first contentful paint. «Usable» = «Войти в консультацию» enabled (room code loaded, camera preview ready).

| version | bytes before first paint | first contentful paint | bytes before the heading | heading | «Войти» usable | fetched until usable (requests) | second visit: fetched, usable | entry script encoding |
|---|---:|---:|---:|---:|---:|---:|---:|---|
${row('this build', after)}

Target: ≤ ${kb(TARGET_BYTES_BEFORE_PAINT)} before the first paint (${after.bytesBeforePaint <= TARGET_BYTES_BEFORE_PAINT ? 'met' : 'not met'}). **Read the first paint with care**: it is
\`index.html\`'s own placeholder (the product's name and «Загружаем страницу…», painted once the HTML and the stylesheets are in;
the scripts are deferred modules), not the page's content. The page's content — its heading — needed **${kb(after.bytesBeforeHeading)}**,
${after.bytesBeforeHeading <= TARGET_BYTES_BEFORE_PAINT ? 'within' : 'above'} that figure: the entry script with React, Mantine and i18next, the stylesheets and the
Russian translations the page shows (their split is not measured here). How the page is served: brotli and gzip files made at
build time and served with \`Content-Encoding\` and \`Vary: Accept-Encoding\`; hashed files under \`/assets\` cached for a year
as immutable, \`index.html\` never cached (it carries a fresh CSP nonce); the link page's entry (\`apps/web/src/main.tsx\`) has
no router, no staff, dashboard or chart code and only the translations it shows, and the device check, the room's code
(mediasoup-client, socket.io) and the other translations start loading right after the first render, while the person reads.`;
console.log(body);
if (process.env.BENCH_PRINT_ONLY !== '1' && process.env.BENCH_JSON !== '1') {
  writeBenchSection('page-weight', 'Page weight of the link page on a slow line', body);
  writeReadmeFigure(
    'page-weight',
    `Over a rural line (Chromium throttled to ${KBIT} kbit/s and ${RTT_MS} ms RTT) the link page paints its shell after ${kb(after.bytesBeforePaint)} (${s(after.fcpMs)}) and its heading after ${kb(after.bytesBeforeHeading)} (${s(after.headingMs)}), and «Войти в консультацию» is usable at ${s(after.joinUsableMs)}.`,
  );
}
