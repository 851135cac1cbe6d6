// Access to rooms over socket.io, decided by the same matrix and `decide` as the REST API.
// A client comes with a link token: a capability for its one consultation. A member of
// staff comes with the session cookie of the page and names the consultation; they get in
// only when they take part in it (the matrix's `own`), and another institution's
// consultation reads as not found. Staff never enter by link: a token with a staff (lead)
// role is refused as invalid by LinkSigner.verify, so a staff seat always needs a live
// session of that very user (a deactivated account or a changed role ends it). After `join`, every event is the peer's own
// (`participant`); the room objects themselves refuse ids the peer does not own.
import type { IncomingMessage } from 'node:http';
import type { PrismaClient } from '@dp/db';
import { ProtocolError, clientRequests, isAction, isLead, roomAction, type Action } from '@dp/protocol';
import type { LinkClaims, LinkSigner } from '../links/link-token.ts';
import { decide, type Caller, type Subject } from './access.ts';
import { sessionTokenFrom, type SessionStore } from './session-store.ts';

/** Who is in the room and on what grounds: checked again for every later event. */
export interface RoomPass {
  caller: Caller;
  subject: Subject;
  claims: LinkClaims;
  /** Staff: the session cookie, resolved again on every event (signed out, deactivated → refused). */
  sessionToken: string | null;
}

/** Every room event must be in the matrix: a new event without an entry stops the server from starting. */
export function assertRoomEventsInMatrix(): void {
  const missing = Object.keys(clientRequests).filter((e) => !isAction(roomAction(e)));
  if (missing.length > 0) throw new Error(`room events without a permission matrix entry: ${missing.join(', ')}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function refuse(status: 401 | 403 | 404): never {
  if (status === 401) throw new ProtocolError('unauthenticated', 'sign in again');
  if (status === 404) throw new ProtocolError('not_found', 'no such consultation');
  throw new ProtocolError('forbidden', 'your role may not do this');
}

export class RoomAccess {
  private readonly prisma: PrismaClient;
  private readonly links: LinkSigner;
  private readonly sessions: SessionStore;
  constructor(prisma: PrismaClient, links: LinkSigner, sessions: SessionStore) {
    this.prisma = prisma;
    this.links = links;
    this.sessions = sessions;
  }

  /** `join`'s check: by link token or by the staff session of the handshake. */
  async admit(request: IncomingMessage, join: { token?: string | undefined; consultationId?: string | undefined }): Promise<RoomPass> {
    if (join.token !== undefined) {
      const claims = this.links.verify(join.token);
      const caller: Caller = { kind: 'client', consultationId: claims.consultationId, participantId: claims.participantId };
      const subject: Subject = { institutionId: '', departmentId: '', consultationId: claims.consultationId };
      const verdict = decide('room.join', caller, subject);
      if (!verdict.allowed) refuse(verdict.status);
      return { caller, subject, claims, sessionToken: null };
    }
    const sessionToken = this.cookieOf(request);
    const staff = sessionToken ? await this.sessions.resolve(sessionToken) : null;
    if (!staff) refuse(401);
    if (staff.stage !== 'active') refuse(403);
    const consultationId = join.consultationId!;
    // Consultation ids are UUIDs: anything else names none, and must not reach the uuid column
    // (its cast error answered `internal`; found by the fuzzer).
    if (!UUID.test(consultationId)) refuse(404);
    const c = await this.prisma.consultation.findUnique({
      where: { id: consultationId },
      select: {
        institution: { select: { id: true, departmentId: true } },
        specialists: { select: { specialistId: true } },
        participants: { select: { id: true, staffUserId: true, role: true, linkGeneration: true } },
      },
    });
    if (!c) refuse(404);
    const owners = [...c.specialists.map((s) => s.specialistId), ...c.participants.flatMap((p) => (p.staffUserId ? [p.staffUserId] : []))];
    const subject: Subject = { institutionId: c.institution.id, departmentId: c.institution.departmentId, owners, consultationId };
    const verdict = decide('room.join', staff, subject);
    if (!verdict.allowed) refuse(verdict.status);
    const participant = c.participants.find((p) => p.staffUserId === staff.user.id && isLead(p.role));
    if (!participant) refuse(404);
    // No link here: the generation is the row's own, so the gate's link check has nothing to refuse.
    const claims: LinkClaims = {
      consultationId,
      participantId: participant.id,
      role: participant.role,
      generation: participant.linkGeneration,
      expiresAt: staff.expiresAt,
    };
    return { caller: staff, subject, claims, sessionToken };
  }

  /**
   * Any later event: only after `join`, and only what the matrix grants the caller in the
   * room. A member of staff's session is looked up again (one indexed row), so signing out
   * everywhere, a deactivation or a role change takes effect on the next event.
   */
  async check(event: string, pass: RoomPass | undefined): Promise<void> {
    const action = roomAction(event) as Action;
    if (!pass) throw new ProtocolError('not_joined', 'join the room first');
    let caller = pass.caller;
    if (caller.kind === 'staff') {
      const now = pass.sessionToken ? await this.sessions.resolve(pass.sessionToken) : null;
      if (!now) refuse(401);
      caller = now;
    }
    const verdict = decide(action, caller, pass.subject);
    if (!verdict.allowed) refuse(verdict.status);
  }

  private cookieOf(request: IncomingMessage): string | null {
    return sameOriginSessionToken(request);
  }
}

/**
 * The staff session of a socket's handshake (/room and /admin). The cookie counts only from
 * a page of this origin (cross-site WebSocket hijacking: another site's page would send it too).
 */
export function sameOriginSessionToken(request: IncomingMessage): string | null {
  const origin = request.headers.origin;
  if (origin) {
    try {
      if (new URL(origin).host !== request.headers.host) return null;
    } catch {
      return null;
    }
  }
  return sessionTokenFrom(request.headers.cookie);
}
