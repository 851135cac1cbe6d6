// A one-to-one consultation over a rural link, swept through the impairments of issue 19: the
// client's browser in its own network namespace behind a veth pair (netem/netns.ts), the
// specialist's in the root namespace on a free path. Each row impairs the client's link in both
// directions and reads both receivers' getStats (netem/link-figures.ts): the client's for what
// comes down the weak link, the specialist's for what goes up it.
//
//  - caps (tbf on both ends) 2 Mbit/s → 1 Mbit/s → 512 → 256 → 128 kbit/s and back up;
//  - random loss (iptables) 2 %, 5 %, 10 %, and 10 % with a 256 kbit/s cap;
//  - added delay of 150 ms and 400 ms RTT (a UDP relay in the namespace, netem/delay-relay.ts);
//  - 15 s and 45 s blackholes, an address change, UDP blocked (only ICE-TCP to the SFU left), then
//    TCP to the SFU blocked too (only TURN over TCP through a local coturn left);
//  - time to first video at 512 kbit/s (admit → the client's first decoded frame) and the link
//    page's first screen at 256 kbit/s (tbf) with 400 ms RTT (DevTools latency; the same figures
//    as page-weight.ts).
//
// `BENCH_PRINT_ONLY=1` prints without writing docs/benchmarks.md; `RURAL_ONLY=caps,loss,delay,
// events,first` runs only those groups (the section is then written only when all ran).
import { registerHooks } from 'node:module';
import type { Browser, Page } from 'puppeteer-core';
import { percentile, writeBenchSection } from '@dp/infra-scripts/bench-report';
import { OBSERVER, visit, type Run } from './first-screen.ts';
import type { Window } from '../netem/link-figures.ts';

registerHooks({
  resolve: (specifier, context, next) =>
    specifier === '@jest/globals'
      ? { url: 'data:text/javascript,export const beforeAll = () => {}, afterAll = () => {};', shortCircuit: true }
      : next(specifier, context),
});
const { admitNext, join, launchChromium, openParticipant, openStaff, PHONE, waitForMedia } = await import('../browser.ts');
const { startProduct } = await import('../stack.ts');
const { between, measure, read, remoteAudioLevel, sfuPort, until } = await import('../netem/link-figures.ts');
const { createClientNet, launchChromiumIn, linkVia, productEnvFor } = await import('../netem/netns.ts');
const { freeTcpUdpPort, startCoturn } = await import('../coturn.ts');

const groups = new Set((process.env.RURAL_ONLY ?? 'caps,loss,delay,events,first').split(','));
const all = ['caps', 'loss', 'delay', 'events', 'first'].every((g) => groups.has(g));

interface Row {
  step: string;
  down?: Window;
  up?: Window;
  level?: number;
  adaptMs?: number | null;
  recoverMs?: number | null;
  note?: string;
}
const rows: Row[] = [];

const net = await createClientNet('rn-bench');
// TURN as in production (TURN_ENABLED): a local coturn on the root end of the veth, relaying
// only to the SFU's address; the relay-only row blocks everything else.
const coturn = await startCoturn({ listenIp: net.hostIp, allowedPeerIp: net.hostIp });
const rtcPort = await freeTcpUdpPort('0.0.0.0');
const product = await startProduct({
  env: {
    ...productEnvFor(net),
    SFU_RTC_PORT: String(rtcPort),
    TURN_ENABLED: '1',
    TURN_SECRET: coturn.secret,
    TURN_URLS: coturn.urls.join(','),
  },
});
const origin = `http://${net.hostIp}:${new URL(product.url).port}`;
const browser = await launchChromium();
const clientBrowser: Browser = await launchChromiumIn(net, origin);
let specialist!: Page;
let client!: Page;
let rooms = 0;

/** A new consultation: the specialist in, the client joins and is admitted; returns ms from «Впустить» to the client's first frame. */
async function call(): Promise<number> {
  const room = `bench-rural-${Date.now()}-${rooms++}`;
  specialist = await openStaff(browser, await product.staff(room, 'specialist'));
  client = await openParticipant(clientBrowser, linkVia(await product.link(room, 'client'), net), PHONE);
  await join(specialist);
  await join(client);
  await client.waitForSelector('[data-testid="waiting-room"]', { timeout: 60_000 });
  await admitNext(specialist);
  await client.waitForFunction(
    () => (window as unknown as { __roomClient?: { timings: { firstFrame?: number } } }).__roomClient?.timings.firstFrame,
    {
      timeout: 60_000,
      polling: 50,
    },
  );
  const frameAt = await client.evaluate(
    () =>
      performance.timeOrigin + (window as unknown as { __roomClient: { timings: { firstFrame: number } } }).__roomClient.timings.firstFrame,
  );
  const admitAt = await specialist.evaluate(
    () => (window as unknown as { __roomClient: { admitClickedAt: number } }).__roomClient.admitClickedAt,
  );
  await waitForMedia(specialist, (m) => m.videoFramesDecoded > 10 && m.audioPacketsReceived > 20, 60_000);
  return frameAt - admitAt;
}

async function hangUp(): Promise<void> {
  await client
    ?.browserContext()
    .close()
    .catch(() => undefined);
  await specialist
    ?.browserContext()
    .close()
    .catch(() => undefined);
}

/**
 * Samples both receivers every second for `ms`; the time to adapt is when the received pictures
 * last changed size (a window without frames counts as «paused»). Then measures 6 s.
 */
async function settle(step: string, ms: number, extra: Partial<Row> = {}): Promise<void> {
  const start = Date.now();
  const series: { t: number; key: string }[] = [];
  let [pc, ps] = await Promise.all([read(client), read(specialist)]);
  while (Date.now() - start < ms) {
    await new Promise((r) => setTimeout(r, 1_000));
    const [c, s] = await Promise.all([read(client), read(specialist)]);
    series.push({ t: Date.now() - start, key: `${between(pc, c).width}/${between(ps, s).width}` });
    [pc, ps] = [c, s];
  }
  const last = series.at(-1)?.key;
  let adaptMs = 0;
  for (let i = series.length - 1; i >= 0; i--) {
    if (series[i]!.key !== last) {
      adaptMs = series[i + 1]?.t ?? series[i]!.t;
      break;
    }
  }
  await sample(step, { adaptMs, ...extra });
}

async function sample(step: string, extra: Partial<Row> = {}): Promise<void> {
  const [down, up, level] = await Promise.all([measure(client, 6_000), measure(specialist, 6_000), remoteAudioLevel(client, 5_500)]);
  const row = { step, down, up, level, ...extra };
  rows.push(row);
  console.error(`${step}: ${JSON.stringify(row)}`);
}

const flowing = (w: Window) => w.audioPackets > 5 && w.videoFrames > 3;
/** ms until both receivers get audio and video again (null: not within `ms`). */
async function recovery(ms: number, check = flowing): Promise<number | null> {
  const t0 = Date.now();
  try {
    await Promise.all([until(client, check, 'client', ms, 500), until(specialist, flowing, 'specialist', ms, 500)]);
    return Date.now() - t0;
  } catch {
    return null;
  }
}

const firstVideo: number[] = [];
const firstScreens: Run[] = [];
try {
  await call();
  if (groups.has('caps')) {
    await settle('free link', 30_000);
    for (const kbit of [2000, 1000, 512, 256, 128, 256, 512, 1000, 2000]) {
      await net.cap(kbit);
      const label = kbit >= 1000 ? `${kbit / 1000} Mbit/s` : `${kbit} kbit/s`;
      // Going up takes the estimator longer (it probes) than going down (it sees loss and delay).
      await settle(rows.some((r) => r.step === label) ? `${label}, back up` : label, kbit < 512 ? 20_000 : 30_000);
    }
    await net.cap(null);
    await settle('cap lifted', 30_000);
  }
  if (groups.has('loss')) {
    for (const [loss, kbit] of [
      [2, null],
      [5, null],
      [10, null],
      [10, 256],
    ] as const) {
      await net.loss(loss);
      await net.cap(kbit);
      await settle(`${loss} % loss${kbit ? ` + ${kbit} kbit/s` : ''}`, 15_000);
    }
    await net.clear();
    await settle('loss lifted', 20_000);
  }
  if (groups.has('events')) {
    for (const seconds of [15, 45]) {
      await net.blackhole(true);
      await new Promise((r) => setTimeout(r, seconds * 1000));
      await net.blackhole(false);
      await sample(`${seconds} s blackhole`, { recoverMs: await recovery(60_000) });
    }
    await net.changeAddress();
    await sample('address change', { recoverMs: await recovery(60_000) });
    await net.blockUdp(true);
    // Whatever path is left (ICE-TCP to the SFU, or TURN over TCP): the path column says which was taken.
    await sample('UDP blocked', {
      recoverMs: await recovery(60_000, (w) => flowing(w) && (w.protocol === 'tcp' || w.candidateType === 'relay')),
    });
    await net.blockTcpTo(net.hostIp, [rtcPort], true);
    await sample('UDP and TCP to the SFU blocked (TURN/TCP only)', {
      recoverMs: await recovery(60_000, (w) => flowing(w) && w.candidateType === 'relay'),
    });
    await net.clear();
  }
  if (groups.has('delay')) {
    // The relay catches only flows that start after it is set: a new call for each delay.
    const port = sfuPort(await read(client));
    await hangUp();
    for (const rtt of [150, 400]) {
      await net.delay(rtt, port);
      await call();
      await settle(`+${rtt} ms RTT`, 20_000);
      await hangUp();
    }
    await net.delay(null);
  } else {
    await hangUp();
  }
  if (groups.has('first')) {
    await net.cap(512);
    for (let i = 0; i < 3; i++) {
      firstVideo.push(await call());
      await hangUp();
    }
    await net.cap(256);
    for (let i = 0; i < 3; i++) {
      const context = await clientBrowser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(PHONE);
      const cdp = await page.createCDPSession();
      await cdp.send('Network.enable');
      // The cap is the link's (tbf); DevTools adds only the round trip to each HTTP request.
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: -1, uploadThroughput: -1 });
      await page.evaluateOnNewDocument(OBSERVER);
      firstScreens.push(await visit(page, linkVia(await product.link(`bench-rural-page-${Date.now()}-${i}`, 'client'), net)));
      await context.close();
    }
    await net.clear();
  }
} finally {
  await hangUp();
  await clientBrowser.close().catch(() => undefined);
  await browser.close().catch(() => undefined);
  await product.stop().catch(() => undefined);
  await coturn.stop().catch(() => undefined);
  await net.destroy();
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');
const res = (w?: Window) => (!w ? '—' : w.videoFrames === 0 ? 'paused' : `${w.width}×${w.height}`);
const fps = (w?: Window) => (w ? w.fps.toFixed(0) : '—');
const path = (w?: Window) => (!w || !w.protocol ? '—' : w.candidateType === 'relay' ? `TURN over ${w.relayProtocol}` : w.protocol);
const sec = (ms: number | null | undefined) =>
  ms === undefined ? '' : ms === null ? '**not within 60 s**' : `${(ms / 1000).toFixed(1)} s`;
// Audio is «ok» when both receivers get packets, at most 20 % is concealed (the e2e's bound at
// 10 % loss, rural-network.e2e.test.ts) and the client's remote audio is audible.
const audioOk = (r: Row) =>
  !!r.down &&
  !!r.up &&
  r.down.audioPackets > 60 &&
  r.up.audioPackets > 60 &&
  r.down.concealment < 0.2 &&
  r.up.concealment < 0.2 &&
  (r.level ?? 0) > 0.01;
const table = rows
  .map(
    (r) =>
      `| ${r.step} | ${audioOk(r) ? 'yes' : '**no**'} | ${pct(r.down?.concealment ?? NaN)} / ${pct(r.up?.concealment ?? NaN)} | ${res(r.down)}, ${fps(r.down)} fps | ${res(r.up)}, ${fps(r.up)} fps | ${r.adaptMs === undefined ? '' : r.adaptMs === 0 ? 'no change' : sec(r.adaptMs)} | ${sec(r.recoverMs)} | ${r.down?.rtcpRttMs ?? '—'} | ${path(r.down)} | ${r.down?.score ?? '—'} / ${r.up?.score ?? '—'} |`,
  )
  .join('\n');
const med = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const firstLines = [
  firstVideo.length
    ? `- Time to first video at 512 kbit/s (specialist's «Впустить» → the client's first decoded frame): median **${(med(firstVideo) / 1000).toFixed(2)} s** (${firstVideo.map((v) => (v / 1000).toFixed(2)).join(', ')} s; target ≤ 3 s).`
    : '',
  firstScreens.length
    ? `- The link page's first screen at 256 kbit/s (tbf) with 400 ms RTT (DevTools latency per request): heading at median **${(med(firstScreens.map((f) => f.headingMs)) / 1000).toFixed(1)} s**, «Войти» usable at **${(med(firstScreens.map((f) => f.joinUsableMs)) / 1000).toFixed(1)} s** (${(med(firstScreens.map((f) => f.bytesUntilUsable)) / 1024).toFixed(0)} KB fetched; target < 5 s).`
    : '',
]
  .filter(Boolean)
  .join('\n');
const body = `A one-to-one consultation: the client's Chromium runs in its own network namespace behind a veth pair with real
addresses (its media go over UDP through the impaired interface), the specialist's on a free path; both send Chromium's fake
camera (simulcast layers as the product asks for them) and fake microphone (a beep a
second, DTX between). Each row impairs the client's link **in both directions** and measures 6 s at the end of the step
(\`packages/e2e/src/bench/rural-network.ts\`; the bounded version runs in \`./pnpm test\`, \`rural-network.e2e.test.ts\`).

How it is impaired: caps are \`tc tbf\` on both ends of the veth (burst 50 ms of the rate, ≥ 4 packets; 200 ms queue); loss is an
iptables \`statistic\` rule in each direction; a blackhole drops every packet; an address change replaces the client's address;
«UDP blocked» drops all UDP (ICE-TCP to the SFU and TURN over TCP are left), then TCP to the SFU's port too (only TURN over
TCP to a local coturn is left; the product runs with \`TURN_ENABLED\` throughout, as in production). «path» is the client's
selected candidate pair on its receive transport. This kernel has no netem and Debian's Chromium has no WebRTC fake network built in (the
\`WebRTC-FakeNetwork*\` field trials do nothing): delay comes from a small UDP relay in the client's namespace
(\`packages/e2e/src/netem/delay-relay.ts\`, an iptables REDIRECT of the client's UDP to the SFU) that holds each datagram half the
RTT each way — media and ICE over UDP, not the signalling socket or HTTP. The RTT column is RTCP's round trip as the client's
sender sees it.

Columns: «audio ok» — both sides receive audio, at most 20 % concealed, the client's remote audio audible (WebAudio); concealment
— \`concealedSamples / totalSamplesReceived\` over the window, client / specialist; «down» — the picture the client receives
(the specialist's camera; «paused» = no frames decoded); «up» — the picture the specialist receives of the client; «adapt» —
when the received pictures last changed size after the step began; «recover» — from the link's return until both sides decode
video and receive audio again, with no user action; score — the dashboard's 0–5 quality score (\`packages/health\`
\`qualityScore\`, the E-model) from each page's own stats report (\`apps/web\` \`summariseStats\`), client / specialist.

| step | audio ok | concealment | down | up | adapt | recover | RTT (ms) | path | score |
|---|---|---:|---|---|---:|---:|---:|---|---:|
${table}

${firstLines}`;
console.log(body);
if (process.env.BENCH_PRINT_ONLY !== '1' && all) {
  writeBenchSection('rural-network', 'Rural network: a consultation under a capped, lossy, delayed, changing link', body);
}
