import { z } from 'zod';
import { Email, Instant, Uuid } from './common.ts';
import { StaffRole } from './staff.ts';

// Sign-in, sessions, the one-time password links and "my account". A session is a
// server-side record referenced by an httpOnly cookie; every state-changing request that the
// cookie authenticates also carries the session's CSRF token in the `X-CSRF-Token` header.

export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'dp_session';

/** Lengths NIST SP 800-63B asks for: at least 10 here (8 is its floor), long passphrases welcome. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const Password = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`);

/** Six digits from an authenticator app. */
export const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');

export const SignInBody = z
  .object({
    email: Email,
    /** Not checked for length here: a wrong password must answer like any other. */
    password: z.string().min(1).max(PASSWORD_MAX),
    /** Sent with the password in the same request; required when the account has a second factor (without it: `invalid_credentials`, like any wrong part). */
    totp: TotpCode.optional(),
  })
  .meta({ id: 'SignInBody' });
export type SignInBody = z.infer<typeof SignInBody>;

export const SessionUser = z
  .object({
    id: Uuid,
    email: z.string(),
    displayName: z.string(),
    role: StaffRole,
    /** Null for a department-level admin. */
    institutionId: Uuid.nullable(),
    departmentId: Uuid,
    totpEnabled: z.boolean(),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof SessionUser>;

/**
 * `totp_setup_required`: an admin without a second factor may only set one up (and sign
 * out) until it is enabled; every other call answers 403 `totp_setup_required`.
 */
export const SessionStage = z.enum(['active', 'totp_setup_required']);
export type SessionStage = z.infer<typeof SessionStage>;

export const SessionInfo = z
  .object({
    user: SessionUser,
    stage: SessionStage,
    /** Send it back in the X-CSRF-Token header with every POST/PUT/PATCH/DELETE. */
    csrfToken: z.string(),
    /** When the session ends however active it is (absolute lifetime). */
    expiresAt: Instant,
    /** Idle timeout in seconds: the session ends this long after its last request. */
    idleTimeoutSeconds: z.number().int().positive(),
    /** The server's time when it answered: pages count down by it, not by the device's own clock. */
    serverNow: Instant.optional(),
  })
  .meta({ id: 'SessionInfo' });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SignedOut = z.object({ signedOut: z.number().int().nonnegative() });
export type SignedOut = z.infer<typeof SignedOut>;

export const SessionSummary = z.object({
  /** A public id of the session (never the cookie value). */
  id: Uuid,
  createdAt: Instant,
  lastSeenAt: Instant,
  expiresAt: Instant,
  ip: z.string().nullable(),
  /** Shortened browser name, e.g. «Chrome 131 · Linux». */
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;
export const SessionList = z.object({ sessions: z.array(SessionSummary) });
export type SessionList = z.infer<typeof SessionList>;
export const SessionParams = z.object({ sessionId: Uuid });

export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: Password });
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** A new secret to scan; it becomes the account's second factor only once a code from it is confirmed. */
export const TotpSetup = z.object({
  /** Base32, for typing in by hand. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** The same URI as an SVG QR code. */
  qrSvg: z.string(),
});
export type TotpSetup = z.infer<typeof TotpSetup>;
export const TotpConfirmBody = z.object({ code: TotpCode });
export type TotpConfirmBody = z.infer<typeof TotpConfirmBody>;
export const TotpDisableBody = z.object({ password: z.string().min(1).max(PASSWORD_MAX) });
export type TotpDisableBody = z.infer<typeof TotpDisableBody>;

// One-time links: "set your password" for a new account, or a reset issued by an admin.

export const PasswordLinkPurpose = z.enum(['welcome', 'reset']);
export type PasswordLinkPurpose = z.infer<typeof PasswordLinkPurpose>;

export const PasswordLinkParams = z.object({ token: z.string().min(20).max(200) });

/** What the link page shows before the password is set. */
export const PasswordLinkInfo = z.object({
  purpose: PasswordLinkPurpose,
  email: z.string(),
  displayName: z.string(),
  expiresAt: Instant,
  /** The account will have to set up a second factor after signing in (admins). */
  totpRequired: z.boolean(),
});
export type PasswordLinkInfo = z.infer<typeof PasswordLinkInfo>;

export const SetPasswordBody = z.object({ password: Password });
export type SetPasswordBody = z.infer<typeof SetPasswordBody>;
export const PasswordSet = z.object({ email: z.string() });
export type PasswordSet = z.infer<typeof PasswordSet>;

/** Shown to the admin once, to hand over; only its hash is stored. */
export const PasswordLinkIssued = z
  .object({ url: z.string(), expiresAt: Instant, purpose: PasswordLinkPurpose })
  .meta({ id: 'PasswordLinkIssued' });
export type PasswordLinkIssued = z.infer<typeof PasswordLinkIssued>;
