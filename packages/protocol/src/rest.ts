import { z } from 'zod';
import { ErrorCode } from './errors.ts';
import { RtpCapabilities } from './media.ts';
import { RoomRole } from './room-events.ts';

// REST bodies (responses) of the signalling server's /api.

export const ApiError = z.object({ error: z.object({ code: ErrorCode, message: z.string() }) });
export type ApiError = z.infer<typeof ApiError>;

/** GET /api/media/capabilities — lets a page load its mediasoup Device before joining. */
export const MediaCapabilities = z.object({ routerRtpCapabilities: RtpCapabilities });
export type MediaCapabilities = z.infer<typeof MediaCapabilities>;

/** GET /api/links/:token: the link as it was handed over (checked by the server, never parsed by the page). */
export const LinkTokenParams = z.object({ token: z.string() });
export type LinkTokenParams = z.infer<typeof LinkTokenParams>;

/** GET /api/links/:token — what a link is for and when, with whom and where; nothing of any client. */
export const LinkInfo = z.object({
  /** The server's time when it answered: the page counts down by it, not by the phone's own clock. */
  serverNow: z.string().optional(),
  consultationId: z.string(),
  role: RoomRole,
  expiresAt: z.string(),
  consultation: z.object({
    /** upcoming: show a countdown to `opensAt`; open: the room admits this link now. */
    /** technical_failure: the specialist's equipment failed before the start; a new time follows (the link stays). */
    status: z.enum(['upcoming', 'open', 'over', 'cancelled', 'technical_failure']),
    startsAt: z.string(),
    /** When this link may enter (the specialist from the pre-check at T−30, clients at T). */
    opensAt: z.string(),
    endsAt: z.string(),
    /** The institution's IANA time zone: times are shown as the institution's. */
    timeZone: z.string(),
    /** The institution's phone, for «нет связи — позвоните в учреждение по …» (null: none stored). */
    institutionPhone: z.string().nullable(),
    /** With whom, where and what about (the client's own consultation; never another client's data). */
    institutionName: z.string(),
    /** The (first) specialist: name and job title as printed («Педагог-психолог»); null for none. */
    specialist: z.object({ name: z.string(), title: z.string().nullable() }).nullable(),
    /** The consultation journal's topic code (family, legal_aid …); null when not set. */
    topic: z.string().nullable(),
    kind: z.enum(['one_to_one', 'webinar', 'dyad']),
    /** Moved: the planned start before the last move (ISO); null when never moved. */
    previousStartsAt: z.string().nullable(),
    /** The category of the last move or cancellation, in the client's words on the page; null when none. */
    changeReason: z.string().nullable(),
    /** This link's last «не смогу прийти / нужно другое время» answer; null when none. */
    answer: z.object({ kind: z.enum(['cannot_come', 'other_time']), at: z.string() }).nullable(),
  }),
});
export type LinkInfo = z.infer<typeof LinkInfo>;
