import { Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import bigButton from '../ui/BigButton.module.css';
import { RefreshIcon } from '../ui/icons.tsx';
import { DeviceCheck } from './DeviceCheckLazy.tsx';
import { countdownParts, type LinkLookup } from './link-info.ts';
import { LinkAbout } from './LinkAbout.tsx';
import { LinkAnswer } from './LinkAnswer.tsx';
import { serverNow } from '../app/server-time.ts';

/** How often a waiting link page asks the server again. */
const RECHECK_MS = 15_000;

/**
 * The link page when the room is not (or no longer) open for this link: when the
 * consultation is, in the institution's time, with a live countdown that hands over
 * to the preview by itself — or why the link does not lead to a room.
 */
export function LinkSchedule({ token, lookup, onRecheck }: { token: string; lookup: LinkLookup; onRecheck: () => void }) {
  const { t, i18n } = useTranslation();
  // While counting down, the sound and the connection can be checked ahead (the camera's
  // preview comes with the room: the network test then sends a drawn test picture).
  const [checking, setChecking] = useState(false);
  const auth = useMemo(() => ({ token }), [token]);
  // The server's time (its answer carried it), not this phone's clock: a wrong clock still opens on time.
  const [now, setNow] = useState(serverNow);
  const opensAt = lookup.kind === 'ok' ? Date.parse(lookup.info.consultation.opensAt) : NaN;
  const upcoming = lookup.kind === 'ok' && lookup.info.consultation.status === 'upcoming';

  useEffect(() => {
    if (!upcoming) return;
    const timer = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(timer);
  }, [upcoming]);
  useEffect(() => {
    // While waiting, ask the server now and then: a cancellation, a new time or the
    // specialist's technical failure shows up here without a reload.
    if (!upcoming && !(lookup.kind === 'ok' && lookup.info.consultation.status === 'technical_failure')) return;
    const timer = setInterval(onRecheck, RECHECK_MS);
    return () => clearInterval(timer);
  }, [upcoming, lookup, onRecheck]);
  const lastOpenCheck = useRef(0);
  useEffect(() => {
    // The moment the room opens, ask again: the server decides, not this page's clock. A
    // clock running ahead would ask every second: every 5 s at most (look-ups are limited).
    if (upcoming && now >= opensAt && now - lastOpenCheck.current >= 5_000) {
      lastOpenCheck.current = now;
      onRecheck();
    }
  }, [upcoming, now, opensAt, onRecheck]);

  let title: string;
  let text: string;
  let when: string | null = null;
  let phone: string | null = null;
  if (lookup.kind === 'invalid') {
    [title, text] = [t('link.invalidTitle'), t('errors.invalid_token')];
  } else if (lookup.kind === 'revoked') {
    [title, text] = [t('link.revokedTitle'), t('errors.link_revoked')];
  } else if (lookup.kind === 'expired') {
    [title, text] = [t('link.expiredTitle'), t('errors.link_expired')];
  } else if (lookup.kind === 'rate_limited') {
    [title, text] = [t('link.rateLimitedTitle'), t('errors.rate_limited')];
  } else if (lookup.kind === 'unreachable') {
    [title, text] = [t('link.unreachableTitle'), t('link.unreachableText')];
  } else {
    const c = lookup.info.consultation;
    const fmt = new Intl.DateTimeFormat(i18n.language, {
      timeZone: c.timeZone,
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'shortOffset',
    });
    // Only an upcoming consultation is «назначена»; a cancelled or past one says when it was set
    // for; after a technical failure the old time is no appointment any more: only the news.
    if (c.status === 'upcoming') when = t('link.when', { when: fmt.format(new Date(c.startsAt)) });
    else if (c.status !== 'technical_failure') when = t('link.wasWhen', { when: fmt.format(new Date(c.startsAt)) });
    // Cancelled or failed: the institution's phone, for a question or a new time.
    if (c.status === 'cancelled' || c.status === 'technical_failure') phone = c.institutionPhone;
    if (c.status === 'upcoming') {
      const { h, m, s } = countdownParts(opensAt - now);
      title = t('link.upcomingTitle');
      text =
        h > 0 ? t('link.opensInHours', { h, m, s: String(s).padStart(2, '0') }) : t('link.opensIn', { m, s: String(s).padStart(2, '0') });
    } else if (c.status === 'cancelled') {
      [title, text] = [t('link.cancelledTitle'), t('errors.cancelled')];
    } else if (c.status === 'technical_failure') {
      [title, text] = [t('link.technicalFailureTitle'), t('errors.technical_failure')];
    } else {
      [title, text] = [t('link.overTitle'), t('errors.consultation_over')];
    }
  }
  const status = lookup.kind === 'ok' ? lookup.info.consultation.status : lookup.kind;

  return (
    <Container size={620} px="sm" py="xl" component="main" w="100%">
      <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }} shadow="xs" data-testid="link-schedule" data-status={status}>
        <Stack gap="md">
          <Title order={1}>{title}</Title>
          {when && (
            <Text size="xl" fw={600}>
              {when}
            </Text>
          )}
          {lookup.kind === 'ok' && <LinkAbout about={lookup.info.consultation} />}
          {/* Screen readers hear the state, not every second of the countdown. */}
          <Text size="lg" data-testid={upcoming ? 'countdown' : undefined} aria-live={upcoming ? 'off' : 'polite'}>
            {text}
          </Text>
          {phone && (
            <Text size="lg" data-testid="institution-phone">
              {t('link.callInstitution')} <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a>
            </Text>
          )}
          {lookup.kind === 'ok' && lookup.info.consultation.status === 'over' && (
            <Button
              component="a"
              href={`/join/${encodeURIComponent(token)}/feedback`}
              size="xl"
              fullWidth
              classNames={bigButton}
              data-testid="link-feedback"
            >
              {t('end.rateConsultation')}
            </Button>
          )}
          {upcoming && <Text c="dimmed">{t('link.keepOpen')}</Text>}
          {upcoming && lookup.kind === 'ok' && <LinkAnswer token={token} answer={lookup.info.consultation.answer} />}
          {upcoming && !checking && (
            <Button
              size="lg"
              variant="light"
              styles={{ root: { height: 'auto', minHeight: 50, paddingBlock: 8 }, label: { whiteSpace: 'normal', lineHeight: 1.3 } }}
              onClick={() => setChecking(true)}
              data-testid="check-ahead"
            >
              {t('link.checkAhead')}
            </Button>
          )}
          {upcoming && checking && lookup.kind === 'ok' && (
            <DeviceCheck auth={auth} camera={false} microphone institutionPhone={lookup.info.consultation.institutionPhone} />
          )}
          {(lookup.kind === 'unreachable' || lookup.kind === 'rate_limited') && (
            <Button size="xl" leftSection={<RefreshIcon />} onClick={onRecheck} fullWidth classNames={bigButton}>
              {t('end.retry')}
            </Button>
          )}
        </Stack>
      </Paper>
    </Container>
  );
}
