import { z } from 'zod';
import { BigIntIdString, Instant, Uuid } from './common.ts';

// The audit log as admins read it. Events are never edited (a database trigger refuses it);
// `details` hold ids, codes and counts only — never passwords, tokens or clients' data.

export const AuditActorType = z.enum(['staff', 'client', 'system']);

export const AuditEventView = z
  .object({
    /** Increasing; pass the last one as `before` for the next page. */
    id: z.string(),
    at: Instant,
    actorType: AuditActorType,
    actorId: z.string().nullable(),
    /** The staff member's name when the actor is staff (admins know their colleagues). */
    actorName: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    institutionId: Uuid.nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditListQuery = z.object({
  actorId: Uuid.optional(),
  /** Exact action ('auth.sign_in_failed') or a prefix ending in a dot ('auth.'). */
  action: z
    .string()
    .max(100)
    .regex(/^[a-z_.]+$/, 'lower-case dotted action')
    .optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  /** An event id (bigint): larger than the column holds answers 400. */
  before: BigIntIdString.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditList = z.object({ events: z.array(AuditEventView), nextBefore: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;
