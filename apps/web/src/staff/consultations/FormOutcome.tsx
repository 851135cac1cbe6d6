import { Alert, Button, Group, NumberInput, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { EMAIL_ANSWER_MAX, grantOf, type ConsultationDetail, type EmailAnswerView } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { useSignedIn } from '../session.tsx';
import staffClasses from '../staff.module.css';
import { serverNow } from '../../app/server-time.ts';

/**
 * The telephone and e-mail forms on the consultation page: by telephone, the number to call
 * and «Состоялась / Не дозвонились» with the actual duration from the booked time on; by
 * e-mail, the answer to write and send, and the answers kept.
 */
export function FormOutcome({ c, onChanged }: { c: ConsultationDetail; onChanged: () => void }) {
  if (c.form === 'phone') return <PhoneOutcome c={c} onChanged={onChanged} />;
  if (c.form === 'email') return <EmailAnswer c={c} onChanged={onChanged} />;
  return null;
}

function Frame({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" data-testid={testId}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function PhoneOutcome({ c, onChanged }: { c: ConsultationDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState<'held' | 'not_reached' | null>(null);
  const form = useForm<{ actualMinutes: number | string }>({
    initialValues: { actualMinutes: c.durationMinutes },
    validate: {
      actualMinutes: (v) =>
        typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 60 ? null : t('consultationForms.minutesError'),
    },
  });
  const mayRecord = grantOf('consultations.phone_outcome', session.user.role) !== null;
  const due = new Date(serverNow()).getTime() >= new Date(c.start).getTime();

  const record = async (outcome: 'held' | 'not_reached') => {
    if (outcome === 'held' && form.validate().hasErrors) return;
    setSaving(outcome);
    setError(null);
    try {
      const body = outcome === 'held' ? { outcome, actualMinutes: Number(form.values.actualMinutes) } : { outcome };
      await api.call('consultations.phone_outcome', { consultationId: c.id }, body);
      onChanged();
    } catch (e) {
      if (serverFieldErrors(e)?.actualMinutes) form.setFieldError('actualMinutes', t('consultationForms.minutesError'));
      else setError(errorText(t, e));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Frame title={t('consultationForms.phoneTitle')} testId="phone-outcome">
      <Text size="lg" data-testid="phone-number" className={staffClasses.wrap}>
        {c.clientPhone ? t('consultationForms.callNumber', { phone: c.clientPhone }) : t('consultationForms.noPhone')}
      </Text>
      {c.state !== 'planned' ? (
        <Text data-testid="phone-outcome-done">
          {c.state === 'ended' && c.startedAt && c.endedAt
            ? t('consultationForms.heldFor', {
                count: Math.round((new Date(c.endedAt).getTime() - new Date(c.startedAt).getTime()) / 60_000),
              })
            : t(`staff.states.${c.state}`)}
        </Text>
      ) : !mayRecord ? null : !due ? (
        <Text c="gray.7">{t('consultationForms.notYet')}</Text>
      ) : (
        <Stack gap="sm">
          <NumberInput
            size="md"
            maw={340}
            min={1}
            max={60}
            label={t('consultationForms.actualMinutes')}
            {...form.getInputProps('actualMinutes')}
            data-testid="phone-actual-minutes"
          />
          <Group gap="sm">
            <Button size="lg" loading={saving === 'held'} onClick={() => void record('held')} data-testid="phone-outcome-held">
              {t('consultationForms.held')}
            </Button>
            <Button
              size="lg"
              variant="outline"
              loading={saving === 'not_reached'}
              onClick={() => void record('not_reached')}
              data-testid="phone-outcome-not-reached"
            >
              {t('consultationForms.notReached')}
            </Button>
          </Group>
        </Stack>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </Frame>
  );
}

function EmailAnswer({ c, onChanged }: { c: ConsultationDetail; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const [answers, setAnswers] = useState<EmailAnswerView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm({
    initialValues: { body: '' },
    validate: { body: (v) => (v.trim() ? null : t('consultationForms.answerEmpty')) },
  });
  const reads = grantOf('consultations.email_answers', session.user.role) !== null;
  const writes = grantOf('consultations.email_answer', session.user.role) !== null && c.state === 'planned';

  useEffect(() => {
    if (!reads) return;
    let live = true;
    api.call('consultations.email_answers', { consultationId: c.id }).then(
      (r) => live && setAnswers(r.answers),
      (e: unknown) => live && setError(errorText(t, e)),
    );
    return () => {
      live = false;
    };
  }, [c.id, c.state, reads, t]);

  const submit = form.onSubmit(async ({ body }) => {
    setSaving(true);
    setError(null);
    try {
      const sent = await api.call('consultations.email_answer', { consultationId: c.id }, { body });
      if (sent.status !== 'sent') setError(t('consultationForms.answerFailed'));
      else form.reset();
      onChanged();
    } catch (e) {
      if (serverFieldErrors(e)?.body) form.setFieldError('body', t('consultationForms.answerEmpty'));
      else setError(errorText(t, e));
    } finally {
      setSaving(false);
    }
  });
  const when = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, {
      timeZone: c.timeZone,
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(iso));
  const to = c.participants.find((p) => p.staffUserId === null && p.email)?.email ?? null;

  return (
    <Frame title={t('consultationForms.emailTitle')} testId="email-answer">
      {answers?.map((a) => (
        <Stack key={a.id} gap={2} data-testid={a.status === 'sent' ? 'email-answer-sent' : 'email-answer-failed'}>
          <Text size="sm" c={a.status === 'sent' ? 'teal.9' : 'red.9'} fw={600}>
            {a.status === 'sent' && a.sentAt
              ? t('consultationForms.sentAt', { when: when(a.sentAt), to: a.toAddress, name: a.authorName })
              : t('consultationForms.notSent', { when: when(a.createdAt), to: a.toAddress })}
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap' }} className={staffClasses.wrap}>
            {a.body}
          </Text>
        </Stack>
      ))}
      {writes && (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text className={staffClasses.wrap}>{to ? t('consultationForms.answerTo', { to }) : t('consultationForms.noEmail')}</Text>
            <Textarea
              size="md"
              autosize
              minRows={6}
              maxLength={EMAIL_ANSWER_MAX}
              label={t('consultationForms.answer')}
              {...form.getInputProps('body')}
              data-testid="email-answer-text"
            />
            <Group>
              <Button type="submit" size="lg" loading={saving} disabled={!to} data-testid="email-answer-send">
                {t('consultationForms.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </Frame>
  );
}
