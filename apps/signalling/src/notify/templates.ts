// The e-mail texts, Russian first, English on request. Pure: the notifier supplies the
// consultation's facts, a template returns the subject, plain text and simple HTML. Times are
// shown in the institution's IANA zone (never the server's), as the timetable rules count them.
import { DateTime } from 'luxon';
import type { NotificationKind } from '@dp/db';

export type MailLang = 'ru' | 'en';

export interface MailFacts {
  institutionName: string;
  timeZone: string;
  /** The planned start (the new one after a move). */
  start: Date;
  durationMinutes: number;
  /** The participant's personal join link (the link page: schedule, device check, feedback). */
  link: string;
  /** The participant's name, when the booking gave one. */
  displayName: string | null;
  /** The form of distance consultation (default online): by telephone the invitation has no link. */
  form?: 'online' | 'phone' | 'email';
}

export interface MailExtras {
  /** rescheduled: the start before the move. */
  previousStart?: Date;
  /**
   * rescheduled, cancelled: the reason category's client-facing words (CHANGE_REASON_TEXT), when
   * one was given. Never the staff's free-text note.
   */
  reason?: string | null;
  /** technical_failure: the new start if one is approved, null when the institution will call. */
  newStart?: Date | null;
  /** rescheduled: another specialist takes the consultation at the same time (their name as staff entered it). */
  newSpecialist?: string;
}

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

/** 'вторник, 3 марта 2026 г., 09:30 (Asia/Omsk, UTC+6)' / 'Tuesday, 3 March 2026, 09:30 (Asia/Omsk, UTC+6)'. */
export function formatWhen(at: Date, timeZone: string, lang: MailLang): { date: string; time: string; zone: string; full: string } {
  const local = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(lang === 'ru' ? 'ru' : 'en-GB');
  const date = lang === 'ru' ? local.toFormat("cccc, d MMMM yyyy 'г.'") : local.toFormat('cccc, d MMMM yyyy');
  const time = local.toFormat('HH:mm');
  const zone = `${timeZone}, UTC${local.toFormat('Z')}`;
  return { date, time, zone, full: `${date}, ${time} (${zone})` };
}

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** A paragraph is a list of parts: plain strings, or a link. */
type Part = string | { link: string; label?: string };
type Paragraph = Part[];

function render(subject: string, paragraphs: Paragraph[]): MailMessage {
  const text = paragraphs
    .map((p) => p.map((part) => (typeof part === 'string' ? part : part.link)).join(''))
    .join('\n\n')
    .concat('\n');
  const html =
    '<!doctype html><html><body style="font-family:sans-serif;font-size:16px;line-height:1.5">' +
    paragraphs
      .map(
        (p) =>
          '<p>' +
          p
            .map((part) =>
              typeof part === 'string'
                ? escapeHtml(part).replaceAll('\n', '<br>')
                : `<a href="${escapeHtml(part.link)}">${escapeHtml(part.label ?? part.link)}</a>`,
            )
            .join('') +
          '</p>',
      )
      .join('') +
    '</body></html>';
  return { subject, text, html };
}

const T = {
  ru: {
    hello: (name: string | null) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    signature: (inst: string) => `С уважением,\n${inst}`,
    automatic: 'Это письмо отправлено автоматически, отвечать на него не нужно.',
    when: (w: string, minutes: number) => `Время: ${w}. Продолжительность — до ${minutes} мин.`,
    yourLink: 'Ваша персональная ссылка для входа (не передавайте её другим):',
    prepare:
      'Как подготовиться: за несколько минут до начала откройте ссылку и пройдите проверку камеры, микрофона и связи; ' +
      'по возможности наденьте наушники и выберите тихое место. Программу устанавливать не нужно — достаточно браузера.',
    contact: (inst: string) => `Если у вас есть вопросы, обратитесь в учреждение «${inst}» по телефону или лично.`,
  },
  en: {
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    signature: (inst: string) => `Kind regards,\n${inst}`,
    automatic: 'This message was sent automatically; please do not reply to it.',
    when: (w: string, minutes: number) => `Time: ${w}. It lasts up to ${minutes} minutes.`,
    yourLink: 'Your personal link to join (do not share it):',
    prepare:
      'How to prepare: a few minutes before the start, open the link and run the camera, microphone and connection check; ' +
      'if you can, use headphones and find a quiet place. Nothing to install: a web browser is enough.',
    contact: (inst: string) => `If you have any questions, please contact «${inst}» by phone or in person.`,
  },
} as const;

/** The message of one notification kind for one participant. */
export function buildMessage(kind: NotificationKind, f: MailFacts, lang: MailLang = 'ru', x: MailExtras = {}): MailMessage {
  const t = T[lang];
  const when = formatWhen(f.start, f.timeZone, lang);
  const short = (d: Date) => {
    const w = formatWhen(d, f.timeZone, lang);
    return lang === 'ru'
      ? `${w.date.replace(/^[^,]+, /, '').replace(/ \d{4} г\.$/, '')} в ${w.time}`
      : `${w.date.replace(/^[^,]+, /, '').replace(/ \d{4}$/, '')} at ${w.time}`;
  };
  const head: Paragraph = [t.hello(f.displayName)];
  const tail: Paragraph[] = [[t.signature(f.institutionName)], [t.automatic]];
  const link: Paragraph = [t.yourLink, '\n', { link: f.link }];
  const ru = lang === 'ru';
  switch (kind) {
    case 'invitation':
      if (f.form === 'phone') {
        return render(
          ru
            ? `Консультация по телефону ${short(f.start)} — ${f.institutionName}`
            : `Consultation by telephone on ${short(f.start)} — ${f.institutionName}`,
          [
            head,
            [
              ru
                ? `Вам позвонят по телефону ${when.date} в ${when.time} (${when.zone}): консультация специалиста учреждения «${f.institutionName}», до ${f.durationMinutes} мин.`
                : `You will be called by telephone on ${when.date} at ${when.time} (${when.zone}): a consultation with a specialist of «${f.institutionName}», up to ${f.durationMinutes} minutes.`,
            ],
            [
              ru
                ? 'Ничего открывать или устанавливать не нужно: просто держите телефон рядом в это время.'
                : 'Nothing to open or install: just keep your phone at hand at that time.',
            ],
            [t.contact(f.institutionName)],
            ...tail,
          ],
        );
      }
      return render(
        ru
          ? `Приглашение на онлайн-консультацию ${short(f.start)} — ${f.institutionName}`
          : `Invitation: online consultation on ${short(f.start)} — ${f.institutionName}`,
        [
          head,
          [
            ru
              ? `Учреждение «${f.institutionName}» приглашает вас на онлайн-консультацию.`
              : `«${f.institutionName}» invites you to an online consultation.`,
          ],
          [t.when(when.full, f.durationMinutes)],
          link,
          [t.prepare],
          [t.contact(f.institutionName)],
          ...tail,
        ],
      );
    case 'reminder':
      return render(ru ? `Напоминание: онлайн-консультация ${short(f.start)}` : `Reminder: online consultation on ${short(f.start)}`, [
        head,
        [
          ru
            ? `Напоминаем о вашей онлайн-консультации в учреждении «${f.institutionName}».`
            : `A reminder of your online consultation with «${f.institutionName}».`,
        ],
        [t.when(when.full, f.durationMinutes)],
        link,
        [t.prepare],
        ...tail,
      ]);
    case 'rescheduled': {
      if (x.newSpecialist) {
        return render(ru ? `Консультация ${short(f.start)}: другой специалист` : `Consultation on ${short(f.start)}: another specialist`, [
          head,
          [
            ru
              ? `Вашу онлайн-консультацию в учреждении «${f.institutionName}» проведёт другой специалист: ${x.newSpecialist}.`
              : `Your online consultation with «${f.institutionName}» will be held by another specialist: ${x.newSpecialist}.`,
          ],
          [ru ? `Время прежнее: ${when.full}.` : `The time stays the same: ${when.full}.`],
          ...(x.reason ? [[ru ? `Причина: ${x.reason}.` : `Reason: ${x.reason}.`]] : []),
          [ru ? 'Ссылка для входа прежняя:' : 'Your link stays the same:', '\n', { link: f.link }],
          [t.contact(f.institutionName)],
          ...tail,
        ]);
      }
      const before = x.previousStart ? formatWhen(x.previousStart, f.timeZone, lang).full : null;
      return render(ru ? `Консультация перенесена на ${short(f.start)}` : `Your consultation is moved to ${short(f.start)}`, [
        head,
        [
          ru
            ? `Ваша онлайн-консультация в учреждении «${f.institutionName}» перенесена.`
            : `Your online consultation with «${f.institutionName}» has been moved.`,
        ],
        [
          ...(before ? [ru ? `Было: ${before}.` : `Was: ${before}.`, '\n'] : []),
          ru ? `Новое время: ${when.full}.` : `New time: ${when.full}.`,
        ],
        ...(x.reason ? [[ru ? `Причина: ${x.reason}.` : `Reason: ${x.reason}.`]] : []),
        [ru ? 'Ссылка для входа прежняя:' : 'Your link stays the same:', '\n', { link: f.link }],
        [t.contact(f.institutionName)],
        ...tail,
      ]);
    }
    case 'cancelled':
      return render(ru ? `Консультация ${short(f.start)} отменена` : `Consultation on ${short(f.start)} cancelled`, [
        head,
        [
          ru
            ? `Онлайн-консультация в учреждении «${f.institutionName}», назначенная на ${when.full}, отменена.`
            : `The online consultation with «${f.institutionName}» planned for ${when.full} has been cancelled.`,
        ],
        ...(x.reason ? [[ru ? `Причина: ${x.reason}.` : `Reason: ${x.reason}.`]] : []),
        [
          ru
            ? `Чтобы договориться о новом времени, обратитесь в учреждение «${f.institutionName}» по телефону или лично.`
            : `To arrange a new time, please contact «${f.institutionName}» by phone or in person.`,
        ],
        ...tail,
      ]);
    case 'feedback':
      return render(
        ru
          ? `Как прошла консультация? Анкета — ${f.institutionName}`
          : `How was your consultation? A short questionnaire — ${f.institutionName}`,
        [
          head,
          [
            ru
              ? `Благодарим вас за участие в онлайн-консультации (${when.full}). Нам важно ваше мнение: оно помогает улучшать помощь.`
              : `Thank you for taking part in the online consultation (${when.full}). Your opinion helps us improve.`,
          ],
          [
            ru ? 'Ссылка на анкету (несколько минут, можно с телефона):' : 'Link to the questionnaire (a few minutes, works on a phone):',
            '\n',
            // The form itself (the link page's /join/<token>/feedback), not the link page.
            { link: `${f.link}/feedback` },
          ],
          ...tail,
        ],
      );
    case 'technical_failure': {
      const next = x.newStart ? formatWhen(x.newStart, f.timeZone, lang).full : null;
      return render(
        ru
          ? `Консультация ${short(f.start)} не состоится в назначенное время`
          : `Consultation on ${short(f.start)} cannot take place as planned`,
        [
          head,
          [
            ru
              ? `К сожалению, у специалиста учреждения «${f.institutionName}» не работает оборудование, и консультация, назначенная на ${when.full}, не может пройти в это время. Приносим извинения.`
              : `Unfortunately, the specialist's equipment at «${f.institutionName}» has failed, and the consultation planned for ${when.full} cannot take place at that time. We apologise.`,
          ],
          next
            ? [
                ru ? `Новое время: ${next}. Ссылка для входа прежняя:` : `New time: ${next}. Your link stays the same:`,
                '\n',
                { link: f.link },
              ]
            : [
                ru
                  ? 'Сотрудники учреждения свяжутся с вами, чтобы договориться о новом времени.'
                  : 'The institution will call you to arrange a new time.',
              ],
          ...tail,
        ],
      );
    }
  }
}

/**
 * The specialist's written answer to a consultation by e-mail. The body is the record (kept
 * with the request) and goes out as written; it is never logged.
 */
export function emailAnswerMessage(
  f: { institutionName: string; displayName: string | null; requestNumber: string | null; body: string },
  lang: MailLang = 'ru',
): MailMessage {
  const t = T[lang];
  const ru = lang === 'ru';
  const about = f.requestNumber ? (ru ? ` (обращение № ${f.requestNumber})` : ` (request no. ${f.requestNumber})`) : '';
  return render(ru ? `Ответ на ваше обращение${about} — ${f.institutionName}` : `Answer to your request${about} — ${f.institutionName}`, [
    [t.hello(f.displayName)],
    [f.body],
    [t.contact(f.institutionName)],
    [t.signature(f.institutionName)],
  ]);
}
