import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromiumArgs } from '../browser.ts';

// A client's link on a bad network, for tests: its own network namespace joined to the root
// namespace (where the product runs) by a veth pair with real, non-loopback addresses — so the
// client's WebRTC really goes over UDP (or ICE-TCP, or TURN) through an interface we can
// impair. This kernel has no netem: bandwidth is capped with tbf, loss and blocking are
// iptables rules inside the namespace, and delay is a small UDP relay (delay-relay.ts): Debian's
// Chromium has no WebRTC fake network built in (`WebRTC-FakeNetwork*` field trials do nothing).
// Everything is named from `name` (callers pass their own tag, e.g. `rn-c1`), and a leftover
// of a crashed run with the same name is deleted first.

const run = promisify(execFile);

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args)).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr?.trim() || err.message}`, { cause: e });
  }
}
const quiet = (cmd: string, args: string[]) =>
  run(cmd, args).then(
    () => true,
    () => false,
  );

export interface ClientNet {
  /** The namespace's name (`ip netns exec <ns> …`). */
  ns: string;
  /** The root namespace's end: the product (SFU, signalling, coturn) is reached here. */
  hostIp: string;
  /** The client's address now (changes with `changeAddress`). */
  clientIp: string;
  hostDev: string;
  clientDev: string;
  /** Caps the link at `kbit` kbit/s in both directions (tbf on both ends); null lifts the cap. */
  cap(kbit: number | null): Promise<void>;
  /** Drops `percent` % of the link's packets at random, in each direction (iptables); null lifts it. */
  loss(percent: number | null): Promise<void>;
  /** Drops every packet both ways (a dead radio link; no resets, as on a real one). */
  blackhole(on: boolean): Promise<void>;
  /** The client gets a new address on the same subnet, the old one removed; returns the new one. */
  changeAddress(): Promise<string>;
  /** Drops all UDP both ways (networks that let only TCP out). */
  blockUdp(on: boolean): Promise<void>;
  /** Drops TCP to `ip` on `ports` both ways (with `blockUdp`: nothing but a relay is left). */
  blockTcpTo(ip: string, ports: number[], on: boolean): Promise<void>;
  /**
   * Adds `rttMs` of round trip (half each way) to the client's UDP to the SFU's port `sfuPort`
   * (a relay in the namespace, delay-relay.ts); null removes it. Only flows that start after it
   * is set are delayed (NAT is decided at a flow's first packet): set it before the browser
   * connects. The signalling socket, HTTP and ICE-TCP are not delayed.
   */
  delay(rttMs: number | null, sfuPort?: number): Promise<void>;
  /** Lifts every impairment (cap, loss, blocks, blackhole, delay). */
  clear(): Promise<void>;
  destroy(): Promise<void>;
}

/** The subnet octet for a name: 10.231.<20..219>.0/24, stable per name (a leftover is found again). */
function subnetOf(name: string): number {
  return 20 + (createHash('sha1').update(name).digest().readUInt16BE(0) % 200);
}

/**
 * The chains the impairments live in, in the namespace's own iptables (so no other agent's
 * rules are touched). Loss is last: blocking rules decide first.
 */
const CHAINS = ['rn-block', 'rn-loss'] as const;

/**
 * Creates namespace `name` with veth `<name>-h` (root end, .1) ↔ `<name>-c` (namespace end, .2)
 * on 10.231.N.0/24, lo up. `name` must be at most 13 characters (interface names are ≤ 15).
 */
export async function createClientNet(name: string, opts: { subnet?: number } = {}): Promise<ClientNet> {
  if (name.length > 13 || !/^[a-z0-9-]+$/.test(name)) throw new Error(`bad namespace name: ${name}`);
  const ns = name;
  const hostDev = `${name}-h`;
  const clientDev = `${name}-c`;
  const n = opts.subnet ?? subnetOf(name);
  const hostIp = `10.231.${n}.1`;
  let clientIp = `10.231.${n}.2`;
  let hostNo = 2;

  await removeLeftovers(ns, hostDev);
  await sh('ip', ['netns', 'add', ns]);
  await sh('ip', ['link', 'add', hostDev, 'type', 'veth', 'peer', 'name', clientDev]);
  await sh('ip', ['link', 'set', clientDev, 'netns', ns]);
  await sh('ip', ['addr', 'add', `${hostIp}/24`, 'dev', hostDev]);
  await sh('ip', ['link', 'set', hostDev, 'up']);
  await sh('ip', ['-n', ns, 'addr', 'add', `${clientIp}/24`, 'dev', clientDev]);
  await sh('ip', ['-n', ns, 'link', 'set', clientDev, 'up']);
  await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  const ipt = (...args: string[]) => sh('ip', ['netns', 'exec', ns, 'iptables', '-w', ...args]);
  for (const chain of CHAINS) {
    await ipt('-N', chain);
    await ipt('-A', 'INPUT', '-i', clientDev, '-j', chain);
    await ipt('-A', 'OUTPUT', '-o', clientDev, '-j', chain);
  }

  // Rules of the block chain, by what added them (each switch adds or removes its own).
  const blocks = new Map<string, string[][]>();
  const setBlock = async (key: string, rules: string[][] | null) => {
    blocks.delete(key);
    if (rules) blocks.set(key, rules);
    await ipt('-F', 'rn-block');
    for (const rule of [...blocks.values()].flat()) await ipt('-A', 'rn-block', ...rule, '-j', 'DROP');
  };

  // tbf on each end's egress: the root end shapes what the client downloads, the client end
  // what it uploads. burst: 50 ms of the rate but at least 4 full-size packets — less and a
  // video frame's back-to-back packets are dropped even under the rate; more and the cap
  // leaks at the start of every burst. latency (the queue, as time): 200 ms, about what a
  // loaded 3G modem buffers; past it tbf drops, which is what the sender's estimator must see.
  const shape = async (dev: string, inNs: boolean, kbit: number | null) => {
    const pre = inNs ? ['-n', ns] : [];
    if (kbit === null) {
      await quiet('tc', [...pre, 'qdisc', 'del', 'dev', dev, 'root']);
      return;
    }
    const burst = Math.max(4 * 1514, Math.round((kbit * 1000) / 8 / 20));
    await sh('tc', [
      ...pre,
      'qdisc',
      'replace',
      'dev',
      dev,
      'root',
      'tbf',
      'rate',
      `${kbit}kbit`,
      'burst',
      String(burst),
      'latency',
      '200ms',
    ]);
  };

  // The delay relay forwards to a second root address, which the redirect does not catch.
  const relayTarget = `10.231.${n}.254`;
  let relay: ChildProcess | null = null;
  const stopRelay = async () => {
    await ipt('-t', 'nat', '-F', 'rn-delay');
    relay?.kill('SIGTERM');
    relay = null;
    await quiet('ip', ['addr', 'del', `${relayTarget}/24`, 'dev', hostDev]);
  };
  await ipt('-t', 'nat', '-N', 'rn-delay');
  await ipt('-t', 'nat', '-A', 'OUTPUT', '-j', 'rn-delay');

  const net: ClientNet = {
    ns,
    hostIp,
    get clientIp() {
      return clientIp;
    },
    hostDev,
    clientDev,
    async cap(kbit) {
      await shape(hostDev, false, kbit);
      await shape(clientDev, true, kbit);
    },
    async loss(percent) {
      await ipt('-F', 'rn-loss');
      if (percent === null || percent <= 0) return;
      // Each direction loses `percent` % on its own (the rule is hit once in INPUT, once in OUTPUT).
      await ipt('-A', 'rn-loss', '-m', 'statistic', '--mode', 'random', '--probability', String(percent / 100), '-j', 'DROP');
    },
    async blackhole(on) {
      await setBlock('blackhole', on ? [[]] : null);
    },
    async changeAddress() {
      hostNo = hostNo >= 250 ? 3 : hostNo + 1;
      const next = `10.231.${n}.${hostNo}`;
      // Removed first, as when a modem re-dials: sockets bound to the old address are dead.
      await sh('ip', ['-n', ns, 'addr', 'del', `${clientIp}/24`, 'dev', clientDev]);
      await sh('ip', ['-n', ns, 'addr', 'add', `${next}/24`, 'dev', clientDev]);
      clientIp = next;
      return next;
    },
    async blockUdp(on) {
      await setBlock('udp', on ? [['-p', 'udp']] : null);
    },
    async blockTcpTo(ip, ports, on) {
      const rules = ports.flatMap((p) => [
        ['-p', 'tcp', '-d', ip, '--dport', String(p)],
        ['-p', 'tcp', '-s', ip, '--sport', String(p)],
      ]);
      await setBlock(`tcp ${ip} ${ports.join(',')}`, on ? rules : null);
    },
    async delay(rttMs, sfuPort) {
      await stopRelay();
      if (rttMs === null || rttMs <= 0) return;
      if (!sfuPort) throw new Error('delay needs the SFU port');
      await sh('ip', ['addr', 'add', `${relayTarget}/24`, 'dev', hostDev]);
      const child = spawn(
        'ip',
        ['netns', 'exec', ns, process.execPath, RELAY, String(RELAY_PORT), relayTarget, String(sfuPort), String(rttMs / 2)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      relay = child;
      await new Promise<void>((res, rej) => {
        child.once('exit', (code) => rej(new Error(`the delay relay exited (${code})`)));
        child.stdout!.once('data', () => res());
      });
      await ipt(
        '-t',
        'nat',
        '-A',
        'rn-delay',
        '-p',
        'udp',
        '-d',
        hostIp,
        '--dport',
        String(sfuPort),
        '-j',
        'REDIRECT',
        '--to-ports',
        String(RELAY_PORT),
      );
    },
    async clear() {
      await stopRelay();
      blocks.clear();
      await ipt('-F', 'rn-block');
      await ipt('-F', 'rn-loss');
      await net.cap(null);
    },
    async destroy() {
      relay?.kill('SIGTERM');
      await removeLeftovers(ns, hostDev);
    },
  };
  return net;
}

/** Deletes the namespace (its end of the veth and its rules go with it) and the root end, if present. */
async function removeLeftovers(ns: string, hostDev: string): Promise<void> {
  await quiet('ip', ['netns', 'del', ns]);
  await quiet('ip', ['link', 'del', hostDev]);
  rmSync(wrapperPath(ns), { force: true });
}

const RELAY = joinPath(dirname(fileURLToPath(import.meta.url)), 'delay-relay.ts');
const RELAY_PORT = 47_000;

const wrapperPath = (ns: string) => joinPath(tmpdir(), `${ns}-chromium.sh`);

/**
 * Debian's Chromium, started inside the namespace (`ip netns exec` through a small wrapper),
 * driven over a pipe (a DevTools port would be inside the namespace, out of puppeteer's reach).
 * The product is served from `origin` (http://<hostIp>:<port>): treated as secure, or
 * getUserMedia would be refused.
 */
export async function launchChromiumIn(net: Pick<ClientNet, 'ns'>, origin: string, extraArgs: string[] = []): Promise<Browser> {
  const wrapper = wrapperPath(net.ns);
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${net.ns} ${chromium} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return puppeteer.launch({
    executablePath: wrapper,
    headless: true,
    pipe: true,
    args: chromiumArgs([`--unsafely-treat-insecure-origin-as-secure=${origin}`, ...extraArgs]),
  });
}

/**
 * The product's settings for a client in a namespace: the SFU and the web app listen on every
 * address (the specialist's browser still uses 127.0.0.1), and the SFU announces the root end
 * of the veth, so the client's ICE goes over the impaired link.
 */
export function productEnvFor(net: Pick<ClientNet, 'hostIp'>): Record<string, string> {
  return { SFU_LISTEN_IP: '0.0.0.0', SFU_ANNOUNCED_ADDRESS: net.hostIp, HOST: '0.0.0.0' };
}

/** A product link (on `localhost`) as the client in the namespace must open it: on the veth's root address. */
export function linkVia(link: string, net: Pick<ClientNet, 'hostIp'>): string {
  const url = new URL(link);
  url.hostname = net.hostIp;
  return url.href;
}
