import { Alert, Button, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { grantOf, type Registry, type RegistryEntry, type StaffRole } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';

// The group registry (реестр участников группового консультирования) on the consultation page
// of a webinar: the room filled it (who was let in, for how many minutes, how many times); the
// host adds a note per participant; «Скачать Excel» gives the registry as a file.

const NOTE_MAX = 1000;

function NoteEditor({
  consultationId,
  entry,
  onSaved,
  onCancel,
}: {
  consultationId: string;
  entry: RegistryEntry;
  onSaved: (e: RegistryEntry) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [saving, setSaving] = useState(false);
  const form = useForm({
    initialValues: { note: entry.note ?? '' },
    validate: { note: (v) => (v.length > NOTE_MAX ? t('journal.registry.noteTooLong', { max: NOTE_MAX }) : null) },
  });
  const save = form.onSubmit(async ({ note }) => {
    setSaving(true);
    try {
      onSaved(await api.call('consultations.registry_note', { consultationId, participantId: entry.participantId }, { note: note.trim() }));
    } catch (e) {
      const fields = serverFieldErrors(e);
      form.setFieldError('note', fields?.note ? t('journal.registry.noteInvalid') : errorText(t, e));
    } finally {
      setSaving(false);
    }
  });
  return (
    <form onSubmit={save}>
      <Group gap="xs" align="flex-start" wrap="wrap">
        <TextInput
          size="md"
          flex="1 1 240px"
          aria-label={t('journal.registry.noteFor', { name: entry.label || t('journal.anonymous') })}
          maxLength={NOTE_MAX}
          autoFocus
          {...form.getInputProps('note')}
          data-testid="registry-note-input"
        />
        <Button size="md" type="submit" loading={saving} data-testid="registry-note-save">
          {t('journal.registry.save')}
        </Button>
        <Button size="md" variant="default" onClick={onCancel}>
          {t('journal.registry.cancel')}
        </Button>
      </Group>
    </form>
  );
}

export function RegistrySection({ consultationId, role }: { consultationId: string; role: StaffRole }) {
  const { t } = useTranslation();
  const [registry, setRegistry] = useState<Registry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const canNote = grantOf('consultations.registry_note', role) !== null;
  const canExport = grantOf('consultations.registry_export', role) !== null;
  const phone = useMediaQuery('(max-width: 48em)') ?? false;

  const load = useCallback(async () => {
    try {
      setRegistry(await api.call('consultations.registry', { consultationId }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [consultationId, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const saved = (entry: RegistryEntry) => {
    setEditing(null);
    setRegistry((r) => r && { ...r, participants: r.participants.map((p) => (p.participantId === entry.participantId ? entry : p)) });
  };

  const noteCell = (p: RegistryEntry) =>
    editing === p.participantId ? (
      <NoteEditor consultationId={consultationId} entry={p} onSaved={saved} onCancel={() => setEditing(null)} />
    ) : (
      <Group gap="xs" wrap="wrap">
        {p.note && <Text data-testid="registry-note">{p.note}</Text>}
        {canNote && (
          <Button
            size="md"
            variant="subtle"
            onClick={() => setEditing(p.participantId)}
            aria-label={`${p.note ? t('journal.registry.edit') : t('journal.registry.add')}: ${p.label || t('journal.anonymous')}`}
            data-testid="registry-note-edit"
          >
            {p.note ? t('journal.registry.edit') : t('journal.registry.add')}
          </Button>
        )}
      </Group>
    );

  return (
    <Paper withBorder radius="md" p="md" component="section" data-testid="consultation-registry">
      <Stack gap="sm">
        <Group justify="space-between" gap="sm">
          <Title order={2} size="h3">
            {t('journal.registry.title')}
          </Title>
          {canExport && registry && registry.participants.length > 0 && (
            <Button
              component="a"
              size="md"
              variant="light"
              href={api.href('consultations.registry_export', { consultationId }, { format: 'xlsx' })}
              download
              data-testid="registry-download"
            >
              {t('journal.downloadXlsx')}
            </Button>
          )}
        </Group>
        {error && (
          <Alert color="red" variant="light" role="alert">
            <Text>{error}</Text>
          </Alert>
        )}
        {!registry && !error && <Loader size="sm" aria-label={t('journal.loading')} />}
        {registry && registry.participants.length === 0 && <Text c="gray.7">{t('journal.registry.empty')}</Text>}
        {registry && registry.participants.length > 0 && phone && (
          <Stack gap="xs" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {registry.participants.map((p) => (
              <Paper key={p.participantId} component="li" withBorder radius="md" p="sm" data-testid="registry-row">
                <Stack gap={4}>
                  <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {p.label || t('journal.anonymous')}
                  </Text>
                  <Text size="sm" c="gray.7">
                    {t(`journal.registry.role.${p.role}`)} · {t('journal.registry.minutes')}: {p.minutesPresent} ·{' '}
                    {t('journal.registry.visits')}: {p.visits}
                  </Text>
                  {noteCell(p)}
                </Stack>
              </Paper>
            ))}
          </Stack>
        )}
        {registry && registry.participants.length > 0 && !phone && (
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('journal.registry.name')}</Table.Th>
                  <Table.Th>{t('journal.registry.minutes')}</Table.Th>
                  <Table.Th visibleFrom="sm">{t('journal.registry.visits')}</Table.Th>
                  <Table.Th>{t('journal.registry.note')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {registry.participants.map((p) => (
                  <Table.Tr key={p.participantId} data-testid="registry-row">
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      {p.label || t('journal.anonymous')}
                      <Text size="sm" c="gray.7">
                        {t(`journal.registry.role.${p.role}`)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{p.minutesPresent}</Table.Td>
                    <Table.Td visibleFrom="sm">{p.visits}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }} miw={160}>
                      {noteCell(p)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}
