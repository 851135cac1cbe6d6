import { Alert, Button, Group, Loader, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { Participant, ParticipantLinkView } from '@dp/protocol';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RefreshIcon } from '../ui/icons.tsx';
import { ModalTitle } from '../ui/ModalTitle.tsx';
import { api } from './api.ts';
import { CopyableLink } from './CopyableLink.tsx';
import { errorText } from './format.ts';
import classes from './staff.module.css';

/** Participants who enter by a link (staff enter signed in). */
export const isClientRole = (role: Participant['role']) => role === 'client' || role === 'attendee';

/** A client's name as staff see it, or «Клиент N» for an anonymous one (no guess at gender). */
export function clientName(t: TFunction, clients: Participant[], p: Participant): string {
  return p.displayName ?? t('staff.clientLink.anonymous', { n: clients.indexOf(p) + 1 });
}

type Load = { kind: 'loading' } | { kind: 'ok'; link: ParticipantLinkView; fresh: boolean } | { kind: 'error'; text: string };

/**
 * «Ссылка для клиента»: the client's personal link, fetched only when asked for (each showing
 * is recorded in the audit log), with a copy button and «Выдать новую ссылку», which stops
 * the old link at once — after a confirmation that says so.
 */
export function ClientLinkModal({
  consultationId,
  clients,
  participantId,
  when,
  onClose,
}: {
  consultationId: string;
  /** Which consultation, in words (day, time, kind): several may be open for the same person. */
  when: string;
  /** The consultation's client participants (a choice is offered when there are several). */
  clients: Participant[];
  /** Whose link to show first; null: the modal is closed. */
  participantId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [who, setWho] = useState<string | null>(participantId);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);
  // On a phone the dialog takes the whole screen: the link, the copy button and the
  // confirmation fit without hunting for them.
  const phone = useMediaQuery('(max-width: 36em)');
  const top = useRef<HTMLDivElement>(null);
  const confirmPanel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setWho(participantId);
    setConfirming(false);
  }, [participantId]);

  const failure = useCallback(
    (e: unknown) =>
      errorText(t, e, {
        // Refused: not one of those who hand this client's link over.
        forbidden: t('staff.clientLink.notYours'),
        not_found: t('staff.clientLink.notYours'),
        // Revoked for good (taken back, or the client removed): a new generation would undo that.
        conflict: t('staff.clientLink.revokedForGood'),
      }),
    [t],
  );

  useEffect(() => {
    if (!who) return;
    let cancelled = false;
    setLoad({ kind: 'loading' });
    api.call('consultations.show_link', { consultationId, participantId: who }).then(
      (link) => !cancelled && setLoad({ kind: 'ok', link, fresh: false }),
      (e: unknown) => !cancelled && setLoad({ kind: 'error', text: failure(e) }),
    );
    return () => {
      cancelled = true;
    };
  }, [consultationId, who, failure]);

  const rotate = async () => {
    if (!who) return;
    setRotating(true);
    try {
      const link = await api.call('consultations.rotate_link', { consultationId, participantId: who }, {});
      setLoad({ kind: 'ok', link, fresh: true });
      // The new link (and its «это новая ссылка») is at the top: bring it into view.
      requestAnimationFrame(() => top.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
    } catch (e) {
      setLoad({ kind: 'error', text: failure(e) });
    } finally {
      setRotating(false);
      setConfirming(false);
    }
  };

  useEffect(() => {
    if (confirming) confirmPanel.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [confirming]);

  const person = clients.find((c) => c.id === who);
  return (
    <Modal
      opened={participantId !== null}
      onClose={onClose}
      title={<ModalTitle size="lg">{t('staff.clientLink.title')}</ModalTitle>}
      size="lg"
      fullScreen={phone}
      data-testid="client-link-modal"
    >
      <Stack gap="md" ref={top}>
        <Text c="gray.7" data-testid="client-link-when">
          {when}
        </Text>
        {clients.length > 1 ? (
          <NativeSelect
            label={t('staff.clientLink.who')}
            size="lg"
            value={who ?? ''}
            onChange={(e) => {
              setWho(e.currentTarget.value);
              setConfirming(false);
            }}
            data={clients.map((c) => ({ value: c.id, label: clientName(t, clients, c) }))}
            data-testid="client-link-who"
          />
        ) : (
          person && (
            <Text size="lg" fw={600} data-testid="client-link-name">
              {clientName(t, clients, person)}
            </Text>
          )
        )}
        {load.kind === 'loading' && (
          <Group gap="sm" role="status">
            <Loader size="sm" />
            <Text>{t('staff.loading')}</Text>
          </Group>
        )}
        {load.kind === 'error' && (
          <Alert color="red" variant="light" role="alert" data-testid="client-link-error">
            <Text>{load.text}</Text>
          </Alert>
        )}
        {load.kind === 'ok' && (
          <>
            {load.fresh && (
              <Alert color="teal" variant="light" data-testid="client-link-rotated">
                <Text fw={600}>{t('staff.clientLink.rotatedText')}</Text>
              </Alert>
            )}
            <CopyableLink
              url={load.link.url}
              label={load.fresh ? t('staff.clientLink.newLabel') : t('staff.clientLink.label')}
              copyLabel={t('staff.clientLink.copy')}
              copiedLabel={t('staff.clientLink.copied')}
              testId="client-link-url"
              generation={load.link.generation}
            />
            <Text>{t('staff.clientLink.handOver')}</Text>
            {!confirming ? (
              <Button
                size="lg"
                variant="outline"
                color="orange"
                leftSection={<RefreshIcon size={20} />}
                onClick={() => setConfirming(true)}
                className={`${classes.mainAction} ${classes.wrap}`}
                data-testid="client-link-rotate"
              >
                {t('staff.clientLink.rotate')}
              </Button>
            ) : (
              <Alert color="orange" variant="light" ref={confirmPanel} data-testid="client-link-rotate-confirm-panel">
                <Stack gap="sm">
                  <Text fw={700}>{t('staff.clientLink.rotateConfirmTitle')}</Text>
                  <Text>{t('staff.clientLink.rotateConfirmText')}</Text>
                  <Group gap="sm" wrap="wrap">
                    <Button
                      size="lg"
                      color="orange"
                      loading={rotating}
                      onClick={() => void rotate()}
                      className={classes.wrap}
                      data-testid="client-link-rotate-confirm"
                    >
                      {t('staff.clientLink.rotateConfirm')}
                    </Button>
                    <Button size="lg" variant="default" onClick={() => setConfirming(false)} className={classes.wrap}>
                      {t('staff.clientLink.rotateCancel')}
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            )}
          </>
        )}
        <Group justify="flex-end">
          <Button size="lg" variant="default" onClick={onClose} data-testid="client-link-close">
            {t('staff.clientLink.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
