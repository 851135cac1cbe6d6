// Join time of a one-to-one consultation's client, which now enters through the waiting
// room. Two numbers, because a person (the specialist) stands between them and any sum of
// the two would mostly measure how fast a benchmark script clicks:
//
//  1. join → waiting room: from the client's click on «Войти» (the preview is ready, i.e.
//     after any device check) until the `join` acknowledgement has put it in the waiting
//     room (`joinAck`, admission 'waiting') — what the client waits before the page says
//     «Специалист скоро пригласит вас».
//  2. admit → first frame: from the specialist's click on «Впустить» (its page records
//     `admitClickedAt`) to the client's first decoded remote video frame
//     (`requestVideoFrameCallback`). The two moments come from two pages of one browser on
//     one machine; each is `performance.timeOrigin + performance.now()` of its page, so
//     they share the machine's clock (sub-millisecond apart; no network clock involved).
//     While the client waits it is offered the specialist's media as consumers held paused
//     on the SFU, so its receive path finishes ICE + DTLS before the click; admission costs
//     the resume, a key frame, the decode and the room's first render.
//
// The specialist — signed in with a password, in the room from the staff room page
// (`/staff/room/:id`), never by a link — is already there and sending. Median and p95 over JOINS joins,
// after WARMUP joins. `BENCH_PRINT_ONLY=1` prints the section without writing docs/benchmarks.md.
import { registerHooks } from 'node:module';
import { io } from 'socket.io-client';
import type { Page } from 'puppeteer-core';
import { MediaCapabilities, ROOM_NAMESPACE } from '@dp/protocol';
import { hasPercentile, percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';

// stack.ts imports `@jest/globals` for its jest helper, a module with no exports outside
// jest: here that import gets two no-ops, so the shared start-up code runs as it is.
registerHooks({
  resolve: (specifier, context, next) =>
    specifier === '@jest/globals'
      ? { url: 'data:text/javascript,export const beforeAll = () => {}, afterAll = () => {};', shortCircuit: true }
      : next(specifier, context),
});
const { join, launchChromium, openParticipant, openStaff, waitForMedia } = await import('../browser.ts');
const { startProduct } = await import('../stack.ts');

const JOINS = Number(process.env.BENCH_JOINS ?? 22);
const WARMUP = 2;
type Mark =
  | 'joinClicked'
  | 'joinAck'
  | 'transportsCreated'
  | 'admitted'
  | 'consumerOffered'
  | 'firstConsumer'
  | 'recvConnected'
  | 'videoAttached'
  | 'firstFrameReceived'
  | 'firstFrame';
type Timings = Partial<Record<Mark, number>>;
interface Sample {
  t: Timings;
  /** The client page's `performance.timeOrigin` (epoch ms). */
  origin: number;
  /** The specialist's click on «Впустить», epoch ms. */
  admitAt: number;
}

const readTimings = (page: Page, until: Mark) =>
  page
    .waitForFunction(
      (m) => {
        const c = (window as unknown as { __roomClient?: { timings: Record<string, number> } }).__roomClient;
        return c?.timings[m] ? JSON.stringify({ t: c.timings, origin: performance.timeOrigin }) : '';
      },
      { timeout: 20_000, polling: 10 },
      until,
    )
    .then(async (h) => JSON.parse(await h.jsonValue()) as { t: Timings; origin: number });

const product = await startProduct();
const browser = await launchChromium();
try {
  const roomId = `bench-join-${Date.now()}`;
  const host = await openStaff(browser, await product.staff(roomId, 'specialist'));
  await join(host);
  await waitForMedia(host, (m) => m.videoBytesSent > 50_000);

  // The same join from a bare socket.io client in Node: what signalling + SFU cost without a page
  // (it lands in the waiting room too, and leaves it when the socket closes).
  const bare: number[] = [];
  const { routerRtpCapabilities } = MediaCapabilities.parse(await (await fetch(`${product.url}/api/media/capabilities`)).json());
  for (let i = 0; i < 15; i++) {
    const socket = io(product.url + ROOM_NAMESPACE, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.on('newConsumer', (_d: unknown, ack: (r: { ok: boolean }) => void) => ack({ ok: false }));
    const t0 = performance.now();
    const ack = (await socket.emitWithAck('join', {
      token: new URL(await product.link(roomId, 'client')).pathname.split('/').pop(),
      rtpCapabilities: routerRtpCapabilities,
    })) as { ok: boolean; data?: { admission: string } };
    if (!ack.ok || ack.data?.admission !== 'waiting') throw new Error('bare join failed');
    bare.push(performance.now() - t0);
    socket.close();
    await new Promise((r) => setTimeout(r, 100));
  }
  await host.waitForFunction(() => !document.querySelector('[data-testid="waiting-entry"]'), { timeout: 10_000 });

  const samples: Sample[] = [];
  for (let i = 0; i < JOINS + WARMUP; i++) {
    const page = await openParticipant(browser, await product.link(roomId, 'client'));
    await join(page);
    await readTimings(page, 'joinAck');
    // The specialist lets it in as soon as the entry shows (a person would take seconds; not measured).
    const entry = await host.waitForSelector('[data-testid="waiting-entry"]', { timeout: 10_000 });
    const id = await entry!.evaluate((el) => el.getAttribute('data-peer-id'));
    await host.click(`[data-testid="admit-${id}"]`);
    const { t, origin } = await readTimings(page, 'firstFrame');
    const admitAt = await host.evaluate(
      () => (window as unknown as { __roomClient: { admitClickedAt: number } }).__roomClient.admitClickedAt,
    );
    if (i >= WARMUP) samples.push({ t, origin, admitAt });
    await page.browserContext().close();
    // Closing the tab keeps the client's place for the resume grace: let the specialist's page settle.
    await new Promise((r) => setTimeout(r, 300));
  }

  const span = (t: Timings, from: Mark, to: Mark) => (t[to] ?? NaN) - (t[from] ?? NaN);
  /** ms from the admit click to a client mark (both on the machine's clock). */
  const sinceAdmit = (s: Sample, to: Mark) => s.origin + (s.t[to] ?? NaN) - s.admitAt;
  const sorted = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b);
  const med = (xs: number[]) => percentile(sorted(xs), 50);
  const toWaiting = sorted(samples.map((s) => span(s.t, 'joinClicked', 'joinAck')));
  const toFrame = sorted(samples.map((s) => sinceAdmit(s, 'firstFrame')));
  const phases: [string, number][] = [
    [
      '«Впустить» clicked → `admitted` event at the client (request, room update, event)',
      med(samples.map((s) => sinceAdmit(s, 'admitted'))),
    ],
    [
      'receive transport connected (ICE + DTLS), ms **before** the click — done while waiting',
      med(samples.map((s) => -sinceAdmit(s, 'recvConnected'))),
    ],
    [
      '`admitted` → first decoded frame shown (held consumers resumed, key frame, decode, the room drawn)',
      med(samples.map((s) => span(s.t, 'admitted', 'firstFrame'))),
    ],
    [
      '  of which `admitted` → the room drawn (React; the remote `<video>` gets its stream)',
      med(samples.map((s) => span(s.t, 'admitted', 'videoAttached'))),
    ],
    [
      '  of which `admitted` → the first frame’s last packet in (the SFU resumes and asks the sender for a key frame; it comes through)',
      med(samples.map((s) => span(s.t, 'admitted', 'firstFrameReceived'))),
    ],
    [
      '  of which that packet in → the frame shown (decode, the compositor, the callback)',
      med(samples.map((s) => span(s.t, 'firstFrameReceived', 'firstFrame'))),
    ],
  ];
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
  const row = (label: string, xs: number[]) =>
    `| ${label} | **${fmt(percentile(xs, 50))}** | **${hasPercentile(xs.length, 95) ? fmt(percentile(xs, 95)) : '—'}** | ${fmt(xs[0] ?? NaN)} | ${fmt(xs.at(-1) ?? NaN)} |`;
  const body = `Page: the client's \`/join/<token>\` in Debian's Chromium (headless, fake camera), on loopback. The specialist is signed in
(password), entered the room from the staff room page (\`/staff/room/:id\`) and is already sending. A client of a one-to-one
enters through the waiting room, so there are two numbers (a person — the specialist — stands between them; their sum would
measure how fast this script clicks): ${samples.length} joins after ${WARMUP} warm-up joins.

| | median | p95 | min | max |
|---|---:|---:|---:|---:|
${row('click «Войти» → in the waiting room (join acknowledged) (ms)', toWaiting)}
${row('specialist clicks «Впустить» → client’s first decoded frame (ms)', toFrame)}

The first is one socket round trip (router found, both transports created on the SFU) plus the page's own work. The second
spans two pages of one browser: each moment is \`performance.timeOrigin + performance.now()\` of its page, i.e. the same
machine clock. While the client waits, the server offers it the specialist's media as consumers held paused on the SFU
(nothing is forwarded before admission), so its receive path connects (ICE + DTLS) in the waiting room and the second
number is the resume, a key frame, the decode and the room's first render.

Where the admit → frame time goes (medians, ms):

| phase | ms |
|---|---:|
${phases.map(([k, v]) => `| ${k} | ${fmt(v)} |`).join('\n')}

The same \`join\` from a bare socket.io client in Node (no page) takes **${fmt(med(bare))} ms** median
(${fmt(Math.min(...bare))}–${fmt(Math.max(...bare))}).`;
  console.log(body);
  if (process.env.BENCH_PRINT_ONLY !== '1') {
    writeBenchSection('join-time', 'Join time (one-to-one room, through the waiting room)', body);
    writeReadmeFigure(
      'join-time',
      `from the specialist's «Впустить» to the client's first decoded remote frame median ${fmt(percentile(toFrame, 50))} ms (max ${fmt(toFrame.at(-1) ?? NaN)} ms, ${toFrame.length} joins); the client's click on «Войти» to the waiting room median ${fmt(percentile(toWaiting, 50))} ms`,
    );
  }
} finally {
  await browser.close();
  await product.stop();
}
