import { z } from 'zod';
import { ConsultationState } from '../lifecycle.ts';
import { ConsultationKind } from './consultations.ts';
import { Instant, Uuid } from './common.ts';

// The bell in the staff header: in-app notices addressed to the signed-in member of staff.
// Ids and times only; the screen words them and links to the consultation's page.

export const StaffNoticeKind = z.enum([
  'precheck_open',
  'precheck_alert',
  'technical_failure',
  'move_proposed',
  'cannot_come',
  'reassigned',
]);
export type StaffNoticeKind = z.infer<typeof StaffNoticeKind>;

export const StaffNotice = z
  .object({
    id: Uuid,
    kind: StaffNoticeKind,
    /** What it is about, as it stands now (null when the notice concerns no consultation). */
    consultation: z
      .object({
        id: Uuid,
        start: Instant,
        state: ConsultationState,
        kind: ConsultationKind,
        /** The institution's zone, to say the time as its staff read it. */
        timeZone: z.string(),
      })
      .nullable(),
    createdAt: Instant,
    readAt: Instant.nullable(),
  })
  .meta({ id: 'StaffNotice' });
export type StaffNotice = z.infer<typeof StaffNotice>;

export const NoticeList = z.object({
  /** The newest first, at most 50 (read ones from the last 14 days, unread ones whatever their age). */
  notices: z.array(StaffNotice),
  unread: z.number().int().min(0),
});
export type NoticeList = z.infer<typeof NoticeList>;

/** Marks notices read: the ones named, or all of the reader's. */
export const MarkNoticesReadBody = z
  .object({ ids: z.array(Uuid).min(1).max(100).optional(), all: z.literal(true).optional() })
  .refine((v) => (v.ids === undefined) !== (v.all === undefined), { message: 'either ids or all' });
export type MarkNoticesReadBody = z.infer<typeof MarkNoticesReadBody>;

export const NoticesRead = z.object({ unread: z.number().int().min(0) });
export type NoticesRead = z.infer<typeof NoticesRead>;
