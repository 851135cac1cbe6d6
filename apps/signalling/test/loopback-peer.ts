// A page's network test without a browser: werift (a WebRTC stack in Node — real ICE, DTLS
// and SRTP, RTCP sender and receiver reports) behind the stock mediasoup-client, as the
// webinar benchmark uses it (packages/e2e/src/bench/werift-peer.ts). It sends a synthetic
// VP8 stream at a chosen bitrate and receives it back, so the SFU measures a real media loop.
// werift does not encode: the payloads are filler behind a valid VP8 payload descriptor,
// every frame a key frame (the SFU forwards video to a consumer only from a key frame on).
import { installPolyfill } from 'werift/polyfill';
import { MediaStreamTrack, RtpHeader, RtpPacket } from 'werift';
import { Device, type types as msc } from 'mediasoup-client';
import type { MediaCapabilities, RequestResult } from '@dp/protocol';
import { ok, type TestPeer } from './harness.ts';

// Loopback only: werift skips loopback candidates and asks a public STUN server by default.
installPolyfill({
  mediaRegister: [],
  peerConnectionConfig: { iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], iceInterfaceAddresses: { udp4: '127.0.0.1' } },
});

type Started = RequestResult<'networkTestStart'>;

/** A mediasoup-client Device on werift, loaded with the server's capabilities. */
export async function loopbackDevice(routerRtpCapabilities: MediaCapabilities['routerRtpCapabilities']): Promise<Device> {
  const device = new Device({ handlerName: 'Chrome111' });
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as msc.RtpCapabilities });
  return device;
}

export interface Loop {
  /** Packets the page received back from the SFU. */
  received(): number;
  close(): void;
}

/**
 * Connects the probe's two transports, produces the test video and consumes it back, then
 * sends `kbps` of VP8 (15 frames a second, packets of ≤ 1 100 bytes); resolves after `sendMs`
 * and goes on sending until closed.
 */
export async function runLoop(peer: TestPeer, device: Device, started: Started, opts: { kbps: number; sendMs: number }): Promise<Loop> {
  const probeId = started.probeId;
  const asOptions = (t: Started['transports']['send']) => ({
    id: t.id,
    iceParameters: t.iceParameters as msc.IceParameters,
    iceCandidates: t.iceCandidates as msc.IceCandidate[],
    dtlsParameters: t.dtlsParameters as msc.DtlsParameters,
    iceServers: [],
  });
  const send = device.createSendTransport(asOptions(started.transports.send));
  const recv = device.createRecvTransport(asOptions(started.transports.recv));
  for (const t of [send, recv]) {
    t.on('connect', ({ dtlsParameters }, done, fail) => {
      peer
        .request('networkTestConnect', { probeId, transportId: t.id, dtlsParameters })
        .then((a) => (a.ok ? done() : fail(new Error(a.error.code))), fail);
    });
  }
  let consumerInfo: RequestResult<'networkTestProduce'>['consumer'] | undefined;
  send.on('produce', ({ rtpParameters }, done, fail) => {
    peer.request<RequestResult<'networkTestProduce'>>('networkTestProduce', { probeId, transportId: send.id, rtpParameters }).then((a) => {
      consumerInfo = ok(a).consumer;
      done({ id: consumerInfo.producerId });
    }, fail);
  });

  const track = new MediaStreamTrack({ kind: 'video' });
  // werift's track stands in for the browser's (the polyfill installs it as MediaStreamTrack).
  await send.produce({ track, stopTracks: false } as unknown as msc.ProducerOptions);
  const info = consumerInfo!;
  const consumer = await recv.consume({
    id: info.consumerId,
    producerId: info.producerId,
    kind: 'video',
    rtpParameters: info.rtpParameters as msc.RtpParameters,
  });
  let received = 0;
  (consumer.track as unknown as { onReceiveRtp: { subscribe(f: () => void): unknown } }).onReceiveRtp.subscribe(() => received++);
  await Promise.all([connected(send), connected(recv)]);

  // Frames of kbps/15 bytes; the RTP clock of video is 90 kHz.
  const fps = 15;
  const frameBytes = Math.round((opts.kbps * 1000) / 8 / fps);
  let seq = 1;
  let timestamp = 1000;
  const sendFrame = () => {
    const packets = Math.max(1, Math.ceil(frameBytes / 1100));
    for (let i = 0; i < packets; i++) {
      const size = Math.max(16, Math.round(frameBytes / packets));
      const payload = Buffer.alloc(size, 0x5a);
      // VP8 payload descriptor (RFC 7741): S=1 on the frame's first packet; then the payload
      // header's inverse key-frame bit clear: every frame reads as a key frame.
      payload[0] = i === 0 ? 0x10 : 0x00;
      payload[1] = 0x00;
      const header = new RtpHeader({ sequenceNumber: seq++ & 0xffff, timestamp, marker: i === packets - 1, payloadType: 96, ssrc: 1 });
      track.writeRtp(new RtpPacket(header, payload));
    }
    timestamp = (timestamp + 90000 / fps) >>> 0;
  };
  // As the page does: it keeps sending until the test is finished and everything is closed.
  const timer = setInterval(sendFrame, 1000 / fps);
  await new Promise((r) => setTimeout(r, opts.sendMs));
  return {
    received: () => received,
    close: () => {
      clearInterval(timer);
      send.close();
      recv.close();
    },
  };
}

function connected(t: msc.Transport): Promise<void> {
  if (t.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`transport ${t.direction} did not connect`)), 10_000);
    t.on('connectionstatechange', (state) => {
      if (state === 'connected') {
        clearTimeout(timer);
        resolve();
      } else if (state === 'failed' || state === 'closed') {
        clearTimeout(timer);
        reject(new Error(`transport ${state}`));
      }
    });
  });
}
