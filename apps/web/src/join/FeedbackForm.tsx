import { Alert, Button, Group, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { FeedbackAnswer, FeedbackForm as Form } from '@dp/protocol';
import { FEEDBACK_CRITERIA, FEEDBACK_TEXT_MAX, type FeedbackCriterion } from '@dp/protocol/link-page';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import bigButton from '../ui/BigButton.module.css';
import { sendFeedback } from './feedback-info.ts';
// The texts' fields (Input): the link page's bundle loads Mantine's sheets per component.
import '@mantine/core/styles/Input.css';

const SCORES = ['1', '2', '3', '4', '5'];
const PREFERENCES = ['more_practice', 'more_theory', 'enough'] as const;

/** Each of the five marks a 48 px target at least, on a 360 px phone too. */
const SCORE_STYLES = {
  root: { width: '100%' },
  label: { minHeight: 48, display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 20, fontWeight: 700 },
} as const;
const PREFERENCE_STYLES = {
  root: { width: '100%' },
  label: { minHeight: 48, display: 'flex', alignItems: 'center', justifyContent: 'center', whiteSpace: 'normal', lineHeight: 1.25 },
} as const;

interface Values {
  scores: Record<FeedbackCriterion, string>;
  preference: string;
  impressions: string;
  wishes: string;
}

function initial(answer: FeedbackAnswer | null): Values {
  const scores = Object.fromEntries(FEEDBACK_CRITERIA.map((c) => [c, answer ? String(answer[c]) : ''])) as Values['scores'];
  return { scores, preference: answer?.preference ?? '', impressions: answer?.impressions ?? '', wishes: answer?.wishes ?? '' };
}

/** One criterion: its words, the meaning of 1 and 5, and five large marks. */
function Criterion({
  name,
  error,
  value,
  onChange,
}: {
  name: FeedbackCriterion;
  error?: ReactNode;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <Stack gap={6} data-testid={`feedback-${name}`}>
      <Text id={id} size="lg" fw={600}>
        {t(`feedback.criteria.${name}`)}
      </Text>
      <SegmentedControl
        data={SCORES}
        size="lg"
        radius="md"
        color="var(--mantine-primary-color-filled)"
        aria-labelledby={id}
        styles={SCORE_STYLES}
        value={value}
        onChange={onChange}
      />
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" c="dimmed">
          {t('feedback.low')}
        </Text>
        <Text size="sm" c="dimmed" ta="right">
          {t('feedback.high')}
        </Text>
      </Group>
      {error && (
        <Text c="red.8" size="sm" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The seven criteria, «больше практики / больше теории / достаточно», impressions and wishes,
 * «Отправить». Told back the saved form (with until when it may be changed) or why not.
 */
export function FeedbackFormView({ token, form: saved, onSaved }: { token: string; form: Form; onSaved: (form: Form) => void }) {
  const { t } = useTranslation();
  const preferenceId = useId();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: initial(saved.answer),
    // A note about missing marks goes once they are given.
    onValuesChange: () => setProblem(null),
    validate: {
      scores: Object.fromEntries(FEEDBACK_CRITERIA.map((c) => [c, (v: string) => (v ? null : t('feedback.required'))])) as never,
      impressions: (v) => (v.length > FEEDBACK_TEXT_MAX ? t('feedback.tooLong') : null),
      wishes: (v) => (v.length > FEEDBACK_TEXT_MAX ? t('feedback.tooLong') : null),
    },
  });

  const submit = async (v: Values) => {
    setSending(true);
    setProblem(null);
    const r = await sendFeedback(token, {
      ...(Object.fromEntries(FEEDBACK_CRITERIA.map((c) => [c, Number(v.scores[c])])) as Record<FeedbackCriterion, number>),
      preference: (v.preference || null) as FeedbackAnswer['preference'],
      impressions: v.impressions.trim() || null,
      wishes: v.wishes.trim() || null,
    });
    setSending(false);
    if (r.kind === 'ok') onSaved(r.form);
    else if (r.kind === 'fields') {
      for (const f of r.fields)
        form.setFieldError(FEEDBACK_CRITERIA.includes(f as FeedbackCriterion) ? `scores.${f}` : f, t('feedback.badField'));
      setProblem(t('feedback.checkFields'));
    } else if (r.kind === 'closed') setProblem(t('feedback.closedText'));
    else if (r.kind === 'rate_limited') setProblem(t('errors.rate_limited'));
    else if (r.kind === 'revoked') setProblem(t('errors.link_revoked'));
    else if (r.kind === 'expired') setProblem(t('errors.link_expired'));
    else if (r.kind === 'invalid') setProblem(t('errors.invalid_token'));
    else setProblem(t('feedback.sendFailed'));
  };

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(
        (v) => void submit(v),
        () => setProblem(t('feedback.missing')),
      )}
      data-testid="feedback-form"
    >
      <Stack gap="lg">
        <Text size="lg">{t('feedback.intro')}</Text>
        {FEEDBACK_CRITERIA.map((c) => (
          <Criterion
            key={c}
            name={c}
            value={form.values.scores[c]}
            onChange={(v) => form.setFieldValue(`scores.${c}`, v)}
            error={form.errors[`scores.${c}`]}
          />
        ))}
        <Stack gap={6} data-testid="feedback-preference">
          <Title order={2} size="h4" id={preferenceId}>
            {t('feedback.preference')}
          </Title>
          <SegmentedControl
            data={PREFERENCES.map((p) => ({ value: p, label: t(`feedback.preferences.${p}`) }))}
            orientation="vertical"
            size="md"
            radius="md"
            color="var(--mantine-primary-color-filled)"
            fullWidth
            aria-labelledby={preferenceId}
            styles={PREFERENCE_STYLES}
            {...form.getInputProps('preference')}
          />
        </Stack>
        <Textarea
          label={t('feedback.impressions')}
          description={t('feedback.optional')}
          autosize
          minRows={3}
          size="md"
          maxLength={FEEDBACK_TEXT_MAX}
          data-testid="feedback-impressions"
          {...form.getInputProps('impressions')}
        />
        <Textarea
          label={t('feedback.wishes')}
          description={t('feedback.optional')}
          autosize
          minRows={3}
          size="md"
          maxLength={FEEDBACK_TEXT_MAX}
          data-testid="feedback-wishes"
          {...form.getInputProps('wishes')}
        />
        {problem && (
          <Alert color="red" variant="light" role="alert" data-testid="feedback-problem">
            <Text>{problem}</Text>
          </Alert>
        )}
        <Button type="submit" size="xl" fullWidth loading={sending} classNames={bigButton} data-testid="feedback-send">
          {saved.answer ? t('feedback.sendChange') : t('feedback.send')}
        </Button>
      </Stack>
    </form>
  );
}
