// A throw-away coturn (Debian's `turnserver`) for tests: its own temp directory, free ports,
// `use-auth-secret` (TURN REST API credentials, as signalling hands them out), no CLI, and the
// peer rules of infra/multi-node/turnserver.conf — private space and loopback denied, only
// the given SFU address(es) allowed — so a test that relays through it also proves that rule.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type CoturnOptions = {
  /** The address coturn listens on and relays from (the SFU must be able to answer it). */
  listenIp: string;
  /** Peers a client may relay to (the SFU's announced address); everything private stays denied. */
  allowedPeerIp: string | string[];
  /** `static-auth-secret`; generated when omitted. */
  secret?: string;
  /** Also TURN over TLS, with a throw-away self-signed certificate (see `certPem`). */
  tls?: boolean;
};

export type Coturn = {
  /** turn:…?transport=udp, turn:…?transport=tcp (and turns:…?transport=tcp with `tls`). */
  urls: string[];
  secret: string;
  port: number;
  tlsPort: number | undefined;
  /** The self-signed certificate of the TLS listener (to trust it in a test client). */
  certPem: string | undefined;
  /** coturn's log so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
};

/** Private, loopback, shared and reserved IPv4 ranges, and IPv6 loopback / unique-local / link-local (as infra/multi-node/turnserver.conf). */
export const DENIED_PEER_RANGES = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '240.0.0.0-255.255.255.255',
  '::1',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

const TURNSERVER = '/usr/bin/turnserver';

/** A port free for both TCP and UDP on `ip` (coturn, and the SFU's RTC port, listen on both). */
export async function freeTcpUdpPort(ip: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, ip, () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const udpFree = await new Promise<boolean>((res) => {
      const u = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
      u.once('error', () => res(false));
      u.bind(port, ip, () => u.close(() => res(true)));
    });
    if (udpFree) return port;
  }
  throw new Error(`no free TCP+UDP port on ${ip}`);
}

async function tcpAnswers(ip: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection({ host: ip, port }, () => (s.destroy(), res(true)));
    s.on('error', () => res(false));
  });
}

export async function startCoturn(opts: CoturnOptions): Promise<Coturn> {
  const dir = mkdtempSync(join(tmpdir(), 'dp-coturn-'));
  const secret = opts.secret ?? randomBytes(32).toString('base64url');
  const host = opts.listenIp.includes(':') ? `[${opts.listenIp}]` : opts.listenIp;
  const port = await freeTcpUdpPort(opts.listenIp);
  const tlsPort = opts.tls ? await freeTcpUdpPort(opts.listenIp) : undefined;
  // Relay ports: a random block of 200 (coturn skips ports that are taken inside it).
  const minPort = 50_000 + Math.floor(Math.random() * 70) * 200;
  let certPem: string | undefined;
  const tlsLines: string[] = [];
  if (tlsPort) {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=turn.test',
      ].concat([
        '-addext',
        `subjectAltName=DNS:turn.test,IP:${opts.listenIp}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    tlsLines.push(`tls-listening-port=${tlsPort}`, `cert=${join(dir, 'cert.pem')}`, `pkey=${join(dir, 'key.pem')}`);
  } else {
    tlsLines.push('no-tls');
  }
  const allowed = Array.isArray(opts.allowedPeerIp) ? opts.allowedPeerIp : [opts.allowedPeerIp];
  const conf = [
    `listening-ip=${opts.listenIp}`,
    `relay-ip=${opts.listenIp}`,
    `listening-port=${port}`,
    ...tlsLines,
    'no-dtls',
    `min-port=${minPort}`,
    `max-port=${minPort + 199}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=distpriem.test',
    'fingerprint',
    'no-cli',
    'no-multicast-peers',
    'no-tcp-relay',
    'no-software-attribute',
    // Allowed wins over denied whatever the order (coturn's rule), loopback stays denied.
    ...allowed.map((ip) => `allowed-peer-ip=${ip}`),
    ...DENIED_PEER_RANGES.map((r) => `denied-peer-ip=${r}`),
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `log-file=${join(dir, 'turn.log')}`,
    'simple-log',
    'no-stdout-log',
  ];
  writeFileSync(join(dir, 'turnserver.conf'), conf.join('\n') + '\n', { mode: 0o600 });

  const child = spawn(TURNSERVER, ['-c', join(dir, 'turnserver.conf')], { stdio: 'ignore' });
  let exited = false;
  const exit = new Promise<void>((res) => child.once('exit', () => ((exited = true), res())));
  const log = () => {
    try {
      return readFileSync(join(dir, 'turn.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  // The relay threads come up after the listeners: wait until the log says the servers exist too.
  while (!(await tcpAnswers(opts.listenIp, port)) || !/Total General servers/.test(log())) {
    if (exited || Date.now() > deadline) {
      const text = log().split('\n').slice(-15).join('\n');
      await stop();
      throw new Error(`coturn did not start on ${host}:${port}:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const urls = [`turn:${host}:${port}?transport=udp`, `turn:${host}:${port}?transport=tcp`];
  if (tlsPort) urls.push(`turns:${host}:${tlsPort}?transport=tcp`);
  return { urls, secret, port, tlsPort, certPem, log, stop };
}
