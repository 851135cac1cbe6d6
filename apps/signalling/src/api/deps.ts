// What the staff REST API needs from the process that mounts it (server.ts composes it).
import type { PrismaClient } from '@dp/db';
import type { LinkInfo, MediaCapabilities, RoomRole } from '@dp/protocol';
import type { Logger } from 'pino';
import type { SessionStore } from '../auth/session-store.ts';
import type { SignInGuard } from '../auth/sign-in-guard.ts';
import type { HealthMonitor } from '../health/health-monitor.ts';
import type { Budgets } from '../http/budgets.ts';
import type { LinkClaims } from '../links/link-token.ts';

export interface LinkClaimsInput {
  consultationId: string;
  participantId: string;
  role: RoomRole;
  /** The participant's current link generation (participants.link_generation). */
  generation: number;
  expiresAt: Date;
}

export interface ApiDeps {
  prisma: PrismaClient;
  /** Sessions and the sign-in lock (auth/). */
  auth: {
    sessions: SessionStore;
    guard: SignInGuard;
  };
  /** Public origin for the links in responses, e.g. https://priem.example.org (no trailing slash). */
  publicUrl: string;
  /** Signs a client participant's join token (LinkSigner.sign); only the link routes show one. */
  signLink(claims: LinkClaimsInput): string;
  /**
   * The link page's question: a token checked (LinkSigner.verify, throws ProtocolError) and its
   * consultation described (ConsultationGate.describe). Absent only in tests that do not serve links.
   */
  links?: {
    verify(token: string): LinkClaims;
    describe(claims: LinkClaims): Promise<LinkInfo['consultation']>;
  };
  /** Link look-ups per link and per address (absent: unlimited, e.g. REST-only tests). */
  budgets?: Pick<Budgets, 'spend'>;
  /** The media server's RTP capabilities for the Device (server.ts: asked once, kept until the SFU disconnects); absent: 503. */
  media?: { capabilities(): Promise<MediaCapabilities> };
  /** Replaces a consultation's delayed jobs after it was created, moved or cancelled. */
  timetable: { changed(consultationId: string): Promise<void> };
  now(): Date;
  log: Logger;
  /** Open rooms: a revoked link's holder is taken out at once (absent in REST-only tests). */
  rooms?: {
    revoked(consultationId: string, participantId: string): Promise<void>;
    /** A client was issued a new link: the old link's holder leaves now (the new one may enter). */
    linkRotated(consultationId: string, participantId: string): Promise<void>;
    /** A staff account was deactivated, changed role or lost its sessions: out of every open room now. */
    takeOutStaff(staffUserId: string): Promise<void>;
    /** The specialist reported a technical failure: the open room closes with that reason. */
    technicalFailure(consultationId: string): Promise<void>;
  };
  /** The live room-health monitor (absent where no SFU is sampled, e.g. REST-only tests). */
  health?: Pick<HealthMonitor, 'latest' | 'scopeOf'>;
}
