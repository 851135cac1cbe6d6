import { Alert, Button, Group, Paper, Radio, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { Consultation, ConsultationForm } from '@dp/protocol';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../format.ts';

const FORMS: readonly ConsultationForm[] = ['online', 'phone', 'email'];

/**
 * The form of distance consultation (seed 003 § 2.3): online, by telephone (a slot without the
 * pre-check window), by e-mail (no slot; the request's answer deadline is shown).
 */
export function FormChoice({
  value,
  onChange,
  answerDueAt,
  timeZone,
}: {
  value: ConsultationForm;
  onChange: (form: ConsultationForm) => void;
  answerDueAt: string | null;
  timeZone: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="sm">
      <Radio.Group value={value} onChange={(v) => onChange(v as ConsultationForm)} aria-label={t('consultationForms.choose')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          {FORMS.map((f) => (
            <Radio.Card key={f} value={f} radius="md" p="md" data-testid={`booking-form-${f}`} aria-label={t(`booking.forms.${f}`)}>
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator />
                <Stack gap={2}>
                  <Text fw={600}>{t(`booking.forms.${f}`)}</Text>
                  <Text size="sm">{t(`consultationForms.hint.${f}`)}</Text>
                </Stack>
              </Group>
            </Radio.Card>
          ))}
        </SimpleGrid>
      </Radio.Group>
      {value === 'email' && (
        <Text data-testid="booking-email-deadline">
          {answerDueAt
            ? t('consultationForms.deadline', { when: formatDateTime(answerDueAt, i18n.language, timeZone) })
            : t('consultationForms.noDeadline')}
        </Text>
      )}
    </Stack>
  );
}

/** After «Записать» for a consultation by telephone or e-mail: no link, no QR code — what happens next. */
export function FormBooked({ consultation, when, specialistName }: { consultation: Consultation; when: string; specialistName: string }) {
  const { t } = useTranslation();
  const phone = consultation.form === 'phone';
  return (
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'lg' }} data-testid="booking-result" data-form={consultation.form}>
      <Stack gap="md">
        <Title order={2}>{t('booking.result.title')}</Title>
        <Alert color="teal" role="status">
          {phone
            ? t('consultationForms.bookedPhone', { when, name: specialistName })
            : t('consultationForms.bookedEmail', { name: specialistName })}
        </Alert>
        <Group gap="sm">
          <Button component={Link} to={`/staff/consultations/${consultation.id}`} size="md" data-testid="booking-open-consultation">
            {t('consultationForms.open')}
          </Button>
          <Button component={Link} to="/requests" size="md" variant="light" data-testid="booking-back">
            {t('booking.result.back')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
