// Smoke test of a mediasoup worker binary, through mediasoup's Node API.
//
//   node infra/mediasoup-worker/smoke.mjs WORKER [--mediasoup-dir DIR]
//
// WORKER: path of the mediasoup-worker binary (e.g. what build.sh prints).
// DIR: the mediasoup npm package to drive it with; default: the one apps/sfu
// resolves. Everything runs on 127.0.0.1. Exit code 0 = all checks passed.
//
// Checks:
//  1. createWorker → createWebRtcServer (UDP + TCP) → router → WebRtcTransport.
//  2. ICE: a STUN Binding request (USE-CANDIDATE, MESSAGE-INTEGRITY with the
//     transport's ICE password, FINGERPRINT) is answered over UDP and over TCP.
//  3. DTLS: `openssl s_client -dtls1_2` (relayed through the ICE-validated UDP
//     socket) completes a handshake with the worker, which negotiates DTLS-SRTP.
//     This is the path where an unpatched worker on Debian's kTLS-enabled
//     OpenSSL dies (patches/0002-*). Skipped if the openssl CLI is missing.
//  4. SRTP: for each of the four suites a pair of SRTP PlainTransports carries
//     RTP from router A to router B (Node sends plain RTP into A and receives
//     plain RTP out of B); with a wrong key on the receiving side nothing
//     arrives.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

function usage(msg) {
  if (msg) console.error(`smoke.mjs: ${msg}`);
  console.error('usage: node infra/mediasoup-worker/smoke.mjs WORKER [--mediasoup-dir DIR]');
  process.exit(2);
}

let workerBin;
let mediasoupDir;
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--mediasoup-dir') mediasoupDir = process.argv[++i];
  else if (a.startsWith('--mediasoup-dir=')) mediasoupDir = a.slice('--mediasoup-dir='.length);
  else if (a === '-h' || a === '--help') usage();
  else if (!workerBin) workerBin = a;
  else usage(`unexpected argument ${a}`);
}
if (!workerBin) usage('give the worker binary path');
workerBin = path.resolve(workerBin);
if (!fs.existsSync(workerBin)) usage(`no such file: ${workerBin}`);

const require = createRequire(import.meta.url);
if (!mediasoupDir) {
  try {
    mediasoupDir = path.dirname(require.resolve('mediasoup/package.json', { paths: [path.join(repo, 'apps', 'sfu')] }));
  } catch {
    usage('mediasoup is not installed for apps/sfu; pass --mediasoup-dir DIR');
  }
}

// mediasoup reads MEDIASOUP_WORKER_BIN when it is loaded.
process.env.MEDIASOUP_WORKER_BIN = workerBin;
const mediasoup = require(path.resolve(mediasoupDir));

let failures = 0;
function check(cond, what) {
  if (cond) console.log(`ok   ${what}`);
  else {
    failures++;
    console.log(`FAIL ${what}`);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

// ---------------------------------------------------------------- STUN ----
function stunBindingRequest({ localUfrag, remoteUfrag, password }) {
  const txId = crypto.randomBytes(12);
  const attrs = [];
  const attr = (type, value) => {
    const pad = (4 - (value.length % 4)) % 4;
    const b = Buffer.alloc(4 + value.length + pad);
    b.writeUInt16BE(type, 0);
    b.writeUInt16BE(value.length, 2);
    value.copy(b, 4);
    attrs.push(b);
  };
  attr(0x0006, Buffer.from(`${localUfrag}:${remoteUfrag}`)); // USERNAME
  const prio = Buffer.alloc(4);
  prio.writeUInt32BE(0x6e0001ff, 0);
  attr(0x0024, prio); // PRIORITY
  attr(0x802a, crypto.randomBytes(8)); // ICE-CONTROLLING
  attr(0x0025, Buffer.alloc(0)); // USE-CANDIDATE
  const header = (len) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(0x0001, 0); // Binding request
    h.writeUInt16BE(len, 2);
    h.writeUInt32BE(0x2112a442, 4);
    txId.copy(h, 8);
    return h;
  };
  let body = Buffer.concat(attrs);
  // MESSAGE-INTEGRITY: HMAC-SHA1 over the message with the length field
  // already counting the MESSAGE-INTEGRITY attribute (24 octets).
  const hmac = crypto
    .createHmac('sha1', password)
    .update(Buffer.concat([header(body.length + 24), body]))
    .digest();
  const mi = Buffer.alloc(24);
  mi.writeUInt16BE(0x0008, 0);
  mi.writeUInt16BE(20, 2);
  hmac.copy(mi, 4);
  body = Buffer.concat([body, mi]);
  // FINGERPRINT: CRC-32 XOR 0x5354554e, length counting it (8 octets).
  const crc = (zlib.crc32(Buffer.concat([header(body.length + 8), body])) ^ 0x5354554e) >>> 0;
  const fp = Buffer.alloc(8);
  fp.writeUInt16BE(0x8028, 0);
  fp.writeUInt16BE(4, 2);
  fp.writeUInt32BE(crc, 4);
  body = Buffer.concat([body, fp]);
  return { txId, packet: Buffer.concat([header(body.length), body]) };
}
const isStun = (b) => b.length >= 20 && b[0] < 2 && b.readUInt32BE(4) === 0x2112a442;
const isBindingSuccess = (b, txId) => isStun(b) && b.readUInt16BE(0) === 0x0101 && b.subarray(8, 20).equals(txId);

// ------------------------------------------------------------------ RTP ----
function rtpPacket({ pt, seq, ts, ssrc, payload }) {
  const h = Buffer.alloc(12);
  h[0] = 0x80;
  h[1] = pt & 0x7f;
  h.writeUInt16BE(seq & 0xffff, 2);
  h.writeUInt32BE(ts >>> 0, 4);
  h.writeUInt32BE(ssrc >>> 0, 8);
  return Buffer.concat([h, payload]);
}

function bindUdp() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => resolve(s));
  });
}

// ----------------------------------------------------------------- main ----
const mediaCodecs = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];
const SUITES = ['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

const cleanups = [];
let worker;
let workerDied = false;

async function main() {
  console.log(`worker: ${workerBin}`);
  console.log(`mediasoup: ${mediasoupDir} (${mediasoup.version})`);

  worker = await mediasoup.createWorker({ logLevel: 'warn' });
  worker.on('died', (error) => {
    workerDied = true;
    console.log(`worker died: ${error}`);
  });
  check(worker.pid > 0, `createWorker (pid ${worker.pid})`);
  const usage0 = await worker.getResourceUsage();
  check(typeof usage0.ru_utime === 'number', 'worker.getResourceUsage()');

  // 1. WebRtcServer + WebRtcTransport ------------------------------------
  const webRtcServer = await worker.createWebRtcServer({
    listenInfos: [
      { protocol: 'udp', ip: '127.0.0.1' },
      { protocol: 'tcp', ip: '127.0.0.1' },
    ],
  });
  const router = await worker.createRouter({ mediaCodecs });
  const transport = await router.createWebRtcTransport({ webRtcServer });
  const udpCand = transport.iceCandidates.find((c) => c.protocol === 'udp');
  const tcpCand = transport.iceCandidates.find((c) => c.protocol === 'tcp');
  check(
    udpCand && tcpCand && udpCand.address === '127.0.0.1' && tcpCand.address === '127.0.0.1',
    `WebRtcServer UDP ${udpCand?.port} + TCP ${tcpCand?.port} candidates on 127.0.0.1`,
  );

  // DTLS client identity for openssl s_client (if available).
  let opensslCli = true;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mediasoup-smoke-'));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  let fingerprint;
  try {
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
        '/CN=smoke',
        '-keyout',
        path.join(tmp, 'key.pem'),
        '-out',
        path.join(tmp, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    fingerprint = new crypto.X509Certificate(fs.readFileSync(path.join(tmp, 'cert.pem'))).fingerprint256;
  } catch {
    opensslCli = false;
  }
  const dtlsStates = [];
  transport.on('dtlsstatechange', (s) => dtlsStates.push(s));
  await transport.connect({
    dtlsParameters: {
      role: 'client',
      fingerprints: [{ algorithm: 'sha-256', value: fingerprint ?? '00:'.repeat(31) + '00' }],
    },
  });

  const { usernameFragment, password } = transport.iceParameters;

  // 2a. STUN over TCP (RFC 4571 framing).
  {
    const { txId, packet } = stunBindingRequest({ localUfrag: usernameFragment, remoteUfrag: 'smoketcp', password });
    const ok = await withTimeout(
      new Promise((resolve, reject) => {
        const sock = net.connect(tcpCand.port, '127.0.0.1', () => {
          const framed = Buffer.alloc(2 + packet.length);
          framed.writeUInt16BE(packet.length, 0);
          packet.copy(framed, 2);
          sock.write(framed);
        });
        let buf = Buffer.alloc(0);
        sock.on('data', (d) => {
          buf = Buffer.concat([buf, d]);
          if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
            const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
            sock.destroy();
            resolve(isBindingSuccess(msg, txId));
          }
        });
        sock.on('error', reject);
      }),
      3000,
      'STUN over TCP',
    ).catch((e) => {
      console.log(`     ${e.message}`);
      return false;
    });
    check(ok, 'ICE: STUN Binding success response over TCP');
  }

  // 2b. STUN over UDP, from the socket that then carries DTLS.
  const iceSock = await bindUdp();
  cleanups.push(() => iceSock.close());
  {
    const { txId, packet } = stunBindingRequest({ localUfrag: usernameFragment, remoteUfrag: 'smokeudp', password });
    const ok = await withTimeout(
      new Promise((resolve) => {
        const onMsg = (msg) => {
          if (isStun(msg)) {
            iceSock.off('message', onMsg);
            resolve(isBindingSuccess(msg, txId));
          }
        };
        iceSock.on('message', onMsg);
        iceSock.send(packet, udpCand.port, '127.0.0.1');
      }),
      3000,
      'STUN over UDP',
    ).catch((e) => {
      console.log(`     ${e.message}`);
      return false;
    });
    check(ok, 'ICE: STUN Binding success response over UDP');
    await sleep(50);
    check(
      ['connected', 'completed'].includes(transport.iceState) && transport.iceSelectedTuple?.protocol === 'udp',
      `ICE state ${transport.iceState}, selected tuple ${transport.iceSelectedTuple?.protocol ?? 'none'}`,
    );
  }

  // 3. DTLS handshake with openssl s_client through a relay socket.
  if (!opensslCli) {
    console.log('skip DTLS handshake: no openssl CLI');
  } else {
    const relay = await bindUdp();
    cleanups.push(() => relay.close());
    let clientAddr;
    relay.on('message', (msg, rinfo) => {
      clientAddr = rinfo;
      iceSock.send(msg, udpCand.port, '127.0.0.1');
    });
    iceSock.on('message', (msg) => {
      if (!isStun(msg) && clientAddr) relay.send(msg, clientAddr.port, clientAddr.address);
    });
    const client = spawn(
      'openssl',
      [
        's_client',
        '-dtls1_2',
        '-connect',
        `127.0.0.1:${relay.address().port}`,
        '-cert',
        path.join(tmp, 'cert.pem'),
        '-key',
        path.join(tmp, 'key.pem'),
        '-use_srtp',
        'SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    cleanups.push(() => client.kill('SIGKILL'));
    let clientOut = '';
    client.stdout.on('data', (d) => (clientOut += d));
    client.stderr.on('data', (d) => (clientOut += d));
    const state = await withTimeout(
      new Promise((resolve) => {
        if (['connected', 'failed'].includes(transport.dtlsState)) resolve(transport.dtlsState);
        transport.on('dtlsstatechange', (s) => {
          if (s === 'connected' || s === 'failed' || s === 'closed') resolve(s);
        });
        worker.on('died', () => resolve('worker died'));
      }),
      10000,
      'DTLS handshake',
    ).catch((e) => e.message);
    await sleep(300);
    const srtpProfile = /SRTP Extension negotiated, profile=(\S+)/.exec(clientOut)?.[1];
    check(state === 'connected' && !workerDied, `DTLS handshake with openssl s_client: ${state} (worker ${workerDied ? 'DIED' : 'alive'})`);
    check(Boolean(srtpProfile), `DTLS-SRTP negotiated: ${srtpProfile ?? 'none'}`);
    client.kill('SIGKILL');
  }

  // 4. SRTP PlainTransport pairs between two routers ---------------------
  if (!workerDied) {
    const routerA = await worker.createRouter({ mediaCodecs });
    const routerB = await worker.createRouter({ mediaCodecs });
    const listenInfo = { protocol: 'udp', ip: '127.0.0.1' };

    // Node → (plain RTP) → ingest transport on router A.
    const ingest = await routerA.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
    const producer = await ingest.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        encodings: [{ ssrc: 11111111 }],
      },
    });
    const sender = await bindUdp();
    cleanups.push(() => sender.close());

    // Router B → (plain RTP) → Node, counted per SSRC.
    const receiver = await bindUdp();
    cleanups.push(() => receiver.close());
    const received = new Map();
    receiver.on('message', (msg) => {
      if (msg.length < 12 || msg[0] >> 6 !== 2) return;
      const pt = msg[1] & 0x7f;
      if (pt >= 64 && pt <= 95) return; // RTCP
      const ssrc = msg.readUInt32BE(8);
      received.set(ssrc, (received.get(ssrc) ?? 0) + 1);
    });

    const pairs = [];
    for (const suite of SUITES) {
      for (const wrongKey of [false, true]) {
        const tA = await routerA.createPlainTransport({ listenInfo, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: suite });
        const tB = await routerB.createPlainTransport({ listenInfo, rtcpMux: true, enableSrtp: true, srtpCryptoSuite: suite });
        check(
          tA.srtpParameters?.cryptoSuite === suite && tB.srtpParameters?.cryptoSuite === suite,
          `${suite}${wrongKey ? ' (wrong key)' : ''}: SRTP PlainTransports created`,
        );
        // B decrypts with A's key; a flipped bit gives it a wrong one.
        const keyA = Buffer.from(tA.srtpParameters.keyBase64, 'base64');
        if (wrongKey) keyA[0] ^= 0x01;
        await tA.connect({ ip: '127.0.0.1', port: tB.tuple.localPort, srtpParameters: tB.srtpParameters });
        await tB.connect({
          ip: '127.0.0.1',
          port: tA.tuple.localPort,
          srtpParameters: { cryptoSuite: suite, keyBase64: keyA.toString('base64') },
        });
        const consumerA = await tA.consume({ producerId: producer.id, rtpCapabilities: routerA.rtpCapabilities });
        const producerB = await tB.produce({ kind: 'audio', rtpParameters: consumerA.rtpParameters });
        const out = await routerB.createPlainTransport({ listenInfo, rtcpMux: true });
        await out.connect({ ip: '127.0.0.1', port: receiver.address().port });
        const consumerOut = await out.consume({ producerId: producerB.id, rtpCapabilities: routerB.rtpCapabilities });
        pairs.push({ suite, wrongKey, ssrc: consumerOut.rtpParameters.encodings[0].ssrc, tB });
      }
    }

    // Send 100 Opus-like packets at 10 ms into the ingest transport.
    const N = 100;
    for (let i = 0; i < N; i++) {
      const pkt = rtpPacket({ pt: 111, seq: 1000 + i, ts: 960 * i, ssrc: 11111111, payload: crypto.randomBytes(120) });
      sender.send(pkt, ingest.tuple.localPort, '127.0.0.1');
      await sleep(10);
    }
    await sleep(500);

    for (const { suite, wrongKey, ssrc, tB } of pairs) {
      const n = received.get(ssrc) ?? 0;
      const [stats] = await tB.getStats();
      if (wrongKey) {
        // The SRTP packets did reach B's transport; decryption dropped them.
        check(
          n === 0 && stats.bytesReceived > 0 && !stats.rtpBytesReceived,
          `${suite} wrong key: ${n} packets arrived (expected 0; B received ${stats.bytesReceived} bytes, decrypted ${stats.rtpBytesReceived ?? 0})`,
        );
      } else {
        check(
          n >= N * 0.9,
          `${suite}: ${n}/${N} RTP packets arrived through SRTP (B received ${stats.bytesReceived} bytes, decrypted ${stats.rtpBytesReceived})`,
        );
      }
    }
  }

  check(!workerDied, 'worker still alive at the end');
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.log(`FAIL ${error?.stack ?? error}`);
  failures++;
} finally {
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {}
  }
  if (worker && !worker.closed) worker.close();
  exitCode = failures ? 1 : 0;
  console.log(failures ? `smoke: ${failures} check(s) failed` : 'smoke: all checks passed');
  process.exit(exitCode);
}
