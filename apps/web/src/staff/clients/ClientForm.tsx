import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { DateInput, DatesProvider } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { SocialStatus, type Client } from '@dp/protocol';
import 'dayjs/locale/ru';
import 'dayjs/locale/en';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { errorText } from '../format.ts';
import { serverFieldErrors } from '../requests/field-errors.ts';
import { useSession } from '../session.tsx';
import {
  checkClient,
  clientValues,
  createBody,
  emptyClientValues,
  formField,
  localDay,
  updateBody,
  type ClientFormValues,
} from './client-form.ts';
import classes from './clients.module.css';

// «Новый клиент» and «Изменить»: one form for both. The consent to the processing of personal
// data (152-FZ) is part of the intake: without its method and day the client is not saved.

export function ClientForm({
  institutionId,
  client,
  onSaved,
  onCancel,
}: {
  institutionId: string;
  /** Editing this client; a new one when absent. */
  client?: Client;
  onSaved: (c: Client) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const today = localDay(new Date());
  const initial = useMemo(() => (client ? clientValues(client) : emptyClientValues(today)), [client, today]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ClientFormValues>({
    initialValues: initial,
    validate: (values) => {
      const problems = checkClient(values, today);
      return Object.fromEntries(
        Object.entries(problems).map(([field, problem]) => [
          field,
          t(`clients.validation.${problem}`, { count: field === 'address' ? 500 : field === 'note' ? 2000 : 300 }),
        ]),
      );
    },
  });
  const v = form.values;
  const consentChanged = !client || v.consentMethod !== initial.consentMethod || v.consentDate !== initial.consentDate;
  const recordedBy = consentChanged ? (session?.user.displayName ?? '') : client.consentRecordedBy.displayName;

  const submit = async (values: ClientFormValues) => {
    const now = new Date();
    setBusy(true);
    setError(null);
    try {
      if (client) {
        const body = updateBody(values, initial, now);
        onSaved(body ? await api.call('clients.update', { institutionId, clientId: client.id }, body) : client);
      } else {
        onSaved(await api.call('clients.create', { institutionId }, createBody(values, now)));
      }
    } catch (e) {
      const fields = serverFieldErrors(e);
      const known = fields ? Object.keys(fields).flatMap((f) => (formField(f) ? [formField(f)!] : [])) : [];
      if (known.length > 0) {
        for (const f of known) form.setFieldError(f, t(`clients.serverErrors.${f}`, { defaultValue: t('clients.validation.invalid') }));
      } else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const text = (name: keyof ClientFormValues, testId: string) => ({
    size: 'md' as const,
    label: t(`clients.fields.${name}`),
    'data-testid': testId,
    ...form.getInputProps(name),
  });

  return (
    <form
      onSubmit={(e) => {
        // Opened from another form (the request's, through ClientPicker): a portal's submit still bubbles there in React.
        e.stopPropagation();
        form.onSubmit(submit)(e);
      }}
      noValidate
      className={classes.form}
    >
      <Stack gap="md">
        {error && (
          <Alert color="red" role="alert" data-testid="client-error">
            {error}
          </Alert>
        )}
        <TextInput {...text('representativeName', 'client-representative')} description={t('clients.hints.representative')} withAsterisk />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput {...text('childName', 'client-child-name')} />
          <NumberInput {...text('childAge', 'client-child-age')} min={0} max={120} allowDecimal={false} allowNegative={false} />
        </SimpleGrid>
        <Fieldset legend={t('clients.contacts')} variant="unstyled">
          <Text size="sm" c="dimmed" mb="xs">
            {t('clients.hints.contacts')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput {...text('phone', 'client-phone')} type="tel" autoComplete="off" inputMode="tel" />
            <TextInput {...text('email', 'client-email')} type="email" autoComplete="off" />
            <TextInput {...text('messenger', 'client-messenger')} />
          </SimpleGrid>
        </Fieldset>
        <TextInput {...text('address', 'client-address')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            {...text('socialStatus', 'client-social-status')}
            data={SocialStatus.options.map((s) => ({ value: s, label: t(`clients.socialStatus.${s}`) }))}
            value={v.socialStatus === '' ? null : v.socialStatus}
            onChange={(s) => form.setFieldValue('socialStatus', (s ?? '') as ClientFormValues['socialStatus'])}
            clearable
            placeholder={t('clients.none')}
          />
          <Stack gap="xs" justify="flex-end">
            <Checkbox
              size="md"
              label={t('clients.fields.ippsu')}
              data-testid="client-ippsu"
              {...form.getInputProps('ippsu', { type: 'checkbox' })}
            />
            <Checkbox
              size="md"
              label={t('clients.fields.ipsr')}
              data-testid="client-ipsr"
              {...form.getInputProps('ipsr', { type: 'checkbox' })}
            />
          </Stack>
        </SimpleGrid>
        <Fieldset legend={t('clients.consent.title')} data-testid="client-consent">
          <Stack gap="sm">
            <Radio.Group
              label={t('clients.consent.method')}
              withAsterisk
              value={v.consentMethod}
              onChange={(m) => form.setFieldValue('consentMethod', m as ClientFormValues['consentMethod'])}
              error={form.errors.consentMethod}
            >
              <Group gap="lg" mt={6}>
                <Radio size="md" value="written" label={t('clients.consent.written')} data-testid="client-consent-written" />
                <Radio size="md" value="oral_phone" label={t('clients.consent.oral_phone')} data-testid="client-consent-oral" />
              </Group>
            </Radio.Group>
            <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'ru' }}>
              <DateInput
                size="md"
                label={t('clients.consent.date')}
                withAsterisk
                valueFormat="DD.MM.YYYY"
                maxDate={today}
                value={v.consentDate || null}
                onChange={(d) => form.setFieldValue('consentDate', d ?? '')}
                error={form.errors.consentDate}
                data-testid="client-consent-date"
                maw={260}
              />
            </DatesProvider>
            <Text size="sm" data-testid="client-consent-recorded-by">
              {t('clients.consent.recordedBy', { name: recordedBy })}
            </Text>
          </Stack>
        </Fieldset>
        <Textarea {...text('note', 'client-note')} autosize minRows={2} maxRows={6} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="md" onClick={onCancel} disabled={busy}>
            {t('clients.cancel')}
          </Button>
          <Button type="submit" size="md" loading={busy} data-testid="client-save">
            {client ? t('clients.save') : t('clients.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
