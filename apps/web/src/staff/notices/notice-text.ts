import type { StaffNotice } from '@dp/protocol';
import type { TFunction } from 'i18next';

/** One sentence for a notice: what happened and when the consultation is, in its institution's zone. */
export function noticeText(t: TFunction, n: StaffNotice, lang: string): string {
  if (!n.consultation) return t(`notices.kind.${n.kind}`, { when: '' });
  const start = new Date(n.consultation.start);
  const zone = n.consultation.timeZone;
  const time = new Intl.DateTimeFormat(lang, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(start);
  const date = new Intl.DateTimeFormat(lang, { timeZone: zone, day: 'numeric', month: 'long' }).format(start);
  return t(`notices.kind.${n.kind}`, { when: t('notices.when', { date, time }), time });
}
