// In-app notices for staff: one `staff_notices` row per recipient (the bell in the header lists
// them, api/notices.ts) and one `notification.<what>` audit event (the trail). They carry ids
// only. E-mail goes to clients only.
import type { PrismaClient } from '@dp/db';
import type { StaffNoticeKind } from '@dp/protocol';

type Db = Pick<PrismaClient, 'auditEvent' | 'staffUser' | 'staffNotice'>;

export type StaffNotice = StaffNoticeKind;

/** The active heads of an institution: who is told when a consultation cannot go ahead. */
export async function headsOf(db: Pick<Db, 'staffUser'>, institutionId: string): Promise<string[]> {
  const heads = await db.staffUser.findMany({ where: { institutionId, role: 'head', active: true }, select: { id: true } });
  return heads.map((h) => h.id);
}

/** One notice and one `notification.<what>` audit event per recipient, about one consultation. */
export async function addressNotice(
  db: Db,
  what: StaffNotice,
  recipients: readonly string[],
  institutionId: string,
  consultationId: string,
): Promise<void> {
  if (recipients.length === 0) return;
  await db.staffNotice.createMany({
    data: recipients.map((recipientId) => ({ recipientId, institutionId, kind: what, consultationId })),
  });
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
