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

/** GET /api/links/:token — what a link is for and when; no personal data. */
export const LinkInfo = z.object({
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
  }),
});
export type LinkInfo = z.infer<typeof LinkInfo>;
