import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { DayBoard } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { telHref } from './tel.ts';

/**
 * «Позвонить сегодня»: the families whom an e-mail about the day did not reach — no address,
 * or the mail server refused it — with the phone the request left, to call from the list.
 */
export function FamiliesToCall({ board }: { board: DayBoard }) {
  const { t, i18n } = useTranslation();
  const when = new Intl.DateTimeFormat(i18n.language, {
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: board.timeZone,
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="day-to-call">
      <Title order={2} id="day-to-call">
        {t('day.toCall', { count: board.toCall.length })}
      </Title>
      {board.toCall.length === 0 ? (
        <Text c="gray.7">{t('day.toCallNone')}</Text>
      ) : (
        <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {board.toCall.map((f) => (
            <Paper key={`${f.consultationId}-${f.at}`} component="li" withBorder radius="md" p="md" data-testid="day-call">
              <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                <Stack gap={2} style={{ minWidth: 0, flex: '1 1 14rem' }}>
                  <Text fw={700}>{f.clientName ?? t('day.anonymous')}</Text>
                  <Text>{t(`day.about.${f.about}`, { when: when.format(new Date(f.start)) })}</Text>
                  <Badge variant="light" color={f.status === 'failed' ? 'red' : 'yellow'} size="md">
                    {t(`day.missed.${f.status}`)}
                  </Badge>
                </Stack>
                {f.contact ? (
                  <Anchor href={telHref(f.contact)} size="xl" fw={700}>
                    {f.contact}
                  </Anchor>
                ) : (
                  <Text c="gray.7">{t('day.noContact')}</Text>
                )}
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
