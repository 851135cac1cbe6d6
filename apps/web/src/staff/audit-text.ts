// Audit events in words: the server writes dotted codes ('consultation.note_added') and
// details of ids, counts, codes and instants; the log shows sentences, never a raw code.
import type { TFunction } from 'i18next';

/** The actions the filter offers one by one (every one has words in the locales). */
export const KNOWN_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.sign_out_everywhere',
  'auth.locked',
  'access.denied',
  'staff.created',
  'staff.updated',
  'staff.role_changed',
  'staff.deactivated',
  'staff.password_link_issued',
  'account.password_changed',
  'account.totp_enabled',
  'account.totp_disabled',
  'session.ended',
  'auth.password_set',
  'staff.admin_created',
  'staff.admin_link_issued',
  'institution.created',
  'institution.updated',
  'institution.calendar_confirmed',
  'consultation.created',
  'consultation.rescheduled',
  'consultation.cancelled',
  'request.created',
  'request.updated',
  'client.created',
  'client.updated',
  'schedule.updated',
  'schedule.approved',
  'schedule.correction_proposed',
  'schedule.correction_approved',
  'schedule.correction_rejected',
  'schedule.changed_urgently',
  'consultation.link_shown',
  'consultation.link_rotated',
  'consultation.link_revoked',
  'consultation.note_added',
  'consultation.client_answered',
  'consultation.feedback_saved',
  'consultation.technical_failure',
  'consultation.move_proposed',
  'consultation.move_rejected',
  'consultation.reassigned',
  'consultation.participants_added',
  'consultation.phone_outcome',
  'consultation.email_answer',
  'dyad.created',
  'dyad.evaluated',
  'dyad.evaluation_changed',
  'route_sheet.created',
  'route_sheet.updated',
  'registry.note_set',
  'registry.exported',
  'journal.exported',
  'protocol.saved',
  'protocol.finalized',
  'protocol.new_version',
  'protocol.file_added',
  'protocol.file_removed',
  'report.submitted',
  'report.accepted',
  'report.returned',
  'report.exported',
  'report.records_viewed',
  'report.consolidated_exported',
  'report.note_saved',
  'report.note_sent',
  'report.settings_changed',
  'report.form_changed',
  'report.inputs_saved',
  'notification.precheck_open',
  'notification.precheck_alert',
  'notification.technical_failure',
  'notification.cannot_come',
  'notification.move_proposed',
  'notification.reassigned',
] as const;
export const ACTION_GROUPS = [
  'auth.',
  'access.',
  'staff.',
  'account.',
  'session.',
  'institution.',
  'consultation.',
  'request.',
  'client.',
  'schedule.',
  'registry.',
  'journal.',
  'protocol.',
  'dyad.',
  'route_sheet.',
  'report.',
  'notification.',
] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** The action in words; an action added later reads «Другое действие: <section>». */
export function actionText(t: TFunction, action: string): string {
  const known = t(`staff.actions.${action}`, { defaultValue: '' });
  if (known) return known;
  const group = t(`staff.audit.group.${action.split('.')[0] ?? ''}`, { defaultValue: '' });
  return group ? t('staff.audit.otherActionIn', { group }) : t('staff.audit.otherAction');
}

function valueText(t: TFunction, lang: string, key: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return t(v ? 'staff.audit.yes' : 'staff.audit.no');
  if (typeof v === 'number') return new Intl.NumberFormat(lang).format(v);
  if (Array.isArray(v)) return v.map((x) => valueText(t, lang, key, x)).join(', ');
  if (typeof v !== 'string') return t('staff.audit.otherValue');
  if (UUID.test(v)) return `№ ${v.slice(0, 8)}`;
  if (INSTANT.test(v) && !Number.isNaN(Date.parse(v))) {
    return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(
      new Date(v),
    );
  }
  const month = MONTH.exec(v);
  if (month)
    return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' }).format(new Date(Number(month[1]), Number(month[2]) - 1, 1));
  if (key === 'fields') return t(`staff.audit.field.${v}`, { defaultValue: t('staff.audit.otherField') });
  return t(`staff.audit.value.${key}.${v}`, {
    defaultValue: t(`staff.audit.value.any.${v}`, { defaultValue: t('staff.audit.otherValue') }),
  });
}

/** «Роль: Специалист; Стала: Руководитель» — every detail as «label: value». */
export function detailsText(t: TFunction, lang: string, details: Record<string, unknown> | null): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${t(`staff.audit.detail.${k}`, { defaultValue: t('staff.audit.otherDetail') })}: ${valueText(t, lang, k, v)}`)
    .join('; ');
}
