import { z } from 'zod';
import { Email, Instant, Uuid, text } from './common.ts';

// Staff with accounts (clients have none: they join by a link). Passwords and second
// factors are issued by the access issue, not here.

export const StaffRole = z.enum(['admin', 'head', 'specialist', 'social_worker']);
export type StaffRole = z.infer<typeof StaffRole>;

/** What a client chooses when asking for a consultation (профиль специалиста). */
export const Profession = z.enum(['psychologist', 'lawyer', 'speech_therapist', 'rehabilitation', 'exercise_instructor', 'other']);
export type Profession = z.infer<typeof Profession>;

export const SpecialistProfile = z.object({
  profession: Profession,
  /** Job title as printed, e.g. «Педагог-психолог». */
  title: text(200),
});
export type SpecialistProfile = z.infer<typeof SpecialistProfile>;

export const StaffMember = z
  .object({
    id: Uuid,
    /** Null only for a department-level admin. */
    institutionId: Uuid.nullable(),
    departmentId: Uuid,
    email: z.string(),
    displayName: z.string(),
    role: StaffRole,
    active: z.boolean(),
    specialist: SpecialistProfile.nullable(),
    createdAt: Instant,
    /** False until the person sets a password through a one-time link. */
    passwordSet: z.boolean(),
    /** When the last session was opened; null if the person never signed in. */
    lastSignInAt: Instant.nullable(),
  })
  .meta({ id: 'StaffMember' });
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffList = z.object({ staff: z.array(StaffMember) });
export type StaffList = z.infer<typeof StaffList>;

export const StaffListQuery = z.object({ role: StaffRole.optional() });
export type StaffListQuery = z.infer<typeof StaffListQuery>;

export const CreateStaffBody = z
  .object({
    /** Stored lower-case; unique across the installation. */
    email: Email,
    displayName: text(200),
    role: StaffRole,
    /** Required for role `specialist`: clients choose by profession. */
    specialist: SpecialistProfile.optional(),
  })
  .refine((v) => v.role !== 'specialist' || v.specialist !== undefined, {
    path: ['specialist'],
    message: 'a specialist needs a profile (profession and title)',
  });
export type CreateStaffBody = z.infer<typeof CreateStaffBody>;

export const StaffParams = z.object({ staffId: Uuid });
export type StaffParams = z.infer<typeof StaffParams>;

/** A new account answers with its one-time "set your password" link, to hand over. */
export const StaffCreated = StaffMember.extend({
  passwordLink: z.object({ url: z.string(), expiresAt: Instant }),
}).meta({ id: 'StaffCreated' });
export type StaffCreated = z.infer<typeof StaffCreated>;

/** Department-wide list for admins (optionally one institution's staff). */
export const DepartmentStaffQuery = z.object({ role: StaffRole.optional(), institutionId: Uuid.optional() });
export type DepartmentStaffQuery = z.infer<typeof DepartmentStaffQuery>;

/** Role change, rename, (de)activation. Deactivating ends every session of the account at once. */
export const UpdateStaffBody = z
  .object({
    displayName: text(200).optional(),
    role: StaffRole.exclude(['admin']).optional(),
    active: z.boolean().optional(),
    specialist: SpecialistProfile.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
export type UpdateStaffBody = z.infer<typeof UpdateStaffBody>;
