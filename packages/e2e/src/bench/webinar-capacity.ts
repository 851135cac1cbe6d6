// Webinar capacity: one host in headless Chromium publishing camera (two simulcast layers)
// and microphone, and N receive-only attendees that are real WebRTC peers — werift behind
// the stock mediasoup-client, in child processes (werift-peer.ts): ICE, DTLS-SRTP, NACK/RTX
// and RTCP, so the SFU does for each what it does for a browser. At each N: CPU of the
// mediasoup worker, of the SFU's and signalling's Node processes, of the generator and of
// the host's browser, and how many attendees really receive a healthy stream. Stops when
// the worker passes 80 % of a core, or when the generator (not the server) runs out of machine.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join as joinPath, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';
import type { AttendeeCounts, FromChild, ToChild } from './werift-peer.ts';

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
const { repoRoot } = await import('../common.ts');

const STEPS = (process.env.BENCH_WEBINAR_STEPS ?? '10,25,50,100,150,200,250,300').split(',').map(Number);
/** Attendees per werift process: one Node thread carries ~140 before it is the limit. */
const PER_CHILD = Number(process.env.BENCH_WEBINAR_PER_CHILD ?? 110);
/** Attendees joining at the same time, over all werift processes. */
const JOIN_PARALLEL = 2;
const SETTLE_MS = 4_000;
const WINDOW_MS = 10_000;
const WORKER_LIMIT = 80;
/** CPU (% of a core) that other work on the machine may take during a window before it is measured again. */
const OTHER_MAX = 25;
/** Healthy: video at ≥ 80 % of the host's frame rate, audio ≥ 45 of Opus's 50 packets/s, < 1 % video loss. */
const HEALTH = { fpsShare: 0.8, audioPps: 45, loss: 0.01 };
const CORES = cpus().length;
const TICK = 100; // USER_HZ on Linux

const started = performance.now();

// --- CPU and memory from /proc --------------------------------------------------------------

function statOf(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}
const ticksOf = (pids: number[]) => pids.reduce((a, p) => a + (statOf(p)?.ticks ?? 0), 0);

/** The process and all its descendants (Chromium's renderer, GPU and utility processes). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    const st = Number(d) ? statOf(Number(d)) : undefined;
    if (st) parent.set(Number(d), st.ppid);
  }
  const out = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, pp] of parent) {
      if (out.has(pp) && !out.has(pid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return [...out];
}
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total }; // idle and iowait
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** What the run may spend waiting for the machine or the host to settle (so it stays within a few minutes). */
let waitBudgetMs = 90_000;
/** Waits (1 s samples) while other work takes more than OTHER_MAX of a core. */
async function quiet(ours: number[]): Promise<void> {
  while (waitBudgetMs > 0) {
    const m0 = machineTicks();
    const o0 = ticksOf(ours);
    await new Promise((r) => setTimeout(r, 1000));
    const m1 = machineTicks();
    const other = (100 * CORES * (m1.busy - m0.busy - (ticksOf(ours) - o0))) / (m1.total - m0.total);
    if (other <= OTHER_MAX) return;
    waitBudgetMs -= 1000;
  }
}

// --- the werift processes -------------------------------------------------------------------

interface Generator {
  child: ChildProcess;
  attendees: number;
  /** Attendees it had before the current step. */
  attendeesBefore: number;
  ask<T extends FromChild['type']>(m: ToChild, reply: T): Promise<Extract<FromChild, { type: T }>>;
}
function spawnGenerator(): Generator {
  const child = fork(fileURLToPath(new URL('./werift-peer.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_WEBINAR_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WEBINAR_PROF}`] : [],
  });
  const waiting = new Map<string, (m: FromChild) => void>();
  child.on('message', (m: FromChild) => {
    const w = waiting.get(m.type);
    waiting.delete(m.type);
    w?.(m);
  });
  child.on('exit', (code) => {
    if (code) console.error(`[webinar] a werift process exited with ${code}`);
  });
  return {
    child,
    attendees: 0,
    attendeesBefore: 0,
    ask: (m, reply) =>
      new Promise((res) => {
        waiting.set(reply, res as (m: FromChild) => void);
        child.send(m);
      }),
  };
}

function stopGenerator(g: Generator): Promise<void> {
  if (g.child.exitCode !== null || g.child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    g.child.once('exit', () => res());
    g.child.send({ type: 'stop' } satisfies ToChild);
    setTimeout(() => g.child.kill('SIGKILL'), 3000).unref();
  });
}

// --- the run --------------------------------------------------------------------------------

interface Step {
  n: number;
  joined: number;
  joinFailures: string[];
  /** From the first join request to the last attendee's first key frame. */
  joinSeconds: number;
  /** CPU ms per attendee join (its socket, join, transports, two consumers, ICE + DTLS). */
  joinCpuMs: { worker: number; sfu: number; signalling: number };
  healthy: number;
  fpsMedian: number;
  fpsMin: number;
  hostFps: number;
  /** The host's layers as sent: width, frame rate, bitrate, and why its encoder held back (if it did). */
  hostSends: string;
  audioPpsMedian: number;
  kbpsMedian: number;
  lossMax: number;
  widths: string;
  /** Medians over this step's new attendees, ms from opening the socket. */
  joinPhases: { ack: number; consumed: number; connected: number; firstAudio: number; firstVideo: number };
  cpu: Record<'worker' | 'sfu' | 'signalling' | 'generator' | 'generatorMaxProcess' | 'host' | 'machine' | 'other', number>;
  generators: number;
  loopDelayP99Ms: number;
  workerRssMiB: number;
  consumers: number;
}

// The host's camera: a noisy test pattern, so that its encoder sends what a real camera does
// at our caps (CAMERA_ENCODINGS: 150 + 600 kbit/s); Chromium's own fake picture makes ~250.
const scratch = mkdtempSync(joinPath(tmpdir(), 'bench-webinar-'));
const y4m = joinPath(scratch, 'camera.y4m');
execFileSync('ffmpeg', [
  '-loglevel',
  'error',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=640x360:rate=24',
  '-vf',
  'noise=alls=12:allf=t',
  '-t',
  '5',
  '-pix_fmt',
  'yuv420p',
  y4m,
]);

const product = await startProduct();
const browser = await launchChromium([`--use-file-for-fake-video-capture=${y4m}`]);
const generators: Generator[] = [];
const steps: Step[] = [];
let stopReason = `its last step (${STEPS.at(-1)} attendees) was done`;
let chromiumAttendee: string | undefined;
let srtpCiphers = '';
let workerBin: string | undefined;
try {
  const name = `bench-webinar-${Date.now()}`;
  const webinar = { kind: 'webinar' as const };
  const host = await openStaff(browser, await product.staff(name, 'host', '', { ...webinar, displayName: 'Ведущая' }));
  await join(host);
  await waitForMedia(host, (m) => m.videoBytesSent > 100_000, 30_000);

  const roomId = product.consultationId(name);
  const info = await product.sfu.request('nodeInfo', {});
  const workerPids = info.workers.map((w) => w.pid);
  workerBin = info.workers[0]?.workerBin ?? '';
  const ours = descendants(process.pid);
  const sfuPid = ours.find((p) => cmdline(p).includes('apps/sfu/src/main.ts'));
  const signallingPid = ours.find((p) => cmdline(p).includes('apps/signalling/src/main.ts'));
  if (!sfuPid || !signallingPid) throw new Error('the SFU or signalling process was not found among this process’s children');
  const browserPid = browser.process()!.pid!;

  // The client path in a real browser, once: an attendee page decodes the host's video.
  try {
    const page = await openParticipant(
      browser,
      await product.link(name, 'attendee', '', { ...webinar, displayName: 'Слушатель (Chromium)' }),
    );
    await join(page);
    const m = await waitForMedia(page, (f) => f.videoFramesDecoded > 48, 20_000);
    chromiumAttendee = `an attendee page in Chromium decoded ${m.videoFramesDecoded} frames (${m.srtpCipher ?? '?'} over ${m.recvProtocol ?? '?'})`;
    await page.browserContext().close();
  } catch (e) {
    chromiumAttendee = `FAILED: ${(e as Error).message.split('\n')[0]}`;
    console.error(`[webinar] Chromium attendee: ${chromiumAttendee}`);
  }

  /** What the host's browser has sent, per simulcast layer. */
  const hostFrames = async () => ({
    at: performance.now(),
    layers: await host.evaluate(async () => {
      type Stat = Record<string, unknown> & { type: string };
      const client = (window as unknown as { __roomClient?: { getStats(): Promise<{ send: Stat[] }> } }).__roomClient;
      if (!client) return [];
      const { send } = await client.getStats();
      return send
        .filter((x) => x.type === 'outbound-rtp' && x.kind === 'video')
        .map((x) => ({
          rid: String(x.rid ?? ''),
          frames: Number(x.framesEncoded) || 0,
          bytes: Number(x.bytesSent) || 0,
          width: Number(x.frameWidth) || 0,
          limit: String(x.qualityLimitationReason ?? ''),
        }));
    }),
  });
  const everyone = async () => {
    const replies = await Promise.all(generators.map((g) => g.ask({ type: 'stats' }, 'stats')));
    return {
      attendees: replies.flatMap((r) => r.attendees),
      /** Those who joined in this step (each process lists its attendees in joining order). */
      newcomers: replies.flatMap((r, i) => r.attendees.slice(generators[i]!.attendeesBefore)),
      loopDelayP99Ms: Math.max(0, ...replies.map((r) => r.loopDelayP99Ms)),
    };
  };
  let firstHostFps = NaN;
  let firstHostWidth = 0;

  for (const n of STEPS) {
    const before = steps.at(-1)?.joined ?? 0;
    if (n <= before) continue;
    while (generators.length < Math.ceil(n / PER_CHILD)) generators.push(spawnGenerator());
    for (const g of generators) g.attendeesBefore = g.attendees;
    // The new attendees go to the least loaded werift processes.
    const share = new Map<Generator, string[]>();
    const load = (g: Generator) => g.attendees + (share.get(g)?.length ?? 0);
    for (let i = before; i < n; i++) {
      const g = generators.reduce((a, b) => (load(b) < load(a) ? b : a));
      share.set(g, [...(share.get(g) ?? []), await product.link(name, 'attendee', '', { ...webinar, displayName: `Слушатель ${i + 1}` })]);
    }

    await quiet(descendants(process.pid));
    const joinTicks0 = { worker: ticksOf(workerPids), sfu: ticksOf([sfuPid]), signalling: ticksOf([signallingPid]) };
    const t0 = performance.now();
    const lanes = Math.max(1, Math.round(JOIN_PARALLEL / share.size));
    const results = await Promise.all(
      [...share].map(async ([g, links]) => {
        const r = await g.ask({ type: 'join', url: product.url, links, parallel: lanes }, 'joined');
        g.attendees += links.length;
        return r;
      }),
    );
    const joined = before + results.reduce((a, r) => a + r.ok, 0);
    const joinFailures = results.flatMap((r) => r.failed);
    for (const deadline = performance.now() + 20_000; performance.now() < deadline;) {
      if ((await everyone()).attendees.filter((a) => a.ready).length >= joined) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const joinSeconds = (performance.now() - t0) / 1000;
    const perJoin = (ticks: number) => (ticks * (1000 / TICK)) / Math.max(1, joined - before);
    const joinCpuMs = {
      worker: perJoin(ticksOf(workerPids) - joinTicks0.worker),
      sfu: perJoin(ticksOf([sfuPid]) - joinTicks0.sfu),
      signalling: perJoin(ticksOf([signallingPid]) - joinTicks0.signalling),
    };
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    // A burst of joins on two shared cores can make the host's browser drop frames or lower its
    // own uplink estimate for a while: measure once it sends its top layer at full rate again.
    while (waitBudgetMs > 0 && Number.isFinite(firstHostFps)) {
      const a = await hostFrames();
      await new Promise((r) => setTimeout(r, 2000));
      const b = await hostFrames();
      const top = b.layers.reduce((x, y) => (y.width > x.width ? y : x), { width: 0, frames: 0, bytes: 0, rid: '', limit: '' });
      const fps = (top.frames - (a.layers.find((l) => l.rid === top.rid)?.frames ?? 0)) / ((b.at - a.at) / 1000);
      if (top.width >= firstHostWidth && fps >= 0.9 * firstHostFps) break;
      waitBudgetMs -= 2000;
    }
    await quiet(descendants(process.pid));

    // The measuring window: nobody joins or leaves. This machine is shared: a window in which
    // something else took more than OTHER_MAX of a core is measured again (twice at most).
    const gPids = generators.map((g) => g.child.pid!);
    const hostPids = descendants(browserPid);
    const measure = async () => {
      const c0 = {
        worker: ticksOf(workerPids),
        sfu: ticksOf([sfuPid]),
        signalling: ticksOf([signallingPid]),
        generators: gPids.map((p) => ticksOf([p])),
        host: ticksOf(hostPids),
        machine: machineTicks(),
      };
      const s0 = await everyone();
      const h0 = await hostFrames();
      const w0 = performance.now();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const s1 = await everyone();
      const h1 = await hostFrames();
      const m1 = machineTicks();
      const secs = (performance.now() - w0) / 1000;
      const pct = (ticks: number) => (100 * ticks) / TICK / secs;
      const perGenerator = gPids.map((p, i) => pct(ticksOf([p]) - c0.generators[i]!));
      const cpu: Step['cpu'] = {
        worker: pct(ticksOf(workerPids) - c0.worker),
        sfu: pct(ticksOf([sfuPid]) - c0.sfu),
        signalling: pct(ticksOf([signallingPid]) - c0.signalling),
        generator: perGenerator.reduce((a, b) => a + b, 0),
        generatorMaxProcess: Math.max(...perGenerator),
        host: pct(ticksOf(hostPids) - c0.host),
        machine: (100 * CORES * (m1.busy - c0.machine.busy)) / (m1.total - c0.machine.total),
        other: 0,
      };
      cpu.other = Math.max(0, cpu.machine - cpu.worker - cpu.sfu - cpu.signalling - cpu.generator - cpu.host);
      return { cpu, s0, s1, h0, h1, secs };
    };
    let w = await measure();
    for (let again = 0; again < 2 && w.cpu.other > OTHER_MAX; again++) {
      console.log(`[webinar] N=${n}: other work took ${w.cpu.other.toFixed(0)} % of a core during the window; measuring again`);
      const next = await measure();
      if (next.cpu.other < w.cpu.other) w = next;
    }
    const { cpu, s0, s1, h0, h1, secs } = w;
    const hostSecs = (h1.at - h0.at) / 1000;
    const hostLayers = h1.layers
      .map((l) => {
        const b = h0.layers.find((x) => x.rid === l.rid);
        return { ...l, fps: (l.frames - (b?.frames ?? 0)) / hostSecs, kbps: ((l.bytes - (b?.bytes ?? 0)) * 8) / hostSecs / 1000 };
      })
      .sort((x, y) => x.width - y.width);

    // What the host sends on its top layer is what a healthy attendee receives.
    const hostFps = Math.max(0, ...hostLayers.map((l) => l.fps));
    if (Number.isNaN(firstHostFps)) {
      firstHostFps = hostFps;
      firstHostWidth = Math.max(...hostLayers.map((l) => l.width));
    }
    const per = s1.attendees.map((a, i) => {
      const b: AttendeeCounts | undefined = s0.attendees[i];
      const d = (k: 'frames' | 'audioPackets' | 'videoBytes' | 'videoPackets' | 'videoLost') => a[k] - (b?.[k] ?? 0);
      const fps = d('frames') / secs;
      const audioPps = d('audioPackets') / secs;
      const loss = d('videoLost') / Math.max(1, d('videoPackets') + d('videoLost'));
      const healthy = a.ready && !a.error && fps >= HEALTH.fpsShare * hostFps && audioPps >= HEALTH.audioPps && loss < HEALTH.loss;
      return { fps, audioPps, kbps: (d('videoBytes') * 8) / secs / 1000, loss, width: a.width, healthy };
    });
    const sorted = (xs: number[]) => xs.filter(Number.isFinite).sort((x, y) => x - y);
    const widths = new Map<number, number>();
    for (const p of per) widths.set(p.width, (widths.get(p.width) ?? 0) + 1);
    srtpCiphers = [...new Set(s1.attendees.map((a) => a.srtpCipher || '?'))].join(', ');
    const state = await product.sfu.request('roomState', { roomId });
    const step: Step = {
      n,
      joined,
      joinFailures,
      joinSeconds,
      joinCpuMs,
      healthy: per.filter((p) => p.healthy).length,
      fpsMedian: percentile(sorted(per.map((p) => p.fps)), 50),
      fpsMin: sorted(per.map((p) => p.fps))[0] ?? NaN,
      hostFps,
      hostSends: hostLayers
        .map(
          (l) => `${l.width} px ${l.fps.toFixed(0)} fps ${l.kbps.toFixed(0)} kbit/s${l.limit && l.limit !== 'none' ? ` (${l.limit})` : ''}`,
        )
        .join(' + '),
      audioPpsMedian: percentile(sorted(per.map((p) => p.audioPps)), 50),
      kbpsMedian: percentile(sorted(per.map((p) => p.kbps)), 50),
      lossMax: Math.max(0, ...per.map((p) => p.loss)),
      widths: [...widths].map(([w, c]) => `${c} × ${w || '?'} px`).join(', '),
      joinPhases: {
        ack: percentile(sorted(s1.newcomers.map((a) => a.joinAckMs)), 50),
        consumed: percentile(sorted(s1.newcomers.map((a) => a.consumedMs)), 50),
        connected: percentile(sorted(s1.newcomers.map((a) => a.connectedMs)), 50),
        firstAudio: percentile(sorted(s1.newcomers.map((a) => a.firstAudioMs)), 50),
        firstVideo: percentile(sorted(s1.newcomers.map((a) => a.joinToKeyFrameMs)), 50),
      },
      cpu,
      generators: generators.length,
      loopDelayP99Ms: s1.loopDelayP99Ms,
      workerRssMiB: workerPids.reduce((a, p) => a + rssMiB(p), 0),
      consumers: state.consumers,
    };
    steps.push(step);
    const f1 = (x: number) => x.toFixed(1);
    console.log(
      `[webinar] N=${n}: joined ${joined} (${joinFailures.length} failed) in ${f1(joinSeconds)} s, healthy ${step.healthy}; CPU % worker ${f1(cpu.worker)}, ` +
        `sfu ${f1(cpu.sfu)}, signalling ${f1(cpu.signalling)}, werift ${f1(cpu.generator)} (max process ${f1(cpu.generatorMaxProcess)}), host ${f1(cpu.host)}, ` +
        `machine ${f1(cpu.machine)} (other ${f1(cpu.other)}); fps ${f1(step.fpsMedian)} (min ${f1(step.fpsMin)}, host ${f1(hostFps)}), ` +
        `audio ${f1(step.audioPpsMedian)} pkt/s, ${step.kbpsMedian.toFixed(0)} kbit/s, loss max ${(100 * step.lossMax).toFixed(2)} %, ${step.widths}, ` +
        `loop p99 ${step.loopDelayP99Ms.toFixed(0)} ms, ${state.consumers} consumers; ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    if (joinFailures.length) console.log(`[webinar] join failures: ${[...new Set(joinFailures)].slice(0, 3).join(' | ')}`);

    if (cpu.worker >= WORKER_LIMIT) {
      stopReason = `the worker passed ${WORKER_LIMIT} % of a core at ${n} attendees`;
      break;
    }
    // Why the machine, rather than the server, may have been the limit at this step.
    const generatorBehind = [
      cpu.machine >= 90 * CORES ? `the machine was at ${cpu.machine.toFixed(0)} % of ${100 * CORES} %` : '',
      cpu.generatorMaxProcess >= 90 ? `a werift process was at ${cpu.generatorMaxProcess.toFixed(0)} % of its core` : '',
      step.loopDelayP99Ms >= 100
        ? `werift's event loop lagged ${step.loopDelayP99Ms.toFixed(0)} ms (p99: late receiver feedback looks like congestion to the SFU's bandwidth estimate)`
        : '',
      hostFps < 0.85 * firstHostFps ? `the host's encoder fell to ${hostFps.toFixed(1)} fps (from ${firstHostFps.toFixed(1)})` : '',
      cpu.other > OTHER_MAX ? `other work on the machine took ${cpu.other.toFixed(0)} % of a core` : '',
    ].filter(Boolean);
    if (step.healthy < joined) {
      stopReason = generatorBehind.length
        ? `at ${n} attendees only ${step.healthy} streams were healthy, and the machine had run out before the server did: ${generatorBehind.join('; ')}`
        : `at ${n} attendees only ${step.healthy} streams were healthy, with the generator not visibly behind`;
      break;
    }
    if (cpu.machine >= 95 * CORES || cpu.generatorMaxProcess >= 90 || hostFps < 0.85 * firstHostFps) {
      stopReason = `at ${n} attendees the machine had no room for more: ${generatorBehind.join('; ')}`;
      break;
    }
  }
} finally {
  await Promise.all(generators.map(stopGenerator));
  await browser.close();
  await product.stop();
  rmSync(scratch, { recursive: true, force: true });
}

// --- the report -----------------------------------------------------------------------------

const seconds = (performance.now() - started) / 1000;
const version = (file: string) => (JSON.parse(readFileSync(resolve(repoRoot, file), 'utf8')) as { version: string }).version;
const mediasoupVersion = version('apps/sfu/node_modules/mediasoup/package.json');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const best = [...steps].reverse().find((s) => s.healthy === s.joined && s.cpu.worker < WORKER_LIMIT);
// Worker CPU grows linearly with the attendees (least squares over the steps): where it would reach 80 %.
const fit = (() => {
  const xs = steps.map((s) => s.joined);
  const ys = steps.map((s) => s.cpu.worker);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return { slope, at80: (WORKER_LIMIT - (my - slope * mx)) / slope };
})();
const last = steps.at(-1);

const body = `One webinar room: the host in Debian's Chromium (headless; fake microphone, camera from a noisy 640×360 test pattern
so the encoder fills our caps — two simulcast layers, 150 + 600 kbit/s) and N receive-only attendees, each a real WebRTC peer:
werift ${version('packages/e2e/node_modules/werift/package.json')} behind the stock mediasoup-client ${version('packages/e2e/node_modules/mediasoup-client/package.json')}
(its Chrome111 handler), each with its own socket.io connection, \`join\` with an attendee link, receive transport (ICE + DTLS, SRTP
${srtpCiphers || '?'}) and both of the host's consumers; ${PER_CHILD} attendees per werift process at most, ${JOIN_PARALLEL} joining at a time.
The product as in production (SFU and signalling processes, \`SFU_WORKERS=1\`: a room is one router on one worker), mediasoup ${mediasoupVersion},
all on loopback. Each step: the new attendees join, then ${SETTLE_MS / 1000} s settle, then a ${WINDOW_MS / 1000} s window with nobody joining.
CPU = (utime+stime) from \`/proc/<pid>/stat\` over the window, in % of one core (the machine has ${100 * CORES} %); "host" is every Chromium
process; "other" is the rest of the machine (this script, PostgreSQL, Redis, and whatever else ran on the machine).
Healthy = video ≥ ${HEALTH.fpsShare * 100} % of the host's frame rate (frames counted by the RTP marker bit; werift does not decode), audio ≥ ${HEALTH.audioPps}
packets/s, < ${HEALTH.loss * 100} % video loss after retransmissions, and a VP8 key frame seen (it decrypted and parsed).

| attendees | healthy | received video: fps median (min), kbit/s, width | host sends (simulcast layers) | loss max | worker CPU | SFU node | signalling | werift (processes; event-loop lag p99) | host Chromium | machine | other | worker RSS |
|---:|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|
${steps
  .map(
    (s) =>
      `| ${s.joined} | ${s.healthy} | ${f1(s.fpsMedian)} (${f1(s.fpsMin)}), ${f0(s.kbpsMedian)}, ${s.widths} | ${s.hostSends} | ${(100 * s.lossMax).toFixed(2)} % | **${f1(s.cpu.worker)} %** | ${f1(s.cpu.sfu)} % | ${f1(s.cpu.signalling)} % | ${f0(s.cpu.generator)} % (${s.generators}; ${f0(s.loopDelayP99Ms)} ms) | ${f0(s.cpu.host)} % | ${f0(s.cpu.machine)} % | ${f0(s.cpu.other)} % | ${f0(s.workerRssMiB)} MiB |`,
  )
  .join('\n')}

**Attendees served with a healthy stream while the worker stayed under ${WORKER_LIMIT} % of a core: ${best ? `${best.joined}** (worker at ${f1(best.cpu.worker)} %)` : 'none**'}.
The run stopped because ${stopReason}.
${
  Number.isFinite(fit.slope) && fit.slope > 0
    ? `The worker costs ≈ ${f1(fit.slope * 100)} % of a core per 100 attendees (each one video and one audio consumer; least squares over the steps)${
        last && last.cpu.worker < WORKER_LIMIT
          ? `, so by linear extrapolation — not measured — it would reach ${WORKER_LIMIT} % near **${f0(Math.floor(fit.at80 / 50) * 50)} attendees** with this stream`
          : ''
      }.`
    : ''
} The forwarding-cost section measures another load (PlainTransport, AES_CM_128_HMAC_SHA1_80, 800 kbit/s, video only);
here SRTP is AES-GCM and half of the consumers are audio.

Joining: each step's new attendees, ${JOIN_PARALLEL} at a time (medians over them, ms from opening the socket; CPU = what each
process spent while they joined, divided by the joins):

| step | joins | all streaming after | join acknowledged | consumers set up | transport connected (ICE + DTLS) | first audio | first video (key frame) | CPU per join: worker / SFU node / signalling |
|---:|---:|---:|---:|---:|---:|---:|---:|---|
${steps
  .map(
    (s, i) =>
      `| ${s.joined} | ${s.joined - (steps[i - 1]?.joined ?? 0)} | ${f1(s.joinSeconds)} s | ${f0(s.joinPhases.ack)} | ${f0(s.joinPhases.consumed)} | ${f0(s.joinPhases.connected)} | ${f0(s.joinPhases.firstAudio)} | ${f0(s.joinPhases.firstVideo)} | ${f1(s.joinCpuMs.worker)} / ${f1(s.joinCpuMs.sfu)} / ${f1(s.joinCpuMs.signalling)} ms |`,
  )
  .join('\n')}

Audio flows as soon as the transport is connected; video waits for a key frame from the host (the server resumes each consumer and
asks for one as soon as the attendee acknowledges it, which is before that attendee's transport is connected).

Received width = that of the last VP8 key frame (the SFU changes spatial layer only at one). The layer each attendee gets is the
SFU's choice at its bandwidth estimate for that attendee, which starts at \`SFU_INITIAL_BITRATE\` (600 kbit/s) and rises only as
the attendee's receiver feedback allows.
The client path in a real browser: ${chromiumAttendee ?? 'not tried'}.
Worker: \`${workerBin ?? '?'}\`. Run time ${f0(seconds)} s.`;
console.log(body);
writeBenchSection('webinar-capacity', 'Webinar capacity (one host, N receive-only attendees)', body);
writeReadmeFigure(
  'webinar-capacity',
  best
    ? `A webinar host (Chromium, two simulcast layers) served **${best.joined} receive-only WebRTC attendees** (werift peers, real DTLS-SRTP), ${best.healthy === best.joined ? 'every one' : best.healthy} healthy, with the worker at ${f0(best.cpu.worker)} % of a core; the run stopped because ${stopReason}.${
        Number.isFinite(fit.slope) && fit.slope > 0 && last && last.cpu.worker < WORKER_LIMIT
          ? ` By the measured slope (≈ ${f0(fit.slope * 100)} % of a core per 100 attendees) the worker would reach ${WORKER_LIMIT} % near ${f0(Math.floor(fit.at80 / 50) * 50)} — extrapolated, not measured.`
          : ''
      }`
    : `A webinar host served no step of attendees healthily in the last run (${stopReason}): see docs/benchmarks.md.`,
);
