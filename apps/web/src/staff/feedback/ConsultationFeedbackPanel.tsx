import { Alert, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { FEEDBACK_CRITERIA, type ConsultationFeedback } from '@dp/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { formatDayTime } from '../format.ts';
import staffClasses from '../staff.module.css';

// The clients' feedback (анкеты) of one consultation on its page: the seven criteria per answer
// with the average, the wish about the format and the texts — never whose answer it is. Shown to
// whom the server lets read it (the head, the consultation's specialist): 403/404 hide the panel.

const average = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** `timeZone`: the institution's (the answers' times are written on its clock, not the browser's). */
export function ConsultationFeedbackPanel({ consultationId, timeZone }: { consultationId: string; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<ConsultationFeedback | null>(null);
  const [status, setStatus] = useState<'loading' | 'hidden' | 'failed' | 'ready'>('loading');

  useEffect(() => {
    let live = true;
    api.call('feedback.consultation', { consultationId }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setStatus('ready');
      },
      (e: unknown) => {
        if (!live) return;
        setStatus(e instanceof ApiError && (e.status === 403 || e.status === 404) ? 'hidden' : 'failed');
      },
    );
    return () => {
      live = false;
    };
  }, [consultationId]);

  if (status === 'hidden' || status === 'loading') return null;
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const when = (iso: string) => formatDayTime(iso, i18n.language, timeZone);
  const answers = data?.answers ?? [];

  return (
    <Paper withBorder radius="md" p="md" component="section" data-testid="consultation-feedback">
      <Stack gap="sm">
        <Title order={2} size="h3">
          {t('feedback.staff.title')}
        </Title>
        {status === 'failed' && (
          <Alert color="red" variant="light" role="alert">
            {t('feedback.staff.failed')}
          </Alert>
        )}
        {status === 'ready' && answers.length === 0 && <Text c="gray.7">{t('feedback.staff.none')}</Text>}
        {answers.length > 0 && (
          <>
            <Group gap="sm">
              <Text>{t('feedback.staff.count', { count: answers.length })}</Text>
              <Text c="gray.7" size="sm">
                {t('feedback.staff.noNames')}
              </Text>
            </Group>
            <Table.ScrollContainer minWidth={420}>
              <Table striped withTableBorder data-testid="feedback-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('feedback.staff.criterion')}</Table.Th>
                    {answers.map((a, i) => (
                      <Table.Th scope="col" key={a.answeredAt + i}>
                        {t('feedback.staff.column', { n: i + 1 })}
                      </Table.Th>
                    ))}
                    <Table.Th scope="col">{t('feedback.staff.average')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {FEEDBACK_CRITERIA.map((c) => {
                    const avg = average(answers.map((a) => a[c]));
                    return (
                      <Table.Tr key={c}>
                        <Table.Th scope="row" fw={500}>
                          {t(`feedback.criteria.${c}`)}
                        </Table.Th>
                        {answers.map((a, i) => (
                          <Table.Td key={i}>{a[c]}</Table.Td>
                        ))}
                        <Table.Td fw={700} data-testid={`feedback-average-${c}`}>
                          {avg === null ? '—' : number.format(avg)}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {answers.map((a, i) => (
              <Stack key={i} gap={4} data-testid="feedback-answer">
                <Group gap="xs">
                  <Text fw={600}>{t('feedback.staff.answer', { n: i + 1, when: when(a.answeredAt) })}</Text>
                  <Text c="gray.7">
                    {t('feedback.staff.preference')}:{' '}
                    {a.preference ? t(`feedback.preferences.${a.preference}`) : t('feedback.staff.noPreference')}
                  </Text>
                </Group>
                {a.impressions && (
                  <Text className={staffClasses.wrap} style={{ whiteSpace: 'pre-wrap' }}>
                    <Text span fw={600} inherit>
                      {t('feedback.staff.impressions')}:
                    </Text>{' '}
                    {a.impressions}
                  </Text>
                )}
                {a.wishes && (
                  <Text className={staffClasses.wrap} style={{ whiteSpace: 'pre-wrap' }}>
                    <Text span fw={600} inherit>
                      {t('feedback.staff.wishes')}:
                    </Text>{' '}
                    {a.wishes}
                  </Text>
                )}
              </Stack>
            ))}
          </>
        )}
      </Stack>
    </Paper>
  );
}
