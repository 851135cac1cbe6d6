// Forwarding cost of our worker build: one ~800 kbit/s VP8 producer (ffmpeg test
// pattern over a PlainTransport) forwarded to N SRTP consumers on one worker; the
// worker's CPU % of one core is read from /proc while it forwards.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';

const workerBin = process.env.MEDIASOUP_WORKER_BIN;
if (!workerBin) throw new Error('MEDIASOUP_WORKER_BIN is not set: run through ./pnpm bench');
const counts = (process.env.BENCH_CONSUMERS ?? '200,400').split(',').map(Number);
const WARMUP_S = 6;
const MEASURE_S = 10;
const SSRC = 22222222;
const PT = 101;
const CLK_TCK = 100; // Linux USER_HZ

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function measure(consumers: number): Promise<{ consumers: number; cpu: number; inKbps: number; outBytes: number }> {
  const worker = await mediasoup.createWorker({ workerBin, logLevel: 'warn' });
  const router = await worker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
  const ingress = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: false, comedia: true });
  const producer = await ingress.produce({
    kind: 'video',
    rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: PT, clockRate: 90000 }], encodings: [{ ssrc: SSRC }] },
  });

  // Where the consumers send: a socket nobody reads (the kernel drops the surplus).
  const sink = createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  const sinkPort = sink.address().port;
  const caps = router.rtpCapabilities;
  const transports: types.PlainTransport[] = [];
  for (let i = 0; i < consumers; i++) {
    const t = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
      rtcpMux: true,
      enableSrtp: true,
      srtpCryptoSuite: 'AES_CM_128_HMAC_SHA1_80',
    });
    await t.connect({
      ip: '127.0.0.1',
      port: sinkPort,
      srtpParameters: { cryptoSuite: 'AES_CM_128_HMAC_SHA1_80', keyBase64: t.srtpParameters!.keyBase64 },
    });
    await t.consume({ producerId: producer.id, rtpCapabilities: caps });
    transports.push(t);
  }

  // CBR (min = max = target) so every run feeds the worker the same ~800 kbit/s.
  const encode = '-c:v libvpx -b:v 800k -minrate 800k -maxrate 800k -bufsize 400k -deadline realtime -cpu-used 8 -g 60';
  const rtpOut = `rtp://127.0.0.1:${ingress.tuple.localPort}?rtcpport=${ingress.rtcpTuple?.localPort ?? ingress.tuple.localPort + 1}&pkt_size=1200`;
  const ffmpeg = spawn(
    'ffmpeg',
    [
      ...'-hide_banner -loglevel error -re -f lavfi -i testsrc2=size=640x360:rate=30'.split(' '),
      ...encode.split(' '),
      ...`-f rtp -ssrc ${SSRC} -payload_type ${PT}`.split(' '),
      rtpOut,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const [t0, b0] = [cpuTicks(worker.pid), (await producer.getStats())[0]?.byteCount ?? 0];
  const started = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const [t1, b1] = [cpuTicks(worker.pid), (await producer.getStats())[0]?.byteCount ?? 0];
  const sample = (await transports[0]!.getStats())[0];
  ffmpeg.kill('SIGTERM');
  worker.close();
  sink.close();
  const inKbps = ((b1 - b0) * 8) / elapsed / 1000;
  if ((sample?.rtpBytesSent ?? 0) === 0) throw new Error('the consumers forwarded nothing');
  if (inKbps < 100) throw new Error(`ffmpeg delivered only ${inKbps.toFixed(0)} kbit/s: the producer got no media`);
  return { consumers, cpu: ((t1 - t0) / CLK_TCK / elapsed) * 100, inKbps, outBytes: Number(sample?.rtpBytesSent ?? 0) };
}

const rows = [];
for (const n of counts) {
  const r = await measure(n);
  console.log(`${n} consumers: worker ${r.cpu.toFixed(1)} % of a core, input ${r.inKbps.toFixed(0)} kbit/s`);
  rows.push(r);
}
writeBenchSection(
  'forwarding-cost',
  'Forwarding cost of the worker build (SRTP)',
  `One VP8 producer (ffmpeg \`testsrc2\` 640×360@30, libvpx ~800 kbit/s, over a PlainTransport) forwarded by **one worker** to N consumers,
each on its own SRTP PlainTransport (AES_CM_128_HMAC_SHA1_80). Worker CPU = (utime+stime) from \`/proc/<pid>/stat\` over ${MEASURE_S} s after ${WARMUP_S} s warm-up, in % of one core.

| consumers | worker CPU (% of one core) | measured input (kbit/s) |
|---:|---:|---:|
${rows.map((r) => `| ${r.consumers} | ${r.cpu.toFixed(1)} | ${r.inKbps.toFixed(0)} |`).join('\n')}

Worker: \`${workerBin}\` (mediasoup ${mediasoup.version}, libsrtp backed by OpenSSL: \`infra/mediasoup-worker\`).`,
);
const first = rows[0];
if (first) {
  writeReadmeFigure(
    'forwarding-cost',
    `one worker forwards a ${first.inKbps.toFixed(0)} kbit/s VP8 stream to ${first.consumers} SRTP consumers at ${first.cpu.toFixed(0)} % of a core`,
  );
}
