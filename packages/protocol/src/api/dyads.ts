import { z } from 'zod';
import { ConsultationState } from '../lifecycle.ts';
import { Instant, Uuid, text } from './common.ts';

// Dyads (DOMAIN.md: client_client): a curator pairs two families of the registry, noting each
// one's motivation (the seeds' dyad programme: низкий / высокий уровень мотивации), plans the
// dyad's consultations (consultations.create / create_series with `dyadId`) and follows them.

export const MotivationLevel = z.enum(['low', 'high']);
export type MotivationLevel = z.infer<typeof MotivationLevel>;

export const DyadMember = z.object({
  clientId: Uuid,
  /** The registry's representative's name (only to those who may read the registry). */
  displayName: z.string(),
  motivation: MotivationLevel,
});
export type DyadMember = z.infer<typeof DyadMember>;

export const DyadConsultation = z.object({
  id: Uuid,
  start: Instant,
  durationMinutes: z.number().int(),
  state: ConsultationState,
});
export type DyadConsultation = z.infer<typeof DyadConsultation>;

export const Dyad = z
  .object({
    id: Uuid,
    institutionId: Uuid,
    members: z.tuple([DyadMember, DyadMember]),
    curator: z.object({ id: Uuid, displayName: z.string() }),
    note: z.string().nullable(),
    /** The dyad's consultations, oldest first (its history). */
    consultations: z.array(DyadConsultation),
    createdAt: Instant,
  })
  .meta({ id: 'Dyad' });
export type Dyad = z.infer<typeof Dyad>;

export const DyadList = z.object({ dyads: z.array(Dyad) });
export type DyadList = z.infer<typeof DyadList>;

export const DyadParams = z.object({ institutionId: Uuid, dyadId: Uuid });
export type DyadParams = z.infer<typeof DyadParams>;

export const CreateDyadBody = z
  .object({
    members: z.tuple([
      z.object({ clientId: Uuid, motivation: MotivationLevel }),
      z.object({ clientId: Uuid, motivation: MotivationLevel }),
    ]),
    /** A specialist of the institution (a specialist forming a dyad is its curator). */
    curatorId: Uuid,
    note: text(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.members[0].clientId === v.members[1].clientId) {
      ctx.addIssue({ code: 'custom', path: ['members', 1, 'clientId'], message: 'two different clients' });
    }
  });
export type CreateDyadBody = z.infer<typeof CreateDyadBody>;
