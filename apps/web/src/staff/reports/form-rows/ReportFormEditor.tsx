import { Alert, Badge, Button, Collapse, Group, List, Modal, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ReportFormState } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { errorText } from '../../format.ts';
import { sectionsOf } from '../report-format.ts';
import { draftChanged, draftErrors, labelProblem, type DraftRow } from './form-draft.ts';

// «Форма отчёта» on /reports/settings: the built-in rows (read-only, by section), the rows the
// department added («Удалить»), «Добавить строку» (name and section) and «Сохранить как новую
// версию» — after a confirmation that months already submitted keep their form.

export function ReportFormEditor({ departmentId }: { departmentId: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<ReportFormState | null>(null);
  const [draft, setDraft] = useState<DraftRow[]>([]);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [builtInOpen, setBuiltInOpen] = useState(false);
  const adding = useForm<{ label: string; section: string | null }>({
    initialValues: { label: '', section: 'extra' },
    validate: {
      label: (v, values) => {
        const problem = labelProblem(v, values.section, state, draft);
        return problem ? t(`reportForm.editor.${problem}`) : null;
      },
      section: (v) => (v ? null : t('reportForm.editor.sectionRequired')),
    },
  });

  const show = (s: ReportFormState) => {
    setState(s);
    setDraft(s.added.map((r) => ({ key: r.key, section: r.section, label: r.label })));
    setRowErrors({});
  };
  useEffect(() => {
    api.call('reports.form_get', { departmentId }).then(show, (e: unknown) => setError(errorText(t, e)));
  }, [departmentId]);

  const sectionLabel = (key: string) => state?.sections.find((s) => s.key === key)?.label ?? key;
  const add = adding.onSubmit((values) => {
    setDraft((d) => [...d, { section: values.section as DraftRow['section'], label: values.label.trim() }]);
    adding.setFieldValue('label', '');
  });

  const save = async () => {
    if (!state) return;
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      const saved = await api.call('reports.form_save', { departmentId }, { baseVersion: state.version, rows: draft });
      show(saved);
      notifications.show({ color: 'green', message: t('reportForm.editor.saved', { version: saved.version }) });
    } catch (e) {
      const fields = e instanceof ApiError && e.code === 'bad_request' ? draftErrors(e.details) : null;
      if (fields && Object.keys(fields).length > 0) setRowErrors(fields);
      else setError(e instanceof ApiError && e.code === 'conflict' ? e.message : errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const changed = state !== null && draftChanged(state, draft);

  return (
    <Paper withBorder p="md" radius="md" data-testid="report-form-editor">
      <Stack gap="md">
        <div>
          <Title order={2} size="h3">
            {t('reportForm.editor.title')}
          </Title>
          <Text c="dimmed">
            {state && state.version > 1
              ? t('reportForm.editor.versionLine', { version: state.version })
              : t('reportForm.editor.builtInOnly')}
          </Text>
        </div>
        <Text>{t('reportForm.editor.hint')}</Text>
        {error && (
          <Alert color="red" data-testid="report-form-error">
            {error}
          </Alert>
        )}
        {state && (
          <div>
            <Button
              variant="default"
              size="md"
              w={{ base: '100%', sm: 'auto' }}
              onClick={() => setBuiltInOpen((o) => !o)}
              aria-expanded={builtInOpen}
              aria-controls="report-form-built-in-rows"
              data-testid="report-form-built-in"
            >
              {t(builtInOpen ? 'reportForm.editor.hideBuiltIn' : 'reportForm.editor.builtIn', { count: state.builtIn.length })}
            </Button>
            <Collapse expanded={builtInOpen} id="report-form-built-in-rows">
              <Stack gap="sm" mt="sm">
                {sectionsOf(state.builtIn).map((s) => (
                  <div key={s.section}>
                    <Text fw={600}>{s.label}</Text>
                    <List size="md" spacing={2}>
                      {s.rows.map((r) => (
                        <List.Item key={r.key}>{r.label}</List.Item>
                      ))}
                    </List>
                  </div>
                ))}
              </Stack>
            </Collapse>
          </div>
        )}
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('reportForm.editor.added')}
          </Title>
          {state && draft.length === 0 && <Text c="dimmed">{t('reportForm.editor.noneAdded')}</Text>}
          {draft.map((row, i) => (
            <Paper key={row.key ?? `new-${i}`} withBorder p="sm" radius="md" data-testid={`report-form-row-${i}`}>
              <Group justify="space-between" wrap="wrap" gap="sm">
                <Stack gap={2} style={{ flex: '1 1 220px', minWidth: 0 }}>
                  <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {row.label}
                  </Text>
                  <Group gap="xs">
                    <Badge variant="light" size="lg">
                      {sectionLabel(row.section)}
                    </Badge>
                    {!row.key && (
                      <Badge variant="outline" color="green" size="lg">
                        {t('reportForm.editor.new')}
                      </Badge>
                    )}
                  </Group>
                  {rowErrors[i] && (
                    <Text c="red" size="sm">
                      {rowErrors[i]}
                    </Text>
                  )}
                </Stack>
                <Button
                  variant="default"
                  color="red"
                  size="md"
                  onClick={() => setDraft((d) => d.filter((_, j) => j !== i))}
                  data-testid={`report-form-remove-${i}`}
                >
                  {t('reportForm.editor.remove')}
                </Button>
              </Group>
            </Paper>
          ))}
        </Stack>
        <form onSubmit={add} noValidate>
          <Group align="flex-start" wrap="wrap" gap="sm">
            <TextInput
              size="md"
              label={t('reportForm.editor.label')}
              placeholder={t('reportForm.editor.labelPlaceholder')}
              maxLength={200}
              style={{ flex: '2 1 260px' }}
              disabled={!state}
              data-testid="report-form-label"
              {...adding.getInputProps('label')}
            />
            <Select
              size="md"
              label={t('reportForm.editor.section')}
              data={(state?.sections ?? []).map((s) => ({ value: s.key, label: s.label }))}
              allowDeselect={false}
              style={{ flex: '1 1 200px' }}
              disabled={!state}
              data-testid="report-form-section"
              {...adding.getInputProps('section')}
            />
            <Button
              type="submit"
              size="md"
              variant="light"
              mt={{ base: 0, sm: 28 }}
              w={{ base: '100%', sm: 'auto' }}
              disabled={!state}
              data-testid="report-form-add"
            >
              {t('reportForm.editor.add')}
            </Button>
          </Group>
        </form>
        <Group gap="sm" wrap="wrap">
          <Button
            size="md"
            w={{ base: '100%', sm: 'auto' }}
            // The whole name on a 360 px phone: the label may wrap, the button grows.
            h="auto"
            mih={44}
            styles={{ label: { whiteSpace: 'normal', textAlign: 'center', paddingBlock: 8 } }}
            disabled={!changed}
            loading={busy}
            onClick={() => setConfirming(true)}
            data-testid="report-form-save"
          >
            {t('reportForm.editor.save')}
          </Button>
          {changed && (
            <Button
              size="md"
              variant="subtle"
              w={{ base: '100%', sm: 'auto' }}
              onClick={() => state && show(state)}
              data-testid="report-form-reset"
            >
              {t('reportForm.editor.reset')}
            </Button>
          )}
        </Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('reportForm.editor.confirmTitle')} centered>
        <Stack gap="md">
          <Text>{t('reportForm.editor.confirmBody')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button size="md" variant="default" onClick={() => setConfirming(false)}>
              {t('reportForm.editor.cancel')}
            </Button>
            <Button size="md" onClick={() => void save()} data-testid="report-form-save-confirm">
              {t('reportForm.editor.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
