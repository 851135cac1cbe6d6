// The device check's network test, signalling side (protocol: packages/protocol/src/network-test.ts).
// A probe is a router of its own on the SFU with one send and one receive transport for one
// page: the page sends a test video, receives it back and measures. Nobody else is in it.
//
// Limits, in three layers: a probe lives NETWORK_TEST.lifetimeMs at most (a timer here, and
// the SFU closes its router by itself too, in case this process dies); a link may have
// NETWORK_TEST.maxConcurrentPerLink probes open at once (counted here and refused by the SFU
// as well); and how many it may start a minute is a budget per link (or staff session) and per
// address, counted in Redis across instances (http/budgets.ts, spent by the socket's handler).
//
// The verdict is the SFU's: from the test producer's first packet on, the SFU's own stats
// of the probe are read every PROBE_SAMPLE_MS (what arrived, what went back and what the
// page's receiver reports acknowledged, probeFigures in the protocol). The page's figures
// are its own estimate — a page can claim anything — and are only logged beside them.
// Only the consultation's own specialist, signed in, records the equipment pre-check.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@dp/db';
import {
  mayRunNetworkTest,
  NETWORK_TEST,
  networkVerdict,
  probeFigures,
  ProtocolError,
  type NetworkFigures,
  type ProbeSample,
  type RequestPayload,
  type RequestResult,
} from '@dp/protocol';
import type { Logger } from 'pino';
import type { LinkClaims } from '../links/link-token.ts';
import type { SfuClient } from '../sfu/sfu-client.ts';
import { applyEvent, dropIllegalTransition } from '../consultations/lifecycle-writer.ts';

/** One page's probe. */
export interface Probe {
  id: string;
  claims: LinkClaims;
  sendTransportId: string;
  recvTransportId: string;
  producerId: string | null;
  /** Signed in staff: their account (the pre-check is theirs only when they are the consultation's specialist); null for a link. */
  staffUserId: string | null;
  /** The SFU's readings of this probe, oldest first (the verdict's only input). */
  samples: ProbeSample[];
  /** Reads the SFU's stats every PROBE_SAMPLE_MS once the test producer exists. */
  sampler: NodeJS.Timeout | null;
  /** The router is gone (finished, closed by time, or the socket left). */
  closed: boolean;
  finished: boolean;
  timer: NodeJS.Timeout;
  /** Frees its place in the per-link count. */
  release: () => void;
}

/** The one test peer of a probe router (the router has no other). */
const PROBE_PEER = 'probe';

/** How often the SFU's stats of a probe are read: a bitrate needs two readings ≥ PROBE_MIN_SPAN_MS apart. */
export const PROBE_SAMPLE_MS = 1_000;
/** Readings kept per probe (its lifetime is bounded anyway; this bounds the memory if a test lengthens it). */
const MAX_SAMPLES = 120;

export interface NetworkProbesOptions {
  lifetimeMs?: number;
  now?: () => Date;
}

export class NetworkProbes {
  private readonly sfu: SfuClient;
  private readonly prisma: PrismaClient;
  private readonly log: Logger;
  /** How long a probe lives (NETWORK_TEST.lifetimeMs; tests shorten it). */
  lifetimeMs: number;
  private readonly now: () => Date;
  /** Open probes by participant: the per-link limit. */
  private readonly open = new Map<string, Set<string>>();

  constructor(sfu: SfuClient, prisma: PrismaClient, log: Logger, opts: NetworkProbesOptions = {}) {
    this.sfu = sfu;
    this.prisma = prisma;
    this.log = log;
    this.lifetimeMs = opts.lifetimeMs ?? NETWORK_TEST.lifetimeMs;
    this.now = opts.now ?? (() => new Date());
  }

  /** Probes open now (tests, metrics). */
  get openCount(): number {
    let n = 0;
    for (const s of this.open.values()) n += s.size;
    return n;
  }

  /**
   * Opens a probe for a link whose claims are verified (signature, expiry, the matrix). The
   * link must still be valid in the database: its participant known and not revoked, the
   * consultation neither cancelled nor over — but it need not be open yet: the link page
   * offers the check during the countdown.
   */
  async start(
    claims: LinkClaims,
    req: Pick<RequestPayload<'networkTestStart'>, 'forceTcp'>,
    by: { staffUserId: string | null } = { staffUserId: null },
  ): Promise<{ probe: Probe; result: RequestResult<'networkTestStart'> }> {
    await this.assertLinkUsable(claims);
    const mine = this.open.get(claims.participantId) ?? new Set<string>();
    if (mine.size >= NETWORK_TEST.maxConcurrentPerLink) throw new ProtocolError('rate_limited', 'too many network tests at once');
    const id = randomUUID();
    mine.add(id);
    this.open.set(claims.participantId, mine);
    const release = () => {
      mine.delete(id);
      if (mine.size === 0 && this.open.get(claims.participantId) === mine) this.open.delete(claims.participantId);
    };
    try {
      // The SFU's own timer is a little longer: normally this side closes first and says why.
      const { rtpCapabilities } = await this.sfu.request('openProbe', {
        roomId: id,
        key: claims.participantId,
        lifetimeMs: this.lifetimeMs + 2_000,
      });
      const forceTcp = req.forceTcp ?? false;
      const [send, recv] = await Promise.all([
        this.sfu.request('createWebRtcTransport', { roomId: id, peerId: PROBE_PEER, direction: 'send', forceTcp }),
        this.sfu.request('createWebRtcTransport', { roomId: id, peerId: PROBE_PEER, direction: 'recv', forceTcp }),
      ]);
      const probe: Probe = {
        id,
        claims,
        sendTransportId: send.id,
        recvTransportId: recv.id,
        producerId: null,
        staffUserId: by.staffUserId,
        samples: [],
        sampler: null,
        closed: false,
        finished: false,
        timer: setTimeout(() => void this.close(probe, 'time is up'), this.lifetimeMs),
        release,
      };
      probe.timer.unref();
      this.log.info({ probeId: id, consultationId: claims.consultationId }, 'network test opened');
      return {
        probe,
        result: {
          probeId: id,
          routerRtpCapabilities: rtpCapabilities,
          transports: { send, recv },
          iceServers: [], // the socket layer adds the installation's TURN servers
          targetBitrateKbps: NETWORK_TEST.targetBitrateKbps,
          sendMs: NETWORK_TEST.sendMs,
          closesInMs: this.lifetimeMs,
        },
      };
    } catch (e) {
      release();
      await this.sfu.request('closeRouter', { roomId: id }).catch(() => undefined);
      throw e;
    }
  }

  async connect(probe: Probe, transportId: string, dtlsParameters: RequestPayload<'networkTestConnect'>['dtlsParameters']): Promise<void> {
    this.assertOpen(probe);
    this.assertOwnTransport(probe, transportId);
    await this.sfu.request('connectTransport', { roomId: probe.id, peerId: PROBE_PEER, transportId, dtlsParameters });
  }

  /** The test producer, and its consumer on the receive transport, resumed (asks for a key frame). */
  async produce(
    probe: Probe,
    req: RequestPayload<'networkTestProduce'>,
    rtpCapabilities: RequestPayload<'networkTestStart'>['rtpCapabilities'],
  ): Promise<RequestResult<'networkTestProduce'>> {
    this.assertOpen(probe);
    if (req.transportId !== probe.sendTransportId) throw new ProtocolError('not_found', 'no such transport for this network test');
    if (probe.producerId) throw new ProtocolError('bad_request', 'the network test already sends');
    const peer = { roomId: probe.id, peerId: PROBE_PEER };
    const { producerId } = await this.sfu.request('produce', {
      ...peer,
      transportId: req.transportId,
      kind: 'video',
      rtpParameters: req.rtpParameters,
      source: 'camera',
    });
    probe.producerId = producerId;
    probe.sampler = setInterval(() => void this.sample(probe), PROBE_SAMPLE_MS);
    probe.sampler.unref();
    const consumer = await this.sfu.request('consume', {
      ...peer,
      transportId: probe.recvTransportId,
      producerId,
      rtpCapabilities,
    });
    await this.sfu.request('setConsumerPaused', { ...peer, consumerId: consumer.consumerId, paused: false });
    return { producerId, consumer: { consumerId: consumer.consumerId, producerId, rtpParameters: consumer.rtpParameters } };
  }

  /** The figures as the SFU measured them so far. */
  async stats(probe: Probe): Promise<NetworkFigures> {
    this.assertOpen(probe);
    await this.sample(probe);
    return probeFigures(probe.samples);
  }

  /** One reading of the SFU's stats of the probe (skipped when the router is gone or does not answer). */
  private async sample(probe: Probe): Promise<void> {
    if (probe.closed || !probe.producerId) return;
    const reading = await this.sfu.request('probeStats', { roomId: probe.id }).catch(() => null);
    if (!reading || probe.closed) return;
    probe.samples.push(reading);
    if (probe.samples.length > MAX_SAMPLES) probe.samples.splice(1, 1); // keep the first: the bitrate's start
  }

  /**
   * A last reading, the figures and the verdict from what the SFU measured, the stored row;
   * then the probe closes. Works on a probe closed by time too (the page may have waited for
   * ICE in vain): the readings taken until then count.
   */
  async finish(probe: Probe, req: RequestPayload<'networkTestFinish'>): Promise<RequestResult<'networkTestFinish'>> {
    if (probe.finished) throw new ProtocolError('bad_request', 'this network test is already finished');
    probe.finished = true;
    if (probe.sampler) clearInterval(probe.sampler);
    await this.sample(probe);
    await this.close(probe, 'finished');
    const measured = probeFigures(probe.samples);
    // The SFU sees a TURN relay as its udp/tcp leg: the page's «relay» is kept for the path only
    // (informational; the verdict does not read it), and only when a media path existed at all.
    const figures: NetworkFigures = { ...measured, path: measured.path && req.figures?.path === 'relay' ? 'relay' : measured.path };
    const verdict = networkVerdict(figures);
    const { consultationId, participantId } = probe.claims;
    await this.prisma.deviceCheck.create({
      data: {
        consultationId,
        participantId,
        verdict,
        camera: req.camera,
        microphone: req.microphone,
        rttMs: figures.rttMs,
        lossPct: figures.lossPct,
        bitrateKbps: figures.bitrateKbps,
        path: figures.path,
      },
    });
    // The specialist's own check is also the consultation's equipment pre-check (the seed's
    // T−30 rule): passed when video will work with camera and microphone. The T−5 alert to
    // the head and the dashboard read these rows, so nobody else's run may write one.
    const specialistId = await this.ownSpecialist(probe);
    if (specialistId) await this.recordPrecheck(consultationId, specialistId, verdict === 'video' && req.camera && req.microphone, figures);
    this.log.info(
      { probeId: probe.id, verdict, ...figures, page: req.figures ?? null, readings: probe.samples.length },
      'network test finished',
    );
    return { verdict, figures };
  }

  /**
   * The pre-check is the specialist's: a signed-in member of staff (never a link, whatever
   * its role), in the room as the specialist, and one of the consultation's specialists.
   * A head's, a curator's or a social worker's run is their own device check only.
   */
  private async ownSpecialist(probe: Probe): Promise<string | null> {
    const { staffUserId, claims } = probe;
    if (!staffUserId || claims.role !== 'specialist') return null;
    const own = await this.prisma.consultationSpecialist.findFirst({
      where: { consultationId: claims.consultationId, specialistId: staffUserId },
      select: { specialistId: true },
    });
    return own?.specialistId ?? null;
  }

  /**
   * The verdict row, and the step in the consultation's history (`precheck_passed` /
   * `precheck_failed`, the state stays) while the lifecycle has a pre-check to pass — a run
   * once the room admits clients is the specialist's device check, kept only as the row.
   */
  private async recordPrecheck(consultationId: string, specialistId: string, passed: boolean, figures: NetworkFigures): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const row = await tx.precheckResult.create({
        data: {
          consultationId,
          specialistId,
          passed,
          // Business time (the server's clock), like every other step in the history.
          at: this.now(),
          rttMs: figures.rttMs,
          lossPct: figures.lossPct,
          bitrateKbps: figures.bitrateKbps,
          notes: `network test (${figures.path ?? 'no path'})`,
        },
        select: { at: true },
      });
      await applyEvent(tx, consultationId, passed ? 'precheck_passed' : 'precheck_failed', { actorId: specialistId, at: row.at }).catch(
        dropIllegalTransition,
      );
    });
  }

  /** Closes the probe's router (idempotent). */
  async close(probe: Probe, why: string): Promise<void> {
    if (probe.closed) return;
    probe.closed = true;
    clearTimeout(probe.timer);
    if (probe.sampler) clearInterval(probe.sampler);
    probe.release();
    this.log.debug({ probeId: probe.id, why }, 'network test closed');
    await this.sfu.request('closeRouter', { roomId: probe.id }).catch((e: Error) => {
      this.log.warn({ probeId: probe.id, err: e.message }, 'could not close a network test (the SFU closes it by time)');
    });
  }

  private assertOpen(probe: Probe): void {
    if (probe.closed) throw new ProtocolError('room_closed', 'the network test is over');
  }

  private assertOwnTransport(probe: Probe, transportId: string): void {
    if (transportId !== probe.sendTransportId && transportId !== probe.recvTransportId) {
      throw new ProtocolError('not_found', 'no such transport for this network test');
    }
  }

  private async assertLinkUsable(claims: LinkClaims): Promise<void> {
    const participant = await this.prisma.participant.findFirst({
      where: { id: claims.participantId, consultationId: claims.consultationId },
      select: {
        role: true,
        linkRevokedAt: true,
        linkGeneration: true,
        consultation: { select: { start: true, state: true, endedAt: true } },
      },
    });
    if (!participant || participant.role !== claims.role) throw new ProtocolError('invalid_token', 'link is invalid or expired');
    // An earlier generation's link reads as revoked (the gate says the same).
    if (participant.linkRevokedAt || participant.linkGeneration !== claims.generation) {
      throw new ProtocolError('link_revoked', 'this link was revoked');
    }
    // The lifecycle's rule: any time before the limit while it may still take place — a
    // client let in late after the no-show mark runs the device check too.
    const c = participant.consultation;
    if (mayRunNetworkTest(c, this.now())) return;
    if (c.state === 'cancelled') throw new ProtocolError('cancelled', 'the consultation was cancelled');
    if (c.state === 'failed') throw new ProtocolError('technical_failure', 'the specialist reported a technical failure');
    throw new ProtocolError('consultation_over', 'the consultation is over');
  }
}
