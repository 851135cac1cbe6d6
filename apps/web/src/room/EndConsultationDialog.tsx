import { Alert, Button, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import bigButton from '../ui/BigButton.module.css';
import { ModalTitle } from '../ui/ModalTitle.tsx';
import { errorMessageKey, type ClientErrorCode } from './room-error.ts';

/**
 * «Завершить консультацию для всех?» — asked before the room closes for everyone. Two large
 * buttons, the safe one last and plain; a refusal is said here and the dialog stays open.
 */
export function EndConsultationDialog({
  opened,
  onClose,
  onConfirm,
}: {
  opened: boolean;
  onClose: () => void;
  /** Ends the consultation; resolves the error code when it did not. */
  onConfirm: () => Promise<ClientErrorCode | null>;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 40em)', false, { getInitialValueInEffect: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  useEffect(() => {
    if (opened) setError(null);
  }, [opened]);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setError(await onConfirm());
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<ModalTitle size="xl">{t('room.endDialog.title')}</ModalTitle>}
      size="md"
      centered
      fullScreen={phone}
      closeButtonProps={{ 'aria-label': t('room.endDialog.cancel'), size: 'xl' }}
      data-testid="end-dialog"
    >
      <Stack gap="lg">
        <Text size="lg">{t('room.endDialog.text')}</Text>
        {error && (
          <Alert color="red" variant="light" role="alert" data-testid="end-error">
            <Text fw={650}>{t('room.endDialog.failed')}</Text>
            <Text>{t(errorMessageKey(error))}</Text>
          </Alert>
        )}
        <Stack gap="sm">
          <Button
            size="xl"
            color="red.9"
            fullWidth
            loading={busy}
            onClick={() => void confirm()}
            classNames={bigButton}
            data-testid="end-confirm"
          >
            {t('room.endDialog.confirm')}
          </Button>
          <Button size="xl" variant="default" fullWidth onClick={onClose} classNames={bigButton} data-testid="end-cancel">
            {t('room.endDialog.cancel')}
          </Button>
        </Stack>
      </Stack>
    </Modal>
  );
}
