import { Alert, Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { FeedbackForm } from '@dp/protocol';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n.ts';
import { feedback as ruFeedback } from '../locales/ru.json';
import { AppHeader } from '../ui/AppHeader.tsx';
import bigButton from '../ui/BigButton.module.css';
import { RefreshIcon } from '../ui/icons.tsx';
import { lookUpFeedback, type FeedbackLookup } from './feedback-info.ts';
import { FeedbackFormView } from './FeedbackForm.tsx';
import classes from './JoinPage.module.css';

// The page's Russian comes with its chunk (the link page's entry carries only its own words).
i18n.addResourceBundle('ru', 'translation', { feedback: ruFeedback }, true, false);

/** The institution's date of an instant, e.g. «12 марта 2026 г., 10:00». */
function dateIn(lang: string, timeZone: string, iso: string, withTime = true): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(new Date(iso));
}

/** With whom and when (no client's data: the link's consultation only). */
function About({ form }: { form: FeedbackForm }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  return (
    <Stack gap={4} data-testid="feedback-about">
      <Text size="lg">{t('feedback.when', { when: dateIn(language, form.timeZone, form.startsAt) })}</Text>
      {form.specialist && (
        <Text size="lg">
          {t('feedback.specialist')}{' '}
          <Text span fw={700} inherit>
            {form.specialist.name}
          </Text>
          {form.specialist.title ? `, ${form.specialist.title}` : ''}
        </Text>
      )}
      <Text c="dimmed">{form.institutionName}</Text>
    </Stack>
  );
}

/** «Спасибо!» with until when the answer can be changed, and the way back to it. */
function Thanks({ form, onEdit }: { form: FeedbackForm; onEdit: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const until = form.editableUntil ? dateIn(language, form.timeZone, form.editableUntil) : '';
  return (
    <Stack gap="md" data-testid="feedback-thanks">
      <Alert color="teal" variant="light" role="status">
        <Text size="xl" fw={700}>
          {t('feedback.thanks')}
        </Text>
        <Text size="lg">{t('feedback.thanksText')}</Text>
      </Alert>
      {form.status === 'open' && (
        <Button size="lg" variant="light" fullWidth classNames={bigButton} onClick={onEdit} data-testid="feedback-edit">
          {t('feedback.editUntil', { when: until })}
        </Button>
      )}
    </Stack>
  );
}

/** Why the link gives no form: the same words as the link page. */
function linkProblem(lookup: Exclude<FeedbackLookup, { kind: 'ok' }>): [string, string] {
  switch (lookup.kind) {
    case 'invalid':
      return ['link.invalidTitle', 'errors.invalid_token'];
    case 'revoked':
      return ['link.revokedTitle', 'errors.link_revoked'];
    case 'expired':
      return ['link.expiredTitle', 'errors.link_expired'];
    case 'rate_limited':
      return ['link.rateLimitedTitle', 'errors.rate_limited'];
    default:
      return ['link.unreachableTitle', 'feedback.unreachable'];
  }
}

/**
 * `/join/:token/feedback` — the client's feedback form (анкета), no account: the link is the
 * credential. Reached from the T+65 e-mail, the room's end screen and the link page. One answer
 * per participant, changeable for 7 days. Rendered by main.tsx without the router, like the link page.
 */
export function FeedbackPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const [lookup, setLookup] = useState<FeedbackLookup | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => void lookUpFeedback(token).then(setLookup), [token]);
  useEffect(load, [load]);

  let body: ReactNode = null;
  let title = t('feedback.title');
  if (lookup && lookup.kind !== 'ok') {
    const [head, text] = linkProblem(lookup);
    title = t(head);
    body = (
      <>
        <Text size="lg">{t(text)}</Text>
        {(lookup.kind === 'unreachable' || lookup.kind === 'rate_limited') && (
          <Button size="xl" leftSection={<RefreshIcon />} onClick={load} fullWidth classNames={bigButton}>
            {t('end.retry')}
          </Button>
        )}
      </>
    );
  } else if (lookup?.kind === 'ok') {
    const { form } = lookup;
    const saved = (next: FeedbackForm) => {
      setLookup({ kind: 'ok', form: next });
      setEditing(false);
      window.scrollTo({ top: 0 }); // «Спасибо!» is at the top of the page
    };
    body = (
      <>
        <About form={form} />
        {form.status === 'open' && (!form.answer || editing) && <FeedbackFormView token={token} form={form} onSaved={saved} />}
        {form.answer && !editing && <Thanks form={form} onEdit={() => setEditing(true)} />}
        {form.status === 'closed' && <Text size="lg">{t('feedback.closedText')}</Text>}
        {form.status !== 'open' && form.status !== 'closed' && (
          <Stack gap={4} data-testid="feedback-unavailable">
            <Text size="xl" fw={600}>
              {t(`feedback.status.${form.status}.title`)}
            </Text>
            <Text size="lg">{t(`feedback.status.${form.status}.text`)}</Text>
          </Stack>
        )}
      </>
    );
  }

  return (
    <div className={classes.page}>
      <AppHeader />
      <Container size={620} px="sm" py="xl" component="main" w="100%">
        <Paper
          withBorder
          radius="lg"
          p={{ base: 'md', sm: 'xl' }}
          shadow="xs"
          data-testid="feedback-page"
          data-status={lookup?.kind === 'ok' ? lookup.form.status : (lookup?.kind ?? 'loading')}
        >
          <Stack gap="lg">
            <Title order={1}>{title}</Title>
            {lookup === null ? <Text size="lg">{t('feedback.loading')}</Text> : body}
          </Stack>
        </Paper>
      </Container>
    </div>
  );
}
