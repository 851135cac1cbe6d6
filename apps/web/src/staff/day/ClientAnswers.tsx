import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { DayBoard } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { telHref } from './tel.ts';

/** «Ответили по ссылке»: clients who cannot come or need another time — to phone back. */
export function ClientAnswers({ board }: { board: DayBoard }) {
  const { t, i18n } = useTranslation();
  if (board.answers.length === 0) return null;
  const when = new Intl.DateTimeFormat(i18n.language, {
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: board.timeZone,
  });
  return (
    <Stack gap="sm" component="section" aria-labelledby="day-answers">
      <Title order={2} id="day-answers">
        {t('day.answers', { count: board.answers.length })}
      </Title>
      <Stack gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {board.answers.map((a) => (
          <Paper key={`${a.consultationId}-${a.at}`} component="li" withBorder radius="md" p="md" data-testid="day-answer">
            <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
              <Stack gap={2} style={{ minWidth: 0, flex: '1 1 14rem' }}>
                <Text fw={700}>{a.clientName ?? t('day.anonymous')}</Text>
                <Text>{t('day.answerAbout', { when: when.format(new Date(a.start)) })}</Text>
                <Badge variant="light" color="orange" size="md">
                  {t(`day.answerKind.${a.kind}`)}
                </Badge>
                {a.note && <Text c="gray.8">«{a.note}»</Text>}
              </Stack>
              {a.contact ? (
                <Anchor href={telHref(a.contact)} size="xl" fw={700}>
                  {a.contact}
                </Anchor>
              ) : null}
            </Group>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
