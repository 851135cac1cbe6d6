import { Anchor, Button, FileButton, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { PROTOCOL_FILE_MAX_BYTES, PROTOCOL_FILES_TOTAL_MAX_BYTES, type Protocol } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { errorText } from '../format.ts';
import { sizeText } from './protocol-form.ts';

// The files given with the protocol: a plain button to choose one (no drag and drop), the list
// with each file's size and a download link, «Удалить» while the protocol is not final.

/** The types offered by the file picker (the server checks the content anyway). */
const ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.rtf,.txt,.png,.jpg,.jpeg,.gif,.webp,.mp3,.mp4,.m4a';

export function ProtocolFiles({
  protocol,
  final,
  beforeWrite,
  onChanged,
}: {
  protocol: Protocol;
  final: boolean;
  beforeWrite: () => Promise<unknown>;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const consultationId = protocol.consultationId;

  const add = async (file: File | null) => {
    if (!file) return;
    setError(null);
    if (file.size > PROTOCOL_FILE_MAX_BYTES) return setError(t('protocol.files.tooBig'));
    if (protocol.filesTotalBytes + file.size > PROTOCOL_FILES_TOTAL_MAX_BYTES) return setError(t('protocol.files.totalTooBig'));
    setBusy('upload');
    try {
      await beforeWrite();
      await api.upload('protocol.file_upload', { consultationId }, { name: file.name }, file, { public: true });
      onChanged();
    } catch (e) {
      const details = e instanceof ApiError ? (e.details as { file?: string } | undefined) : undefined;
      if (e instanceof ApiError && e.code === 'unsupported_file_type') setError(t('protocol.files.badType'));
      else if (e instanceof ApiError && e.status === 413) setError(details?.file ?? t('protocol.files.tooBig'));
      else if (e instanceof ApiError && e.status === 400) setError(t('protocol.files.badName'));
      else setError(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (fileId: string) => {
    setError(null);
    setBusy(fileId);
    try {
      await beforeWrite();
      await api.call('protocol.file_delete', { consultationId, fileId }, undefined, { public: true });
      onChanged();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap="xs" data-testid="protocol-files">
      <Text fw={600}>{t('protocol.files.title')}</Text>
      {protocol.files.length === 0 ? (
        <Text c="gray.7">{t('protocol.files.none')}</Text>
      ) : (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {protocol.files.map((f) => (
            <Group key={f.id} component="li" gap="sm" wrap="wrap" justify="space-between" data-testid="protocol-file">
              <Stack gap={0} style={{ minWidth: 0, flex: '1 1 12rem' }}>
                <Anchor
                  href={api.href('protocol.file_download', { consultationId, fileId: f.id })}
                  download={f.name}
                  style={{ overflowWrap: 'anywhere' }}
                  data-testid="protocol-file-download"
                >
                  {f.name}
                </Anchor>
                <Text size="sm" c="gray.7">
                  {sizeText(i18n.language, f.sizeBytes)} · {f.uploadedByName}
                </Text>
              </Stack>
              {!final && (
                <Button
                  variant="outline"
                  color="red.9"
                  size="md"
                  loading={busy === f.id}
                  onClick={() => void remove(f.id)}
                  data-testid="protocol-file-delete"
                >
                  {t('protocol.files.delete')}
                  <VisuallyHidden> {f.name}</VisuallyHidden>
                </Button>
              )}
            </Group>
          ))}
        </Stack>
      )}
      <Group gap="sm" wrap="wrap">
        <FileButton onChange={(f) => void add(f)} accept={ACCEPT} inputProps={{ 'data-testid': 'protocol-file-input' } as object}>
          {(props) => (
            <Button {...props} variant="light" size="md" loading={busy === 'upload'} data-testid="protocol-file-add">
              {t('protocol.files.add')}
            </Button>
          )}
        </FileButton>
        <Text size="sm" c="gray.7">
          {t('protocol.files.limits')}
        </Text>
      </Group>
      {error && (
        <Text c="red.9" role="alert" data-testid="protocol-file-error">
          {error}
        </Text>
      )}
    </Stack>
  );
}
