import { z } from 'zod';
import { Instant, Uuid, instantRange, text } from './common.ts';

// The request journal (журнал регистрации заявок / обращений): one row per request, numbered
// 1, 2, 3 … per institution per year. Anonymous requests keep no names and no address.

export const RequestChannel = z.enum(['phone', 'email', 'messenger', 'visit', 'video_link', 'sms']);
export type RequestChannel = z.infer<typeof RequestChannel>;

export const RequestRecurrence = z.enum(['first', 'repeat']);
export type RequestRecurrence = z.infer<typeof RequestRecurrence>;

/** ТЖС (difficult life situation) / СОП (socially dangerous situation). */
export const SocialStatus = z.enum(['difficult_life_situation', 'socially_dangerous_situation']);
export type SocialStatus = z.infer<typeof SocialStatus>;

export const RequestStatus = z.enum(['new', 'assigned', 'scheduled', 'completed', 'refused', 'withdrawn']);
export type RequestStatus = z.infer<typeof RequestStatus>;

export const JournalRequest = z
  .object({
    id: Uuid,
    institutionId: Uuid,
    /** № in the journal: per institution per year (the year in the institution's zone). */
    year: z.number().int(),
    number: z.number().int(),
    receivedAt: Instant,
    channel: RequestChannel,
    contact: z.string().nullable(),
    fromWhom: z.string(),
    representativeName: z.string().nullable(),
    childName: z.string().nullable(),
    childAge: z.number().int().nullable(),
    anonymous: z.boolean(),
    recurrence: RequestRecurrence,
    reason: z.string(),
    address: z.string().nullable(),
    socialStatus: SocialStatus.nullable(),
    responsibleSpecialistId: Uuid.nullable(),
    registeredById: Uuid.nullable(),
    status: RequestStatus,
    result: z.string().nullable(),
    /** When the client must have been given a date and time (e-mail: 3 working days, phone/SMS/messenger/visit: 2); null for video links. */
    answerDueAt: Instant.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'JournalRequest' });
export type JournalRequest = z.infer<typeof JournalRequest>;

export const RequestList = z.object({ requests: z.array(JournalRequest) });
export type RequestList = z.infer<typeof RequestList>;

export const RequestParams = z.object({ institutionId: Uuid, requestId: Uuid });
export type RequestParams = z.infer<typeof RequestParams>;

/** Received in [from, to), optionally one status. */
export const ListRequestsQuery = z
  .object({ from: Instant.optional(), to: Instant.optional(), status: RequestStatus.optional() })
  .superRefine(instantRange(366));
export type ListRequestsQuery = z.infer<typeof ListRequestsQuery>;

export const CreateRequestBody = z
  .object({
    /** Default: now. */
    receivedAt: Instant.optional(),
    channel: RequestChannel,
    /** How to answer: phone number, e-mail, messenger handle … */
    contact: text(300).optional(),
    /** «От кого», as entered (for an anonymous request e.g. «аноним»). */
    fromWhom: text(300),
    representativeName: text(300).optional(),
    childName: text(300).optional(),
    childAge: z.number().int().min(0).max(120).optional(),
    anonymous: z.boolean().default(false),
    recurrence: RequestRecurrence.default('first'),
    /** The reason in the client's own words. */
    reason: text(4000),
    address: text(500).optional(),
    socialStatus: SocialStatus.optional(),
    /** Setting it makes the request `assigned`. */
    responsibleSpecialistId: Uuid.optional(),
    // No `registeredById`: the author is always the signed-in caller (a `registeredById` still
    // sent is dropped like any unknown key and changes nothing).
  })
  .superRefine((v, ctx) => {
    if (!v.anonymous) return;
    for (const field of ['representativeName', 'childName', 'address'] as const) {
      if (v[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'an anonymous request keeps no names and no address' });
    }
  });
export type CreateRequestBody = z.infer<typeof CreateRequestBody>;

export const UpdateRequestBody = z
  .object({
    status: RequestStatus.optional(),
    /** null clears it. */
    responsibleSpecialistId: Uuid.nullable().optional(),
    /** How it ended (completed) or why it was refused; null clears it. */
    result: text(4000).nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' });
export type UpdateRequestBody = z.infer<typeof UpdateRequestBody>;
