import { Alert, Button, Checkbox, Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { RefusalGround, type JournalRequest } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { serverFieldErrors } from './field-errors.ts';

// The row actions' dialogs: «Отказать» (one of the two grounds and a note) and «Результат».

function useSave(onDone: (r: JournalRequest) => void) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (work: () => Promise<JournalRequest>, onFields: (fields: Record<string, string>) => boolean) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await work());
    } catch (e) {
      const fields = serverFieldErrors(e);
      if (!fields || !onFields(fields)) setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, save };
}

function ErrorAlert({ error }: { error: string | null }) {
  return error ? (
    <Alert color="red" variant="light" role="alert">
      <Text>{error}</Text>
    </Alert>
  ) : null;
}

export function RefuseForm({
  institutionId,
  request,
  onCancel,
  onDone,
}: {
  institutionId: string;
  request: JournalRequest;
  onCancel: () => void;
  onDone: (r: JournalRequest) => void;
}) {
  const { t } = useTranslation();
  const { busy, error, save } = useSave(onDone);
  const form = useForm<{ ground: string; note: string }>({
    initialValues: { ground: '', note: '' },
    validate: {
      ground: (v) => (v === '' ? t('requests.validation.ground') : null),
      note: (v) => (v.trim().length > 4000 ? t('requests.validation.tooLong', { count: 4000 }) : null),
    },
  });
  const submit = (v: { ground: string; note: string }) => {
    const ground = RefusalGround.safeParse(v.ground);
    if (!ground.success) return;
    void save(
      () =>
        api.call(
          'requests.update',
          { institutionId, requestId: request.id },
          { status: 'refused', refusalGround: ground.data, ...(v.note.trim() ? { result: v.note.trim() } : {}) },
        ),
      (fields) => {
        if ('refusalGround' in fields) form.setFieldError('ground', t('requests.validation.ground'));
        if ('result' in fields) form.setFieldError('note', t('requests.validation.field'));
        return 'refusalGround' in fields || 'result' in fields;
      },
    );
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate data-testid="refuse-form">
      <Stack gap="md">
        <ErrorAlert error={error} />
        <Radio.Group label={t('requests.refuse.ground')} withAsterisk {...form.getInputProps('ground')}>
          <Stack gap="sm" mt="xs">
            {RefusalGround.options.map((g) => (
              <Radio key={g} value={g} size="md" label={t(`requests.ground.${g}`)} data-testid={`refuse-ground-${g}`} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea
          label={t('requests.refuse.note')}
          size="md"
          autosize
          minRows={3}
          data-testid="refuse-note"
          {...form.getInputProps('note')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="md" onClick={onCancel}>
            {t('requests.form.cancel')}
          </Button>
          <Button type="submit" color="red" size="md" loading={busy} data-testid="refuse-save">
            {t('requests.refuse.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ResultForm({
  institutionId,
  request,
  onCancel,
  onDone,
}: {
  institutionId: string;
  request: JournalRequest;
  onCancel: () => void;
  onDone: (r: JournalRequest) => void;
}) {
  const { t } = useTranslation();
  const { busy, error, save } = useSave(onDone);
  const canComplete = request.status !== 'completed' && request.status !== 'refused' && request.status !== 'withdrawn';
  const form = useForm<{ result: string; complete: boolean }>({
    initialValues: { result: request.result ?? '', complete: false },
    validate: { result: (v) => (v.trim().length > 4000 ? t('requests.validation.tooLong', { count: 4000 }) : null) },
  });
  const submit = (v: { result: string; complete: boolean }) =>
    void save(
      () =>
        api.call(
          'requests.update',
          { institutionId, requestId: request.id },
          {
            result: v.result.trim() === '' ? null : v.result.trim(),
            ...(v.complete && canComplete ? { status: 'completed' as const } : {}),
          },
        ),
      (fields) => {
        if (!('result' in fields)) return false;
        form.setFieldError('result', t('requests.validation.field'));
        return true;
      },
    );
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate data-testid="result-form">
      <Stack gap="md">
        <ErrorAlert error={error} />
        <Textarea
          label={t('requests.result.text')}
          size="md"
          autosize
          minRows={4}
          data-autofocus
          data-testid="result-text"
          {...form.getInputProps('result')}
        />
        {canComplete && (
          <Checkbox
            label={t('requests.result.complete')}
            size="md"
            data-testid="result-complete"
            {...form.getInputProps('complete', { type: 'checkbox' })}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="md" onClick={onCancel}>
            {t('requests.form.cancel')}
          </Button>
          <Button type="submit" size="md" loading={busy} data-testid="result-save">
            {t('requests.result.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
