import { Button, Checkbox, Collapse, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { RequestChannel, RequestStatus, type StaffMember } from '@dp/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

// The journal's filters: period, status, specialist, channel, overdue and a search (collapsed on phones).

export interface JournalFilters {
  /** 'YYYY-MM-DD' from the date inputs (this browser's days). */
  from: string;
  to: string;
  status: RequestStatus | null;
  specialistId: string | null;
  channel: RequestChannel | null;
  overdue: boolean;
  q: string;
}

export const NO_FILTERS: JournalFilters = { from: '', to: '', status: null, specialistId: null, channel: null, overdue: false, q: '' };

export function RequestFilters({
  value,
  onChange,
  specialists,
  showSpecialist,
  collapsible,
}: {
  value: JournalFilters;
  onChange: (f: JournalFilters) => void;
  specialists: StaffMember[];
  showSpecialist: boolean;
  collapsible: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const set = <K extends keyof JournalFilters>(k: K, v: JournalFilters[K]) => onChange({ ...value, [k]: v });
  const any = t('requests.filters.any');
  const active =
    value.from !== '' || value.to !== '' || value.status !== null || value.specialistId !== null || value.channel !== null || value.overdue;
  const search = (
    <TextInput
      label={t('requests.filters.search')}
      placeholder={t('requests.filters.searchPlaceholder')}
      size="md"
      type="search"
      value={value.q}
      onChange={(e) => set('q', e.currentTarget.value)}
      data-testid="requests-search"
    />
  );
  const fields = (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, xs: 2, md: showSpecialist ? 5 : 4 }} spacing="md">
        <TextInput
          label={t('requests.filters.from')}
          type="date"
          size="md"
          value={value.from}
          max={value.to || undefined}
          onChange={(e) => set('from', e.currentTarget.value)}
          data-testid="requests-filter-from"
        />
        <TextInput
          label={t('requests.filters.to')}
          type="date"
          size="md"
          value={value.to}
          min={value.from || undefined}
          onChange={(e) => set('to', e.currentTarget.value)}
          data-testid="requests-filter-to"
        />
        <Select
          label={t('requests.filters.status')}
          placeholder={any}
          size="md"
          clearable
          data={RequestStatus.options.map((s) => ({ value: s, label: t(`requests.status.${s}`) }))}
          value={value.status}
          onChange={(v) => set('status', RequestStatus.safeParse(v).data ?? null)}
          data-testid="requests-filter-status"
        />
        {showSpecialist && (
          <Select
            label={t('requests.filters.specialist')}
            placeholder={any}
            size="md"
            clearable
            searchable
            data={specialists.map((s) => ({ value: s.id, label: s.displayName }))}
            value={value.specialistId}
            onChange={(v) => set('specialistId', v)}
            data-testid="requests-filter-specialist"
          />
        )}
        <Select
          label={t('requests.filters.channel')}
          placeholder={any}
          size="md"
          clearable
          data={RequestChannel.options.map((c) => ({ value: c, label: t(`requests.channel.${c}`) }))}
          value={value.channel}
          onChange={(v) => set('channel', RequestChannel.safeParse(v).data ?? null)}
          data-testid="requests-filter-channel"
        />
      </SimpleGrid>
      <Group justify="space-between" gap="sm">
        <Checkbox
          label={t('requests.filters.overdue')}
          size="md"
          checked={value.overdue}
          onChange={(e) => set('overdue', e.currentTarget.checked)}
          data-testid="requests-filter-overdue"
        />
        {active && (
          <Button variant="subtle" size="md" onClick={() => onChange({ ...NO_FILTERS, q: value.q })} data-testid="requests-filter-reset">
            {t('requests.filters.reset')}
          </Button>
        )}
      </Group>
    </Stack>
  );
  if (!collapsible)
    return (
      <Stack gap="sm">
        {search}
        {fields}
      </Stack>
    );
  return (
    <Stack gap="sm">
      {search}
      <Button
        variant={active ? 'light' : 'default'}
        size="md"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls="requests-filters"
        data-testid="requests-filters-toggle"
      >
        {t('requests.filters.toggle')}
        {active ? ' •' : ''}
      </Button>
      <Collapse expanded={open} id="requests-filters">
        {fields}
      </Collapse>
    </Stack>
  );
}
