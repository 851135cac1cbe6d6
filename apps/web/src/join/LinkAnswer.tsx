import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import type { LinkInfo } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { calendarHref, sendAnswer } from './link-info.ts';
// The note's field (Input) on the link page, which loads Mantine's sheets per component.
import '@mantine/core/styles/Input.css';

/** Long labels wrap on a 360 px phone instead of being cut. */
const WRAP = {
  root: { height: 'auto', minHeight: 50, paddingBlock: 8 },
  label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.3 },
} as const;

type Answer = NonNullable<LinkInfo['consultation']['answer']>;

/**
 * Under an upcoming consultation: the calendar file for the phone, and «Не смогу прийти /
 * нужно другое время» — the family's answer reaches the specialist and the head, who phone back.
 */
export function LinkAnswer({ token, answer }: { token: string; answer: Answer | null }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [sent, setSent] = useState<Answer | null>(answer);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (kind: Answer['kind']) => {
    setSending(true);
    setError(null);
    const r = await sendAnswer(token, kind, note);
    setSending(false);
    if (r === 'rate_limited') setError(t('errors.rate_limited'));
    else if (r === 'failed') setError(t('consultation.client.answerFailed'));
    else {
      setSent(r);
      setOpen(false);
    }
  };

  return (
    <Stack gap="sm">
      <Button
        component="a"
        href={calendarHref(token)}
        download="consultation.ics"
        size="lg"
        variant="default"
        styles={WRAP}
        data-testid="link-ics"
      >
        {t('consultation.client.ics')}
      </Button>
      {sent && (
        <Alert color="teal" variant="light" role="status" data-testid="link-answer-sent">
          <Text>{t(`consultation.client.sent.${sent.kind}`)}</Text>
        </Alert>
      )}
      {!open && (
        <Button size="lg" variant="subtle" styles={WRAP} onClick={() => setOpen(true)} data-testid="link-cannot-come">
          {sent ? t('consultation.client.answerAgain') : t('consultation.client.cannotCome')}
        </Button>
      )}
      {open && (
        <Stack gap="sm" data-testid="link-answer-form">
          <Textarea
            label={t('consultation.client.noteLabel')}
            description={t('consultation.client.noteHint')}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            size="md"
            data-testid="link-answer-note"
          />
          <Group gap="sm" grow wrap="wrap">
            <Button
              size="lg"

              loading={sending}
              onClick={() => void send('cannot_come')}
              data-testid="link-answer-cannot-come"
            >
              {t('consultation.client.kind.cannot_come')}
            </Button>
            <Button
              size="lg"
              variant="light"
              loading={sending}
              onClick={() => void send('other_time')}
              data-testid="link-answer-other-time"
            >
              {t('consultation.client.kind.other_time')}
            </Button>
          </Group>
          <Button size="md" variant="default" onClick={() => setOpen(false)}>
            {t('consultation.client.answerCancel')}
          </Button>
        </Stack>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
    </Stack>
  );
}
