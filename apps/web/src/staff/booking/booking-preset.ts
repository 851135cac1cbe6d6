import { ConsultationForm, Profession, type StaffMember } from '@dp/protocol';

// A booking opened from a route sheet's line (planned work) comes with the line's profession,
// specialist and form in the address: the booking page starts with them chosen (still
// changeable). Anything unknown in the address is ignored, never trusted.

export interface BookingPreset {
  profession: Profession | null;
  specialistId: string | null;
  form: ConsultationForm | null;
}

/** `/requests/:id/book` with the line's choices as search parameters. */
export function bookingHref(
  requestId: string,
  line: { profession: Profession; form: ConsultationForm; specialist: { id: string } },
): string {
  const q = new URLSearchParams({ profession: line.profession, specialist: line.specialist.id, form: line.form });
  return `/requests/${requestId}/book?${q.toString()}`;
}

/**
 * The choices to start with, among the bookable specialists: the line's specialist (the step
 * «профиль» follows that specialist's own profession), else only the profession when someone
 * practises it; the form when it is one.
 */
export function presetFrom(search: URLSearchParams, specialists: readonly StaffMember[]): BookingPreset {
  const form = ConsultationForm.safeParse(search.get('form'));
  const asked = Profession.safeParse(search.get('profession'));
  const specialist = specialists.find((s) => s.id === search.get('specialist') && s.specialist);
  const profession = specialist?.specialist?.profession ?? (asked.success ? asked.data : null);
  const practised = profession !== null && specialists.some((s) => s.specialist?.profession === profession);
  return {
    profession: practised ? profession : null,
    specialistId: specialist?.id ?? null,
    form: form.success ? form.data : null,
  };
}
