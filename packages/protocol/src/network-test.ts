import { z } from 'zod';
import { DtlsParameters, Id, RtpCapabilities, RtpParameters, TransportOptions } from './media.ts';
import { IcePath } from './client-stats.ts';

// The network test before entering a room (the client's device check, the specialist's
// pre-check): a loopback through the SFU with real DTLS-SRTP. The page gets a send and a
// receive WebRtcTransport on a short-lived probe router of its own — never the
// consultation's router, so nobody in the room sees it — sends a test video track at a
// fixed target for a few seconds, receives it back and measures what the real room would
// meet: round-trip time, loss, achievable bitrate, and the path (udp / tcp / relay).
//
// The events are socket.io requests of /room that are allowed before `join` (authorised
// by the link token or the staff session exactly like `join`): a socket keeps the probe's
// lifetime — a closed tab closes its probe at once, no REST polling, no orphaned router.

/** What the test aims at and how long anything may live. */
export const NETWORK_TEST = {
  /** The test video's bitrate: a 360p camera picture as the room sends it on a weak link. */
  targetBitrateKbps: 500,
  /** How long the page sends before it measures. */
  sendMs: 5_000,
  /** The probe router is closed after this whatever happens (a tab that hangs, a lost ack). */
  lifetimeMs: 20_000,
  /** Probes one link (participant) may have open at once; the SFU refuses more. */
  maxConcurrentPerLink: 2,
  /** Probes one link may start in `rateWindowS` seconds (a page stuck in a loop, a script). */
  maxPerWindow: 6,
  rateWindowS: 600,
} as const;

/**
 * The verdict thresholds, in one place (they are the product's promise to the client):
 *
 * video        bitrate ≥ 300 kbit/s — the room's camera picture (360p VP8, 15–24 fps) is
 *              watchable from about 250–300 kbit/s (libwebrtc's own default minimum for
 *              that resolution); loss < 5 % — above that NACK can no longer hide the
 *              artefacts and Google congestion control keeps backing off (it only holds
 *              its rate below 2 %, decreases above 10 %); RTT < 400 ms — ITU-T G.114:
 *              up to ~200 ms one way a conversation stays natural.
 * audio_only   bitrate ≥ 40 kbit/s — Opus voice at 24–32 kbit/s plus RTP/UDP/IP and SRTP
 *              overhead; loss < 20 % — Opus PLC/FEC keeps speech intelligible up to there;
 *              RTT < 1000 ms — G.114's «unacceptable» starts at 400 ms one way, but a
 *              consultation with pauses is still possible up to ~500 ms one way.
 * no_connection  anything less, or no media path at all (ICE/DTLS failed).
 */
export const VERDICT_THRESHOLDS = {
  video: { minBitrateKbps: 300, maxLossPct: 5, maxRttMs: 400 },
  audio_only: { minBitrateKbps: 40, maxLossPct: 20, maxRttMs: 1000 },
} as const;

export const DeviceCheckVerdict = z.enum(['video', 'audio_only', 'no_connection']);
export type DeviceCheckVerdict = z.infer<typeof DeviceCheckVerdict>;

/** The network test's figures; null when not measured (no media path at all). */
export const NetworkFigures = z.object({
  rttMs: z.number().int().min(0).max(60_000).nullable(),
  lossPct: z.number().min(0).max(100).nullable(),
  bitrateKbps: z.number().int().min(0).max(1_000_000).nullable(),
  path: IcePath.nullable(),
});
export type NetworkFigures = z.infer<typeof NetworkFigures>;

/** The verdict from the figures: a pure function, the page and the server compute the same. */
export function networkVerdict(f: NetworkFigures): DeviceCheckVerdict {
  if (f.bitrateKbps === null || f.bitrateKbps <= 0 || f.rttMs === null) return 'no_connection';
  const loss = f.lossPct ?? 0;
  const fits = (t: { minBitrateKbps: number; maxLossPct: number; maxRttMs: number }) =>
    f.bitrateKbps! >= t.minBitrateKbps && loss < t.maxLossPct && f.rttMs! < t.maxRttMs;
  if (fits(VERDICT_THRESHOLDS.video)) return 'video';
  if (fits(VERDICT_THRESHOLDS.audio_only)) return 'audio_only';
  return 'no_connection';
}

const token = z.string().min(16).max(2048);

/** What the SFU itself saw of the test stream (the producer's receive side). */
export const ProbeServerStats = z.object({
  /** RTCP receiver report loss of the test producer, in % (mediasoup's fractionLost / 256). */
  lossPct: z.number().min(0).max(100).nullable(),
  /** What reached the SFU, kbit/s. */
  bitrateKbps: z.number().min(0).nullable(),
  /** mediasoup's 0–10 quality score of the test producer. */
  score: z.number().min(0).max(10).nullable(),
});
export type ProbeServerStats = z.infer<typeof ProbeServerStats>;

/** The `/room` requests of the network test (merged into clientRequests). */
export const networkTestRequests = {
  /** Opens a probe: its own router and two transports. Authorised like `join`. */
  networkTestStart: {
    payload: z
      .object({
        token: token.optional(),
        consultationId: Id.optional(),
        forceTcp: z.boolean().optional(),
        rtpCapabilities: RtpCapabilities,
      })
      .strict()
      .refine((v) => (v.token === undefined) !== (v.consultationId === undefined), {
        message: 'send either token or consultationId',
        path: ['token'],
      }),
    result: z.object({
      probeId: Id,
      routerRtpCapabilities: RtpCapabilities,
      transports: z.object({ send: TransportOptions, recv: TransportOptions }),
      targetBitrateKbps: z.number(),
      sendMs: z.number(),
      /** The probe closes itself after this (ms from now). */
      closesInMs: z.number(),
    }),
  },
  networkTestConnect: {
    payload: z.object({ probeId: Id, transportId: Id, dtlsParameters: DtlsParameters }).strict(),
    result: z.object({}).strict(),
  },
  /** The test video's producer; answered with its consumer on the receive transport (already resumed). */
  networkTestProduce: {
    payload: z.object({ probeId: Id, transportId: Id, rtpParameters: RtpParameters }).strict(),
    result: z.object({
      producerId: Id,
      consumer: z.object({ consumerId: Id, producerId: Id, rtpParameters: RtpParameters }),
    }),
  },
  /** What the SFU saw (asked at the end of sending). */
  networkTestStats: { payload: z.object({ probeId: Id }).strict(), result: ProbeServerStats },
  /**
   * The page's figures and what it found of its devices: the server adds its own loss
   * figure, computes the verdict, stores it with the consultation and closes the probe.
   * Also after the probe's router closed by time or ICE never connected: «no connection»
   * is worth storing too. Once per probe.
   */
  networkTestFinish: {
    payload: z
      .object({
        probeId: Id,
        camera: z.boolean(),
        microphone: z.boolean(),
        figures: NetworkFigures,
      })
      .strict(),
    result: z.object({ verdict: DeviceCheckVerdict, figures: NetworkFigures }),
  },
} as const;
