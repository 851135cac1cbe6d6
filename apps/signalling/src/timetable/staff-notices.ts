// In-app notifications for staff are, for now, audit events addressed to them (the staff
// screens that list them are still to come; e-mail goes to clients only). They carry ids only.
import type { PrismaClient } from '@dp/db';

type Db = Pick<PrismaClient, 'auditEvent' | 'staffUser'>;

export type StaffNotice = 'precheck_open' | 'precheck_alert' | 'technical_failure';

/** The active heads of an institution: who is told when a consultation cannot go ahead. */
export async function headsOf(db: Db, institutionId: string): Promise<string[]> {
  const heads = await db.staffUser.findMany({ where: { institutionId, role: 'head', active: true }, select: { id: true } });
  return heads.map((h) => h.id);
}

/** One `notification.<what>` event per recipient, about one consultation. */
export async function addressNotice(
  db: Db,
  what: StaffNotice,
  recipients: readonly string[],
  institutionId: string,
  consultationId: string,
): Promise<void> {
  await db.auditEvent.createMany({
    data: recipients.map((recipientId) => ({
      actorType: 'system' as const,
      action: `notification.${what}`,
      targetType: 'staff_user',
      targetId: recipientId,
      institutionId,
      details: { consultationId },
    })),
  });
}
