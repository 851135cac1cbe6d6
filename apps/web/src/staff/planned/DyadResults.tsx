import { Button, Group, Modal, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { RehabilitationDynamics, type Dyad, type DyadEvaluation, type MotivationLevel } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText, formatDateTime } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { ERROR_STYLES } from '../webinars/webinar-form.ts';
import { FormActions } from './FormActions.tsx';

// «Итоги программы» on a dyad's card: the dynamics of the rehabilitation process and each
// family's motivation at the end of the plan (saved again = replaced; who and when shown).

const NOTE_MAX = 4000;

export function DyadResults({ institutionId, dyad }: { institutionId: string; dyad: Dyad }) {
  const { t, i18n } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [evaluation, setEvaluation] = useState<DyadEvaluation | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let live = true;
    api.call('dyads.evaluation', { institutionId, dyadId: dyad.id }).then(
      (v) => live && setEvaluation(v.evaluation),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [institutionId, dyad.id]);

  return (
    <Stack gap={4} data-testid="dyad-results">
      {evaluation && (
        <Text size="sm" data-testid="dyad-results-summary">
          {t('planned.evaluation.summary', { dynamics: t(`planned.evaluation.dynamicsValues.${evaluation.dynamics}`) })} ·{' '}
          {t('planned.evaluation.savedBy', {
            when: formatDateTime(evaluation.evaluatedAt, i18n.language),
            name: evaluation.evaluatedBy.displayName,
          })}
        </Text>
      )}
      <Group>
        <Button size="md" variant="default" onClick={() => setOpen(true)} data-testid="dyad-results-open">
          {t('planned.evaluation.open')}
        </Button>
      </Group>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        size="lg"
        centered
        fullScreen={phone}
        title={t('planned.evaluation.title')}
        closeButtonProps={{ 'aria-label': t('planned.close') }}
      >
        {open && (
          <ResultsForm
            institutionId={institutionId}
            dyad={dyad}
            evaluation={evaluation}
            onCancel={() => setOpen(false)}
            onSaved={(v) => {
              setEvaluation(v);
              setOpen(false);
              notifications.show({
                color: 'teal',
                message: t('planned.evaluation.saved'),
                closeButtonProps: { 'aria-label': t('planned.close') },
              });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

function ResultsForm({
  institutionId,
  dyad,
  evaluation,
  onCancel,
  onSaved,
}: {
  institutionId: string;
  dyad: Dyad;
  evaluation: DyadEvaluation | null;
  onCancel: () => void;
  onSaved: (v: DyadEvaluation) => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [dynamics, setDynamics] = useState<RehabilitationDynamics | null>(evaluation?.dynamics ?? null);
  const [note, setNote] = useState(evaluation?.dynamicsNote ?? '');
  const [motivation, setMotivation] = useState<[MotivationLevel, MotivationLevel]>(
    evaluation?.motivationEnd ?? [dyad.members[0].motivation, dyad.members[1].motivation],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const local: Record<string, string> = {};
    if (!dynamics) local.dynamics = t('planned.errors.required');
    if (note.length > NOTE_MAX) local.dynamicsNote = t('planned.errors.tooLong');
    setErrors(local);
    if (Object.keys(local).length > 0 || !dynamics) return;
    setBusy(true);
    setFailure(null);
    try {
      const saved = await api.call(
        'dyads.evaluate',
        { institutionId, dyadId: dyad.id },
        { dynamics, motivationEnd: motivation, ...(note.trim() ? { dynamicsNote: note.trim() } : {}) },
      );
      onSaved(saved);
    } catch (e) {
      const fields = serverFieldErrors(e);
      if (fields) setErrors(Object.fromEntries(Object.keys(fields).map((k) => [k.split('.')[0]!, t('planned.errors.invalid')])));
      else setFailure(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const levels = (['low', 'high'] as const).map((l) => ({ value: l, label: t(`planned.evaluation.motivation.${l}`) }));

  return (
    <Stack gap="md" data-testid="dyad-results-form">
      <div role="group" aria-labelledby="dyad-dynamics-label">
        <Text fw={700} id="dyad-dynamics-label" mb={4}>
          {t('planned.evaluation.dynamics')}
        </Text>
        <SegmentedControl
          size="md"
          fullWidth
          orientation={phone ? 'vertical' : 'horizontal'}
          data={RehabilitationDynamics.options.map((d) => ({ value: d, label: t(`planned.evaluation.dynamicsValues.${d}`) }))}
          value={dynamics ?? ''}
          onChange={(v) => setDynamics(v as RehabilitationDynamics)}
          data-testid="dyad-dynamics"
        />
        {errors.dynamics && (
          <Text c="red.9" size="sm" role="alert" mt={4}>
            {errors.dynamics}
          </Text>
        )}
      </div>
      <Textarea
        size="md"
        label={t('planned.evaluation.note')}
        autosize
        minRows={3}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        error={errors.dynamicsNote}
        styles={ERROR_STYLES}
        data-testid="dyad-dynamics-note"
      />
      {dyad.members.map((m, i) => (
        <div key={m.clientId} role="group" aria-labelledby={`dyad-motivation-${i}`}>
          <Text fw={700} id={`dyad-motivation-${i}`} style={{ overflowWrap: 'anywhere' }}>
            {t('planned.evaluation.motivationEnd', { name: m.displayName })}
          </Text>
          <Text size="sm" c="gray.7" mb={4}>
            {t('planned.evaluation.motivationStart', { level: t(`planned.evaluation.motivation.${m.motivation}`) })}
          </Text>
          <SegmentedControl
            size="md"
            data={levels}
            value={motivation[i]!}
            onChange={(v) => setMotivation((cur) => (i === 0 ? [v as MotivationLevel, cur[1]] : [cur[0], v as MotivationLevel]))}
            data-testid={`dyad-motivation-end-${i}`}
          />
          {errors.motivationEnd && (
            <Text c="red.9" size="sm" role="alert">
              {errors.motivationEnd}
            </Text>
          )}
        </div>
      ))}
      <FormActions failure={failure} busy={busy} onCancel={onCancel} onSave={() => void save()} saveTestId="dyad-results-save" />
    </Stack>
  );
}
