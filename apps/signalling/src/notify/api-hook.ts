// The API's side of the e-mail: `deps.notifier?.bookingChanged(change, id)`, one call per
// booking change, made after its transaction has committed. The send runs in the background:
// the response never waits for an SMTP server, and a failed send is a `failed` notification
// row, never a failed request.
import type { BookingChange, ConsultationMail } from './notifier.ts';

declare module '../api/deps.ts' {
  interface ApiDeps {
    /** E-mail to the clients (notify/); absent where the API is mounted without it (most API tests). */
    notifier?: ConsultationMail;
  }
}

export type { BookingChange, ConsultationMail };
