import { z } from 'zod';
import { ConsultationState } from '../lifecycle.ts';
import type { RoomQualitySummary } from '../health.ts';
import { Instant, LocalDate, Uuid } from './common.ts';
import { ConsultationKind, ConsultationTopic } from './consultations.ts';
import { RequestRecurrence } from './requests.ts';

// The consultation journal (журнал учёта онлайн-консультирования): one row per consultation
// planned in the period (the institution's local days), filled from what happened — the room's
// stays, the telephone outcome, the e-mail answer, the pre-check, the quality summary, the
// lifecycle history — and from the protocol (reason, topic) that the specialist completes.

/** Rows on one page of the journal screen. */
export const JOURNAL_PAGE_SIZE = 50;
/** The longest period one journal query covers (a year and a day, for a leap year's). */
export const JOURNAL_MAX_DAYS = 366;

/**
 * The form as the consultation actually ran: online with video, online audio only (every
 * client spent at least half of their time in the room audio only), by telephone, by e-mail.
 * Null when it did not take place.
 */
export const JournalForm = z.enum(['online_video', 'online_audio', 'phone', 'email']);
export type JournalForm = z.infer<typeof JournalForm>;

/** The connection quality in a word, from the room's average score (0–5). */
export const JournalQuality = z.enum(['good', 'fair', 'poor']);
export type JournalQuality = z.infer<typeof JournalQuality>;

/** At or above: «хорошая»; at or above FAIR: «удовлетворительная»; below: «плохая». */
export const GOOD_QUALITY_SCORE = 4;
export const FAIR_QUALITY_SCORE = 2.5;

/** The word for a room's quality summary (null when the room left none). */
export function qualityOf(summary: Pick<RoomQualitySummary, 'samples' | 'scoreAvg'> | null | undefined): JournalQuality | null {
  if (!summary || summary.samples === 0) return null;
  if (summary.scoreAvg >= GOOD_QUALITY_SCORE) return 'good';
  if (summary.scoreAvg >= FAIR_QUALITY_SCORE) return 'fair';
  return 'poor';
}

export const JournalParams = z.object({ institutionId: Uuid });
export type JournalParams = z.infer<typeof JournalParams>;

/** from ≤ to, both local days of the institution, at most JOURNAL_MAX_DAYS apart. */
function localRange(v: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000;
  if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the end of the period is before its start' });
  else if (days >= JOURNAL_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${JOURNAL_MAX_DAYS} days` });
}

const journalFilter = {
  /** First and last local day of the period (both included). */
  from: LocalDate,
  to: LocalDate,
  /** One specialist's consultations (the head's and the social worker's filter; a specialist sees only their own anyway). */
  specialistId: Uuid.optional(),
};

export const JournalQuery = z
  .object({ ...journalFilter, page: z.coerce.number().int().min(1).max(100_000).default(1) })
  .superRefine(localRange);
export type JournalQuery = z.infer<typeof JournalQuery>;

export const JournalExportQuery = z.object({ ...journalFilter, format: z.enum(['xlsx', 'csv']) }).superRefine(localRange);
export type JournalExportQuery = z.infer<typeof JournalExportQuery>;

export const JournalRow = z.object({
  /** № in the journal for this filter (1 = the earliest). */
  number: z.number().int().min(1),
  consultationId: Uuid,
  kind: ConsultationKind,
  /** The local day of the planned start. */
  date: LocalDate,
  plannedStart: Instant,
  /** When the first client came in (or the telephone call began); null when it did not take place. */
  startedAt: Instant.nullable(),
  /** Whole minutes: clients' first join → last leave, or the telephone outcome's; null for e-mail and when not held. */
  durationMinutes: z.number().int().min(0).nullable(),
  specialists: z.array(z.string()),
  /** From the request or the client registry; null when anonymous or not given. */
  childName: z.string().nullable(),
  childAge: z.number().int().nullable(),
  representativeName: z.string().nullable(),
  anonymous: z.boolean(),
  /** Clients or attendees listed (a webinar's count; 1 for a one-to-one, 2 for a dyad). */
  clientCount: z.number().int().min(0),
  recurrence: RequestRecurrence.nullable(),
  form: JournalForm.nullable(),
  /** The specialist's last pre-check: passed, failed, or none made. */
  precheck: z.enum(['passed', 'failed']).nullable(),
  quality: JournalQuality.nullable(),
  /** How many times it was moved (lifecycle history). */
  reschedules: z.number().int().min(0),
  state: ConsultationState,
  /** The protocol's reason, else the request's reason in the client's words. */
  reason: z.string().nullable(),
  /** The protocol's topic, else the consultation's. */
  topic: ConsultationTopic.nullable(),
  /** Whether the protocol is final («Протокол оформлен»). */
  protocolFinal: z.boolean(),
  note: z.string().nullable(),
});
export type JournalRow = z.infer<typeof JournalRow>;

export const JournalPage = z
  .object({
    rows: z.array(JournalRow),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int(),
    timeZone: z.string(),
  })
  .meta({ id: 'JournalPage' });
export type JournalPage = z.infer<typeof JournalPage>;

/** An export's bytes (XLSX or CSV, by `format`). */
export const JournalFile = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'bytes' }).meta({ description: 'the file' });

export const RegistryExportQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
export type RegistryExportQuery = z.infer<typeof RegistryExportQuery>;
