import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { Consultation, InvitationStatus } from '@dp/protocol';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { CopyableLink } from '../CopyableLink.tsx';
import { errorText } from '../format.ts';
import classes from './booking.module.css';

const POLL_MS = 1500;
/** The invitation is sent in the background; after this long «pending» is shown as it is. */
const POLL_LIMIT = 12;

const INVITATION_COLOR: Record<InvitationStatus, string> = {
  sent: 'teal',
  pending: 'gray',
  no_email: 'yellow',
  failed: 'red',
  skipped: 'yellow',
};

/**
 * After «Записать»: when and with whom, the client's personal link to copy, its QR code (to
 * show from the social worker's laptop or phone) and whether the invitation e-mail went out.
 */
export function BookingResult({
  consultation,
  when,
  specialistName,
}: {
  consultation: Consultation;
  when: string;
  specialistName: string;
}) {
  const { t } = useTranslation();
  const client = consultation.participants.find((p) => p.role === 'client');
  const [url, setUrl] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const [invitation, setInvitation] = useState<InvitationStatus>('pending');

  useEffect(() => {
    if (!client) return;
    let live = true;
    void (async () => {
      try {
        const link = await api.call('consultations.show_link', { consultationId: consultation.id, participantId: client.id });
        if (!live) return;
        setUrl(link.url);
        setQr(await QRCode.toDataURL(link.url, { margin: 1, width: 440, errorCorrectionLevel: 'M' }));
      } catch (e) {
        if (live) setLinkError(errorText(t, e));
      }
    })();
    return () => {
      live = false;
    };
  }, [consultation.id, client, t]);

  useEffect(() => {
    let live = true;
    let tries = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      tries += 1;
      try {
        const report = await api.call('consultations.invitation', { consultationId: consultation.id });
        if (!live) return;
        setInvitation(report.status);
        if (report.status !== 'pending' || tries >= POLL_LIMIT) return;
      } catch {
        if (!live || tries >= POLL_LIMIT) return;
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [consultation.id]);

  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} data-testid="booking-result">
      <Stack gap="md">
        <Title order={2}>{t('booking.result.title')}</Title>
        <Text size="lg">{t('booking.result.when', { when, name: specialistName })}</Text>
        <Alert color={INVITATION_COLOR[invitation]} role="status" data-testid="booking-invitation" data-status={invitation}>
          <Group gap="xs" wrap="nowrap">
            {invitation === 'pending' && <Loader size="xs" />}
            <Text>{t(`booking.result.invitation.${invitation}`)}</Text>
          </Group>
        </Alert>
        {linkError && (
          <Alert color="red" role="alert">
            {linkError}
          </Alert>
        )}
        {url && (
          <CopyableLink
            url={url}
            label={t('booking.result.link')}
            copyLabel={t('staff.clientLink.copy')}
            copiedLabel={t('staff.clientLink.copied')}
            testId="booking-link"
          />
        )}
        {qr && (
          <Stack gap={4} align="flex-start">
            <img src={qr} alt={t('booking.result.qrAlt')} className={classes.qr} data-testid="booking-qr" />
            <Text size="sm" c="gray.7">
              {t('booking.result.qrHint')}
            </Text>
          </Stack>
        )}
        <Text size="sm" c="gray.7">
          {t('staff.clientLink.handOver')}
        </Text>
        <Group gap="sm">
          <Button component={Link} to="/requests" size="md" variant="light" data-testid="booking-back">
            {t('booking.result.back')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
