import { Paper, Stack, Text } from '@mantine/core';
import type { LinkInfo } from '@dp/protocol';
import { useTranslation } from 'react-i18next';

type About = LinkInfo['consultation'];

/** The institution's date and time of an instant, e.g. «12 марта, 10:00 GMT+6». */
export function linkTime(lang: string, timeZone: string, iso: string): string {
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'shortOffset',
  }).format(new Date(iso));
}

/**
 * With whom, which institution and what about — the first thing a family reads on its link
 * page and above the camera check; a moved consultation says so, with the old and new time.
 */
export function LinkAbout({ about, showMoved = true }: { about: About; showMoved?: boolean }) {
  const { t, i18n } = useTranslation();
  const moved = showMoved && about.previousStartsAt && about.status !== 'cancelled' && about.status !== 'over';
  const reason = about.changeReason ? t(`consultation.client.reasons.${about.changeReason}`, { defaultValue: '' }) : '';
  return (
    <Stack gap={6}>
      {about.specialist && (
        <Text size="lg" data-testid="link-with-whom">
          {t('consultation.client.withWhom')}{' '}
          <Text span fw={700} inherit>
            {about.specialist.name}
          </Text>
          {about.specialist.title ? `, ${about.specialist.title}` : ''}
        </Text>
      )}
      <Text data-testid="link-institution">
        {t('consultation.client.institution')} {about.institutionName}
      </Text>
      {about.topic && (
        <Text data-testid="link-topic">
          {t('consultation.client.topic')} {t(`consultation.client.topics.${about.topic}`, { defaultValue: about.topic })}
        </Text>
      )}
      {moved && (
        // A calm yellow panel with dark text (a light Alert's yellow title is too pale to read).
        <Paper
          radius="md"
          p="md"
          bg="yellow.0"
          withBorder
          style={{ borderColor: 'var(--mantine-color-yellow-6)' }}
          data-testid="link-moved"
        >
          <Text fw={700}>{t('consultation.client.movedTitle')}</Text>
          <Text>
            {t('consultation.client.moved', {
              was: linkTime(i18n.language, about.timeZone, about.previousStartsAt!),
              now: linkTime(i18n.language, about.timeZone, about.startsAt),
            })}
          </Text>
          {reason && <Text>{t('consultation.client.reason', { reason })}</Text>}
        </Paper>
      )}
      {!moved && reason && (about.status === 'cancelled' || about.status === 'technical_failure') && (
        <Text data-testid="link-reason">{t('consultation.client.reason', { reason })}</Text>
      )}
    </Stack>
  );
}
