import { z } from 'zod';
import { ConsultationKind } from './consultations.ts';
import { Email, Instant, Uuid, plainText, text } from './common.ts';
import { Phone } from './institutions.ts';
import { RequestChannel, RequestStatus, SocialStatus } from './requests.ts';
import { ConsultationState } from '../lifecycle.ts';

// The clients' registry: the parent or legal representative (and the child) an institution
// works with, with the consent to the processing of personal data (152-FZ) recorded at intake.
// Anonymous requests have no client. Clients are never deleted: archiving hides them.

/** How the consent was given: in writing, or orally by phone (noted by the member of staff who took the call). */
export const ConsentMethod = z.enum(['written', 'oral_phone']);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/** Rows per page of the registry. */
export const CLIENT_PAGE_SIZE = 50;

export const ClientSummary = z
  .object({
    id: Uuid,
    institutionId: Uuid,
    representativeName: z.string(),
    childName: z.string().nullable(),
    /** Years. */
    childAge: z.number().int().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    messenger: z.string().nullable(),
    socialStatus: SocialStatus.nullable(),
    archivedAt: Instant.nullable(),
  })
  .meta({ id: 'ClientSummary' });
export type ClientSummary = z.infer<typeof ClientSummary>;

export const Client = ClientSummary.extend({
  address: z.string().nullable(),
  /** ИППСУ: an individual programme of social services. */
  ippsu: z.boolean(),
  /** ИПСР: an individual rehabilitation programme. */
  ipsr: z.boolean(),
  consentMethod: ConsentMethod,
  consentAt: Instant,
  consentRecordedBy: z.object({ id: Uuid, displayName: z.string() }),
  note: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'Client' });
export type Client = z.infer<typeof Client>;

/** The client's requests and consultations, newest first, brief. */
export const ClientDetails = Client.extend({
  requests: z.array(
    z.object({
      id: Uuid,
      year: z.number().int(),
      number: z.number().int(),
      receivedAt: Instant,
      channel: RequestChannel,
      status: RequestStatus,
      reason: z.string(),
    }),
  ),
  consultations: z.array(
    z.object({
      id: Uuid,
      requestId: Uuid.nullable(),
      kind: ConsultationKind,
      start: Instant,
      durationMinutes: z.number().int(),
      state: ConsultationState,
      specialists: z.array(z.object({ id: Uuid, displayName: z.string() })),
    }),
  ),
}).meta({ id: 'ClientDetails' });
export type ClientDetails = z.infer<typeof ClientDetails>;

export const ClientList = z.object({
  clients: z.array(ClientSummary),
  /** Matching clients on all pages. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ClientList = z.infer<typeof ClientList>;

export const ClientParams = z.object({ institutionId: Uuid, clientId: Uuid });
export type ClientParams = z.infer<typeof ClientParams>;

export const ListClientsQuery = z.object({
  /** Part of the representative's or the child's name, the phone or the e-mail (case-insensitive). */
  q: plainText(200).optional(),
  /** 1-based. */
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  /** 'true': archived clients too. */
  archived: z.enum(['true', 'false']).optional(),
});
export type ListClientsQuery = z.infer<typeof ListClientsQuery>;

const contactFields = {
  phone: Phone,
  email: Email,
  /** Viber / WhatsApp / Telegram: a number or a handle. */
  messenger: text(200),
};

const CONTACT_MESSAGE = 'give at least one contact: phone, e-mail or messenger';

export const CreateClientBody = z
  .object({
    representativeName: text(300),
    childName: text(300).optional(),
    childAge: z.number().int().min(0).max(120).optional(),
    phone: contactFields.phone.optional(),
    email: contactFields.email.optional(),
    messenger: contactFields.messenger.optional(),
    address: text(500).optional(),
    socialStatus: SocialStatus.optional(),
    ippsu: z.boolean().default(false),
    ipsr: z.boolean().default(false),
    /** Required: a client is registered only with the consent (152-FZ). Who noted it is the signed-in caller. */
    consentMethod: ConsentMethod,
    /** When it was given (not in the future). */
    consentAt: Instant,
    note: text(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.phone === undefined && v.email === undefined && v.messenger === undefined)
      ctx.addIssue({ code: 'custom', path: ['phone'], message: CONTACT_MESSAGE });
  });
export type CreateClientBody = z.infer<typeof CreateClientBody>;

/** Every field optional; null clears an optional one (a contact only while another remains). */
export const UpdateClientBody = z
  .object({
    representativeName: text(300).optional(),
    childName: text(300).nullable().optional(),
    childAge: z.number().int().min(0).max(120).nullable().optional(),
    phone: contactFields.phone.nullable().optional(),
    email: contactFields.email.nullable().optional(),
    messenger: contactFields.messenger.nullable().optional(),
    address: text(500).nullable().optional(),
    socialStatus: SocialStatus.nullable().optional(),
    ippsu: z.boolean().optional(),
    ipsr: z.boolean().optional(),
    /** A consent given again (e.g. in writing after an oral one): the caller is recorded as who noted it. */
    consentMethod: ConsentMethod.optional(),
    consentAt: Instant.optional(),
    note: text(2000).nullable().optional(),
    /** true archives (hidden from the list), false restores. */
    archived: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' })
  .superRefine((v, ctx) => {
    if ((v.consentMethod === undefined) !== (v.consentAt === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [v.consentMethod === undefined ? 'consentMethod' : 'consentAt'],
        message: 'a consent given again needs both its method and its date',
      });
  });
export type UpdateClientBody = z.infer<typeof UpdateClientBody>;

/** The message the server gives (on `phone`) when a client would be left without a contact. */
export const CLIENT_CONTACT_MESSAGE = CONTACT_MESSAGE;
