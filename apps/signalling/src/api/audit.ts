// Every state-changing call leaves an AuditEvent, written in the same transaction as the
// change (an audit row without its change, or the reverse, would be a lie). `details` holds
// ids, counts, codes and instants only — never names, contacts or free text (152-FZ): the
// journal rows themselves are where personal data lives, under their own retention.
import type { Prisma, PrismaClient, TransactionClient } from '@dp/db';
import type { Actor } from './actor.ts';

export interface AuditEntry {
  /** Dotted verb: 'consultation.rescheduled', 'schedule.approved' … */
  action: string;
  targetType: string;
  targetId: string;
  institutionId: string | null;
  details?: Record<string, string | number | boolean | null | string[]>;
}

export async function audit(db: TransactionClient | PrismaClient, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      institutionId: entry.institutionId,
      ip: actor.ip ?? null,
      ...(entry.details ? { details: entry.details as Prisma.InputJsonObject } : {}),
    },
  });
}
