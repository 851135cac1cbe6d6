import { z } from 'zod';
import { DtlsParameters, IceServer, Id, RtpCapabilities, RtpParameters, TransportOptions } from './media.ts';
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
  // How many a link may start a minute is a configured budget (signalling's LIMIT_NETWORK_TESTS_PER_LINK).
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

/**
 * One reading of the SFU's own stats of a probe (mediasoup's getStats on the probe's objects,
 * apps/sfu/src/media-room.ts). The verdict is computed from these alone: the page's figures
 * are its own estimate and a page can report anything.
 */
export const ProbeSample = z.object({
  /** When the SFU read its stats (its clock, ms): the bitrate is a difference of two readings. */
  at: z.number(),
  /** The test stream as it arrived at the SFU from the page (the producer's inbound-rtp). */
  arrived: z
    .object({
      packets: z.number().int().min(0),
      bytes: z.number().min(0),
      /** Missing from the RTP sequence (cumulative, mediasoup's own count). */
      lost: z.number().int(),
      /** mediasoup's bitrate over its last window (2.5 s), bit/s. */
      bitrate: z.number().min(0),
      /** From RTCP XR when the page sends it; null when not measured. */
      rttMs: z.number().min(0).nullable(),
    })
    .nullable(),
  /**
   * The stream the SFU sent back (the consumer's outbound-rtp) with what the page
   * acknowledged in its RTCP receiver reports: loss and, from the SFU's sender reports
   * it echoes, the round trip. rttMs null: no receiver report with a round trip yet.
   */
  returned: z
    .object({
      packets: z.number().int().min(0),
      bytes: z.number().min(0),
      lost: z.number().int(),
      rttMs: z.number().min(0).nullable(),
    })
    .nullable(),
  /** The protocol of the send transport's selected ICE pair; null before ICE connects. */
  path: z.enum(['udp', 'tcp']).nullable(),
});
export type ProbeSample = z.infer<typeof ProbeSample>;

/** The shortest span two readings must cover for their difference to count as a bitrate. */
export const PROBE_MIN_SPAN_MS = 1_000;

/**
 * The figures of a probe from the SFU's readings (oldest first), for networkVerdict:
 *
 * bitrate  the bytes that arrived between the first reading that saw any and the last one,
 *          over that span (the start-up before the first packet does not count against the
 *          link); with a shorter span, mediasoup's own windowed bitrate. Nothing arrived → 0.
 * loss     the worse direction: the way there as the SFU counted the sequence numbers, the
 *          way back as the page reported it (each must stay under the threshold for video).
 * RTT      the page's receiver reports on the returned stream (the latest that carried one),
 *          else RTCP XR of the sent stream; none → null (the loop was never closed).
 * path     the SFU's selected pair: udp or tcp (a TURN relay shows as its leg; the page may say «relay»).
 */
export function probeFigures(readings: readonly ProbeSample[]): NetworkFigures {
  // Two readings in flight at once may come back in either order.
  const samples = [...readings].sort((a, b) => a.at - b.at);
  const last = samples.at(-1);
  if (!last) return { rttMs: null, lossPct: null, bitrateKbps: null, path: null };
  const withMedia = samples.filter((s) => (s.arrived?.bytes ?? 0) > 0);
  const first = withMedia[0];
  const end = withMedia.at(-1);
  let bitrateKbps = 0;
  if (first?.arrived && end?.arrived) {
    const span = end.at - first.at;
    bitrateKbps = span >= PROBE_MIN_SPAN_MS ? ((end.arrived.bytes - first.arrived.bytes) * 8) / span : end.arrived.bitrate / 1000;
  }
  const share = (lost: number, of: number) => (of > 0 ? (Math.max(0, lost) / of) * 100 : null);
  const up = end?.arrived ? share(end.arrived.lost, end.arrived.packets + Math.max(0, end.arrived.lost)) : null;
  const back = last.returned ? share(last.returned.lost, last.returned.packets) : null;
  const losses = [up, back].filter((v): v is number => v !== null);
  const latest = (pick: (s: ProbeSample) => number | null | undefined) =>
    samples
      .map(pick)
      .filter((v): v is number => typeof v === 'number' && v > 0)
      .at(-1) ?? null;
  const rtt = latest((s) => s.returned?.rttMs) ?? latest((s) => s.arrived?.rttMs);
  return {
    rttMs: rtt === null ? null : Math.max(1, Math.round(rtt)),
    lossPct: losses.length ? Math.min(100, Math.round(Math.max(...losses) * 10) / 10) : null,
    bitrateKbps: Math.max(0, Math.round(bitrateKbps)),
    path:
      samples
        .map((s) => s.path)
        .filter((p) => p !== null)
        .at(-1) ?? null,
  };
}

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
      /** TURN servers for this test, as `join` gives them: the test takes the path the consultation will. */
      iceServers: z.array(IceServer).default([]),
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
  /** The figures as the SFU measured them so far (probeFigures). */
  networkTestStats: { payload: z.object({ probeId: Id }).strict(), result: NetworkFigures },
  /**
   * What the page found of its devices, and its own figures (for information only): the
   * server takes its last reading, computes the figures and the verdict from what the SFU
   * measured (probeFigures), stores them with the consultation and closes the probe. Also
   * after the probe's router closed by time or ICE never connected: «no connection» is
   * worth storing too. Once per probe.
   */
  networkTestFinish: {
    payload: z
      .object({
        probeId: Id,
        camera: z.boolean(),
        microphone: z.boolean(),
        /** The page's own estimate: logged beside the SFU's, never the verdict's input. */
        figures: NetworkFigures.optional(),
      })
      .strict(),
    /** The verdict and the SFU's figures it came from. */
    result: z.object({ verdict: DeviceCheckVerdict, figures: NetworkFigures }),
  },
} as const;
