import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { RequestChannel, SocialStatus, type CreateRequestBody, type JournalRequest, type StaffMember } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ClientPicker } from '../clients/ClientPicker.tsx';
import { errorText } from '../format.ts';
import { serverFieldErrors } from './field-errors.ts';

// «Новое обращение»: one request of the journal. Anonymous requests keep no names and no address.

/** The channels a social worker picks from (SMS is entered as a phone request's contact). */
const CHANNELS = RequestChannel.exclude(['sms']).options;

interface Values {
  anonymous: boolean;
  /** A client of the registry: the server copies names, contact and address and finds first or repeat. */
  clientId: string | null;
  channel: RequestChannel | '';
  fromWhom: string;
  representativeName: string;
  childName: string;
  childAge: number | string;
  contact: string;
  recurrence: 'first' | 'repeat';
  reason: string;
  address: string;
  socialStatus: SocialStatus | '';
  responsibleSpecialistId: string | null;
}

const FIELDS: readonly (keyof Values)[] = [
  'clientId',
  'channel',
  'fromWhom',
  'representativeName',
  'childName',
  'childAge',
  'contact',
  'recurrence',
  'reason',
  'address',
  'socialStatus',
  'responsibleSpecialistId',
];

export function NewRequestForm({
  institutionId,
  specialists,
  onCancel,
  onCreated,
}: {
  institutionId: string;
  specialists: StaffMember[];
  onCancel: () => void;
  onCreated: (r: JournalRequest) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const max = (n: number) => (v: string) => (v.trim().length > n ? t('requests.validation.tooLong', { count: n }) : null);
  const form = useForm<Values>({
    initialValues: {
      anonymous: false,
      clientId: null,
      channel: '',
      fromWhom: '',
      representativeName: '',
      childName: '',
      childAge: '',
      contact: '',
      recurrence: 'first',
      reason: '',
      address: '',
      socialStatus: '',
      responsibleSpecialistId: null,
    },
    validate: {
      channel: (v) => (v === '' ? t('requests.validation.required') : null),
      fromWhom: (v, all) => (!all.anonymous && all.clientId === null && v.trim() === '' ? t('requests.validation.required') : max(300)(v)),
      reason: (v) => (v.trim() === '' ? t('requests.validation.required') : max(4000)(v)),
      representativeName: max(300),
      childName: max(300),
      contact: max(300),
      address: max(500),
      childAge: (v) =>
        v === '' || (Number.isInteger(Number(v)) && Number(v) >= 0 && Number(v) <= 120) ? null : t('requests.validation.age'),
    },
  });
  const v = form.values;
  /** Names, age, address and contact are typed only without a registry client. */
  const typed = !v.anonymous && v.clientId === null;
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());

  const submit = async (values: Values) => {
    if (values.channel === '') return;
    const client = !values.anonymous && values.clientId !== null;
    const body: CreateRequestBody = {
      channel: values.channel,
      anonymous: values.anonymous,
      fromWhom: opt(values.fromWhom) ?? (client ? undefined : t('requests.anonymous')),
      contact: client ? undefined : opt(values.contact),
      recurrence: values.recurrence,
      ...(client && values.clientId ? { clientId: values.clientId } : {}),
      reason: values.reason.trim(),
      socialStatus: values.socialStatus === '' ? undefined : values.socialStatus,
      responsibleSpecialistId: values.responsibleSpecialistId ?? undefined,
      ...(values.anonymous || client
        ? {}
        : {
            representativeName: opt(values.representativeName),
            childName: opt(values.childName),
            childAge: values.childAge === '' ? undefined : Number(values.childAge),
            address: opt(values.address),
          }),
    };
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.call('requests.create', { institutionId }, body));
    } catch (e) {
      const fields = serverFieldErrors(e);
      const known = fields ? Object.keys(fields).filter((f): f is keyof Values => (FIELDS as readonly string[]).includes(f)) : [];
      if (known.length > 0) {
        for (const f of known)
          form.setFieldError(f, f === 'responsibleSpecialistId' ? t('requests.validation.specialist') : t('requests.validation.field'));
      } else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit(submit)} noValidate data-testid="request-form">
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light" role="alert">
            <Text>{error}</Text>
          </Alert>
        )}
        <Select
          label={t('requests.form.channel')}
          size="md"
          data={CHANNELS.map((c) => ({ value: c, label: t(`requests.channel.${c}`) }))}
          allowDeselect={false}
          withAsterisk
          data-autofocus
          data-testid="request-channel"
          {...form.getInputProps('channel')}
        />
        <Checkbox
          label={t('requests.form.anonymous')}
          description={t('requests.form.anonymousHint')}
          size="md"
          data-testid="request-anonymous"
          {...form.getInputProps('anonymous', { type: 'checkbox' })}
        />
        {!v.anonymous && (
          <ClientPicker
            institutionId={institutionId}
            value={v.clientId}
            label={t('requests.form.client')}
            error={typeof form.errors.clientId === 'string' ? form.errors.clientId : undefined}
            onChange={(c) => form.setFieldValue('clientId', c?.id ?? null)}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label={t('requests.form.fromWhom')}
            description={t('requests.form.fromWhomHint')}
            size="md"
            withAsterisk={typed}
            autoComplete="off"
            data-testid="request-from"
            {...form.getInputProps('fromWhom')}
          />
          {v.clientId === null && (
            <TextInput
              label={t('requests.form.contact')}
              description={t('requests.form.contactHint')}
              size="md"
              autoComplete="off"
              data-testid="request-contact"
              {...form.getInputProps('contact')}
            />
          )}
          {typed && (
            <>
              <TextInput
                label={t('requests.form.representativeName')}
                size="md"
                autoComplete="off"
                data-testid="request-representative"
                {...form.getInputProps('representativeName')}
              />
              <TextInput
                label={t('requests.form.childName')}
                size="md"
                autoComplete="off"
                data-testid="request-child"
                {...form.getInputProps('childName')}
              />
              <NumberInput
                label={t('requests.form.childAge')}
                size="md"
                min={0}
                max={120}
                allowDecimal={false}
                allowNegative={false}
                data-testid="request-child-age"
                {...form.getInputProps('childAge')}
              />
              <TextInput
                label={t('requests.form.address')}
                size="md"
                autoComplete="off"
                data-testid="request-address"
                {...form.getInputProps('address')}
              />
            </>
          )}
        </SimpleGrid>
        <Textarea
          label={t('requests.form.reason')}
          size="md"
          autosize
          minRows={3}
          maxRows={8}
          withAsterisk
          data-testid="request-reason"
          {...form.getInputProps('reason')}
        />
        {/* With a registry client the server finds first or repeat. */}
        {v.clientId === null && (
          <Stack gap={4}>
            <Text size="md" fw={500} id="request-recurrence-label">
              {t('requests.form.recurrence')}
            </Text>
            <SegmentedControl
              size="md"
              aria-labelledby="request-recurrence-label"
              data={(['first', 'repeat'] as const).map((r) => ({ value: r, label: t(`requests.recurrence.${r}`) }))}
              data-testid="request-recurrence"
              {...form.getInputProps('recurrence')}
            />
          </Stack>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Select
            label={t('requests.form.socialStatus')}
            placeholder={t('requests.form.noStatus')}
            size="md"
            clearable
            data={SocialStatus.options.map((s) => ({ value: s, label: t(`requests.socialStatus.${s}`) }))}
            data-testid="request-social-status"
            {...form.getInputProps('socialStatus')}
          />
          <Select
            label={t('requests.form.specialist')}
            placeholder={t('requests.noSpecialist')}
            size="md"
            clearable
            searchable
            data={specialists.map((s) => ({
              value: s.id,
              label: s.specialist ? `${s.displayName} (${s.specialist.title})` : s.displayName,
            }))}
            data-testid="request-specialist"
            {...form.getInputProps('responsibleSpecialistId')}
          />
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="md" onClick={onCancel}>
            {t('requests.form.cancel')}
          </Button>
          <Button type="submit" size="md" loading={busy} data-testid="request-save">
            {t('requests.form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
