import { Alert, Button, Group, Loader, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { ConsultationNote, Registry, RegistryEntry } from '@dp/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../staff/format.ts';
import { RefreshIcon } from '../ui/icons.tsx';
import { ProtocolPanel } from '../staff/protocol/ProtocolPanel.tsx';
import { recordsApi, staffSession, type Resource } from './staff-records.ts';
import classes from './SidePanel.module.css';

function useDateTime() {
  const { i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  return (iso: string) => fmt.format(new Date(iso));
}

function Loading<T>({
  resource,
  onRetry,
  children,
}: {
  resource: Resource<T>;
  onRetry: () => void;
  children: (data: T) => React.ReactNode;
}) {
  const { t } = useTranslation();
  if (resource.status === 'loading') return <Loader size="sm" aria-label={t('staff.loading')} />;
  if (resource.status === 'error') {
    return (
      <Alert color="orange" variant="light">
        <Stack gap="xs">
          <Text>{errorText(t, resource.error)}</Text>
          <Button variant="light" size="compact-md" onClick={onRetry} style={{ alignSelf: 'flex-start' }}>
            {t('staff.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (resource.status === 'hidden') return null;
  return <>{children(resource.data)}</>;
}

/** The curator's (or specialist's) private notes on this consultation: the others never see them. */
export function NotesPanel({
  consultationId,
  resource,
  onReload,
  onReplace,
}: {
  consultationId: string;
  resource: Resource<ConsultationNote[]>;
  onReload: () => void;
  onReplace: (notes: ConsultationNote[]) => void;
}) {
  const { t } = useTranslation();
  const when = useDateTime();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const text = body.trim();
    if (!text || busy) return;
    setBusy(true);
    setError(null);
    try {
      const note = await recordsApi.addNote(consultationId, text);
      onReplace([...(resource.status === 'ready' ? resource.data : []), note]);
      setBody('');
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={classes.section} data-testid="notes">
      <Text size="sm" c="gray.7" className={classes.note}>
        {t('room.notes.private')}
      </Text>
      <Loading resource={resource} onRetry={onReload}>
        {(notes) =>
          notes.length === 0 ? (
            <Text c="gray.7">{t('room.notes.empty')}</Text>
          ) : (
            <ul className={classes.messages}>
              {notes.map((n) => (
                <li key={n.id} className={classes.message} data-testid="note">
                  <div className={classes.messageHead}>
                    <span className={classes.author}>{n.authorName}</span>
                    <span className={classes.time}>{when(n.createdAt)}</span>
                  </div>
                  <p className={classes.messageText}>{n.body}</p>
                </li>
              ))}
            </ul>
          )
        }
      </Loading>
      <form onSubmit={(e) => void save(e)} className={classes.materialForm}>
        <Stack gap="xs">
          <Textarea
            data-testid="note-input"
            label={t('room.notes.newLabel')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value.slice(0, 4000))}
            autosize
            minRows={2}
            maxRows={8}
            error={error}
          />
          <Button type="submit" data-testid="note-save" loading={busy} disabled={!body.trim()}>
            {t('room.notes.save')}
          </Button>
        </Stack>
      </form>
      {/* The protocol, filled while the room is open (hidden when the server does not let this person read it). */}
      <div className={classes.materialForm} data-testid="room-protocol">
        <ProtocolPanel consultationId={consultationId} compact beforeWrite={staffSession} />
      </div>
    </div>
  );
}

function RegistryRow({
  consultationId,
  entry,
  onSaved,
}: {
  consultationId: string;
  entry: RegistryEntry;
  onSaved: (e: RegistryEntry) => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState(entry.note ?? '');
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  const dirty = note.trim() !== (entry.note ?? '');
  const name = entry.label.trim() || t(`room.roles.${entry.role}`);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setState('saving');
    setError(null);
    try {
      const saved = await recordsApi.saveRegistryNote(consultationId, entry.participantId, note.trim());
      onSaved(saved);
      setState('saved');
    } catch (err) {
      setError(errorText(t, err));
      setState('idle');
    }
  };

  return (
    <li className={classes.row} data-testid="registry-row" data-participant-id={entry.participantId}>
      <div className={classes.rowHead}>
        <Text fw={650} className={classes.name}>
          {name}
        </Text>
        <span className={classes.role}>{t(`room.roles.${entry.role}`)}</span>
      </div>
      <Text size="sm">
        {entry.visits === 0
          ? t('room.registry.notYet')
          : t('room.registry.presence', { minutes: entry.minutesPresent, visits: entry.visits })}
      </Text>
      <form onSubmit={(e) => void save(e)}>
        <Group gap={6} align="flex-end" wrap="nowrap">
          <TextInput
            data-testid={`registry-note-${entry.participantId}`}
            aria-label={t('room.registry.noteFor', { label: name })}
            placeholder={t('room.registry.notePlaceholder')}
            value={note}
            maxLength={1000}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              setState('idle');
            }}
            error={error}
            style={{ flex: 1 }}
          />
          <Button
            type="submit"
            variant={dirty ? 'filled' : 'default'}
            disabled={!dirty}
            loading={state === 'saving'}
            data-testid={`registry-save-${entry.participantId}`}
          >
            {state === 'saved' && !dirty ? t('room.registry.saved') : t('staff.save')}
          </Button>
        </Group>
      </form>
    </li>
  );
}

/** «Реестр участников»: who came, when and for how long, with the host's note for each. */
export function RegistryPanel({
  consultationId,
  resource,
  onReload,
  onReplace,
}: {
  consultationId: string;
  resource: Resource<Registry>;
  onReload: () => void;
  onReplace: (r: Registry) => void;
}) {
  const { t } = useTranslation();
  return (
    <div className={classes.section} data-testid="registry">
      <Group justify="space-between" gap="xs">
        <Text fw={650}>{t('room.registry.title')}</Text>
        <Button
          variant="subtle"
          size="compact-md"
          leftSection={<RefreshIcon size={18} />}
          onClick={onReload}
          data-testid="registry-refresh"
        >
          {t('room.registry.refresh')}
        </Button>
      </Group>
      <Loading resource={resource} onRetry={onReload}>
        {(registry) => (
          <ul className={classes.list}>
            {registry.participants.map((entry) => (
              <RegistryRow
                key={entry.participantId}
                consultationId={consultationId}
                entry={entry}
                onSaved={(saved) =>
                  onReplace({
                    ...registry,
                    participants: registry.participants.map((p) => (p.participantId === saved.participantId ? saved : p)),
                  })
                }
              />
            ))}
          </ul>
        )}
      </Loading>
    </div>
  );
}
