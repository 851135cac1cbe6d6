import { z } from 'zod';
import { Instant, Uuid, instantRange, plainText, text } from './common.ts';

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

/** The two grounds for refusing a request (DOMAIN.md): outside the specialists' competence; unethical or aggressive behaviour. */
export const RefusalGround = z.enum(['outside_competence', 'unethical_or_aggressive_behaviour']);
export type RefusalGround = z.infer<typeof RefusalGround>;

/** Rows per page of the journal. */
export const REQUEST_PAGE_SIZE = 50;

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
    /** The client of the registry (null for anonymous requests and those entered without one). */
    clientId: Uuid.nullable(),
    recurrence: RequestRecurrence,
    reason: z.string(),
    address: z.string().nullable(),
    socialStatus: SocialStatus.nullable(),
    responsibleSpecialistId: Uuid.nullable(),
    registeredById: Uuid.nullable(),
    status: RequestStatus,
    result: z.string().nullable(),
    /** Why it was refused (status `refused`), else null. */
    refusalGround: RefusalGround.nullable(),
    /** When the client must have been given a date and time (e-mail: 3 working days, phone/SMS/messenger/visit: 2); null for video links. */
    answerDueAt: Instant.nullable(),
    /** When it was last refused or completed (null while it is neither): a later edit does not move it. */
    decidedAt: Instant.nullable(),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'JournalRequest' });
export type JournalRequest = z.infer<typeof JournalRequest>;

export const RequestList = z.object({
  /** One page, newest received first. */
  requests: z.array(JournalRequest),
  /** Rows matching the filters on all pages. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The server's clock when it answered. */
  now: Instant,
  /** A deadline before this (the closing time of the institution's next working day) is near. */
  dueSoonBefore: Instant,
});
export type RequestList = z.infer<typeof RequestList>;

export const RequestParams = z.object({ institutionId: Uuid, requestId: Uuid });
export type RequestParams = z.infer<typeof RequestParams>;

/** Received in [from, to), filtered, 50 a page, newest first. */
export const ListRequestsQuery = z
  .object({
    from: Instant.optional(),
    to: Instant.optional(),
    status: RequestStatus.optional(),
    responsibleSpecialistId: Uuid.optional(),
    channel: RequestChannel.optional(),
    /** Only those whose answer deadline has passed while still `new` or `assigned`. */
    overdue: z.enum(['true', 'false']).optional(),
    /** Searches the number, the names, the contact and the reason. */
    q: plainText(200).optional(),
    /** 1-based. */
    page: z.coerce.number().int().min(1).max(100_000).default(1),
  })
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
    fromWhom: text(300).optional(),
    representativeName: text(300).optional(),
    childName: text(300).optional(),
    childAge: z.number().int().min(0).max(120).optional(),
    anonymous: z.boolean().default(false),
    /**
     * The client of the registry (same institution). Names, contact and address are copied from
     * it unless given here, and `recurrence` is found from the registry (repeat when the client
     * has an earlier request). Not with `anonymous`.
     */
    clientId: Uuid.optional(),
    /** Ignored when `clientId` is given (the registry decides). */
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
    // «От кого» is copied from the registry's client when not given.
    if (v.fromWhom === undefined && v.clientId === undefined) ctx.addIssue({ code: 'custom', path: ['fromWhom'], message: 'required' });
    if (!v.anonymous) return;
    if (v.clientId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'an anonymous request has no client record' });
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
    /** How it ended (completed) or the note on a refusal; null clears it. */
    result: text(4000).nullable().optional(),
    /** Required with status `refused` (the request's ground kept otherwise is cleared when it leaves `refused`). */
    refusalGround: RefusalGround.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' })
  .superRefine((v, ctx) => {
    if (v.status === 'refused' && v.refusalGround === undefined)
      ctx.addIssue({ code: 'custom', path: ['refusalGround'], message: 'a refusal needs one of the two grounds' });
    if (v.refusalGround !== undefined && v.status !== 'refused')
      ctx.addIssue({ code: 'custom', path: ['refusalGround'], message: 'a ground is given only with status refused' });
  });
export type UpdateRequestBody = z.infer<typeof UpdateRequestBody>;
