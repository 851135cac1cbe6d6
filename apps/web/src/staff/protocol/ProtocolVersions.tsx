import { Anchor, Button, Loader, Modal, Stack, Text } from '@mantine/core';
import type { Protocol, ProtocolVersionView } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalTitle } from '../../ui/ModalTitle.tsx';
import { api } from '../api.ts';
import { errorText } from '../format.ts';

// The earlier versions of a protocol: who, when, which fields the next one changed; each opens
// as it was, read only.

/** `timeZone`: the institution's, when known (the room's panel does not know it: the browser's). */
export function useWhen(timeZone?: string) {
  const { i18n } = useTranslation();
  const fmt = new Intl.DateTimeFormat(i18n.language, {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (iso: string) => fmt.format(new Date(iso));
}

/** One version's content, read only. */
export function ProtocolReadOnly({ v }: { v: ProtocolVersionView }) {
  const { t } = useTranslation();
  const row = (label: string, value: string | null, testId: string) => (
    <Stack gap={2}>
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid={testId}>
        {value || '—'}
      </Text>
    </Stack>
  );
  return (
    <Stack gap="sm">
      {row(t('protocol.fields.reason'), v.reason, 'protocol-view-reason')}
      {row(t('protocol.fields.topic'), v.topic ? t(`staff.topics.${v.topic}`) : null, 'protocol-view-topic')}
      {row(t('protocol.fields.solution'), v.solution, 'protocol-view-solution')}
      <Stack gap={2}>
        <Text size="sm" c="gray.7">
          {t('protocol.fields.materials')}
        </Text>
        {v.materials.length === 0 ? (
          <Text>—</Text>
        ) : (
          v.materials.map((m, i) => (
            <Anchor key={`${m.url}-${i}`} href={m.url} target="_blank" rel="noopener noreferrer" style={{ overflowWrap: 'anywhere' }}>
              {m.title || m.url}
            </Anchor>
          ))
        )}
      </Stack>
    </Stack>
  );
}

export function ProtocolVersions({ protocol, timeZone }: { protocol: Protocol; timeZone?: string }) {
  const { t } = useTranslation();
  const when = useWhen(timeZone);
  const [open, setOpen] = useState<number | null>(null);
  const [shown, setShown] = useState<ProtocolVersionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (protocol.earlier.length === 0) return null;

  const show = async (version: number) => {
    setOpen(version);
    setShown(null);
    setError(null);
    try {
      setShown(await api.call('protocol.version', { consultationId: protocol.consultationId, version }, {}, { public: true }));
    } catch (e) {
      setError(errorText(t, e));
    }
  };
  const changed = (fields: string[]) => fields.map((f) => t(`protocol.fields.${f}`)).join(', ');
  // What each version changed is written on the version after it.
  const all = [protocol.latest!, ...protocol.earlier];

  return (
    <Stack gap="xs" data-testid="protocol-versions">
      <Text fw={600}>{t('protocol.versions.title')}</Text>
      <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {all.map((v) => (
          <li key={v.version} data-testid="protocol-version">
            <Text>
              {t('protocol.versions.line', { version: v.version, when: when(v.updatedAt), who: v.authorName })}
              {v.changedFields.length > 0 ? ` · ${t('protocol.versions.changed', { fields: changed(v.changedFields) })}` : ''}
              {v.version !== protocol.latest?.version && (
                <>
                  {' '}
                  <Button
                    variant="subtle"
                    size="compact-md"
                    onClick={() => void show(v.version)}
                    data-testid={`protocol-version-open-${v.version}`}
                  >
                    {t('protocol.versions.open')}
                  </Button>
                </>
              )}
            </Text>
          </li>
        ))}
      </Stack>
      <Modal
        opened={open !== null}
        onClose={() => setOpen(null)}
        size="lg"
        title={<ModalTitle size="lg">{t('protocol.versions.modalTitle', { version: open ?? '' })}</ModalTitle>}
      >
        {error ? <Text c="red.9">{error}</Text> : shown ? <ProtocolReadOnly v={shown} /> : <Loader aria-label={t('staff.loading')} />}
        <div data-testid="protocol-version-modal" />
      </Modal>
    </Stack>
  );
}
