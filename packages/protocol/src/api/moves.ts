import { z } from 'zod';
import { ChangeReason, Consultation } from './consultations.ts';
import { DurationMinutes, Instant, Uuid, text } from './common.ts';

// Moves proposed by a specialist or a social worker, approved by the head with one click (the
// lifecycle writer then reschedules the consultation; its history keeps the previous time);
// the head's list of consultations that failed for technical reasons; whether the invitation
// of a just-booked consultation went out.

export const MoveProposalStatus = z.enum(['pending', 'approved', 'rejected', 'withdrawn']);
export type MoveProposalStatus = z.infer<typeof MoveProposalStatus>;

export const MoveProposal = z
  .object({
    id: Uuid,
    consultationId: Uuid,
    proposedById: Uuid,
    /** The proposer's name as staff see it. */
    proposedByName: z.string(),
    start: Instant,
    durationMinutes: z.number().int(),
    reasonCategory: ChangeReason.nullable(),
    /** Staff only. */
    note: z.string().nullable(),
    status: MoveProposalStatus,
    decidedById: Uuid.nullable(),
    decidedAt: Instant.nullable(),
    createdAt: Instant,
    /** The consultation as it is now (its current time). */
    consultation: Consultation,
  })
  .meta({ id: 'MoveProposal' });
export type MoveProposal = z.infer<typeof MoveProposal>;

export const MoveProposalList = z.object({ proposals: z.array(MoveProposal) });
export type MoveProposalList = z.infer<typeof MoveProposalList>;

export const MoveProposalParams = z.object({ proposalId: Uuid });
export type MoveProposalParams = z.infer<typeof MoveProposalParams>;

export const ProposeMoveBody = z.object({
  start: Instant,
  /** Default: unchanged. */
  durationMinutes: DurationMinutes.optional(),
  reasonCategory: ChangeReason.optional(),
  /** Staff only. */
  note: text(500).optional(),
});
export type ProposeMoveBody = z.infer<typeof ProposeMoveBody>;

export const RejectMoveBody = z.object({ note: text(500).optional() }).optional();
export type RejectMoveBody = z.infer<typeof RejectMoveBody>;

/** Whether the clients were sent the invitation: per client with an address; `no_email` when none has one. */
export const InvitationStatus = z.enum(['pending', 'sent', 'failed', 'skipped', 'no_email']);
export type InvitationStatus = z.infer<typeof InvitationStatus>;

export const InvitationReport = z
  .object({
    consultationId: Uuid,
    /** The worst of the clients' outcomes (failed > skipped > pending > sent); no_email when no client left an address. */
    status: InvitationStatus,
    clients: z.array(z.object({ participantId: Uuid, status: InvitationStatus })),
  })
  .meta({ id: 'InvitationReport' });
export type InvitationReport = z.infer<typeof InvitationReport>;
