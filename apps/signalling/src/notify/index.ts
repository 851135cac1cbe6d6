export {
  Notifier,
  smtpError,
  type BookingChange,
  type ConsultationMail,
  type NotificationOutcome,
  type NotifierOptions,
  type SendOptions,
} from './notifier.ts';
export type {} from './api-hook.ts';
export { buildMessage, formatWhen, type MailExtras, type MailFacts, type MailLang, type MailMessage } from './templates.ts';
