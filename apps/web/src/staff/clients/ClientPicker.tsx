import { Button, CloseButton, Combobox, Group, InputBase, Loader, Modal, Paper, Stack, Text, useCombobox } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { grantOf, type Client, type ClientSummary } from '@dp/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { useSession } from '../session.tsx';
import { ClientForm } from './ClientForm.tsx';
import { childText, contactsOf } from './client-text.ts';
import classes from './clients.module.css';

// Choosing a client of the registry for a request, a booking, a webinar or a dyad: search by
// name, phone or e-mail on the server, pick one, or register «Новый клиент» on the spot.

export interface ClientPickerProps {
  institutionId: string;
  /** The chosen client's id, or null. */
  value: string | null;
  /** The chosen client (its summary; a just-registered one in full), or null when cleared. */
  onChange: (client: ClientSummary | Client | null) => void;
  label?: string;
  error?: string | undefined;
  disabled?: boolean;
}

export function ClientPicker({ institutionId, value, onChange, label, error, disabled }: ClientPickerProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [options, setOptions] = useState<ClientSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [chosen, setChosen] = useState<ClientSummary | null>(null);
  const [creating, setCreating] = useState(false);
  const [failed, setFailed] = useState(false);
  const canCreate = grantOf('clients.create', session?.user.role ?? 'specialist') !== null;
  const inputId = useId();

  // The chosen client's summary when only its id is given (e.g. a form opened for editing).
  useEffect(() => {
    if (value === null) {
      setChosen(null);
      return;
    }
    if (chosen?.id === value) return;
    let live = true;
    api.call('clients.get', { institutionId, clientId: value }).then(
      (c) => live && setChosen(c),
      () => live && setChosen(null),
    );
    return () => {
      live = false;
    };
  }, [value, institutionId, chosen?.id]);

  useEffect(() => {
    if (value !== null) return;
    let live = true;
    setLoading(true);
    api.call('clients.list', { institutionId }, { q: q || undefined }).then(
      (l) => {
        if (!live) return;
        setOptions(l.clients);
        setFailed(false);
        setLoading(false);
      },
      () => {
        if (!live) return;
        setFailed(true);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [institutionId, q, value]);

  const pick = (c: ClientSummary | Client) => {
    setChosen(c);
    setSearch('');
    combobox.closeDropdown();
    onChange(c);
  };

  const clear = () => {
    setChosen(null);
    onChange(null);
  };

  const newClient = canCreate && (
    <Button variant="light" size="md" onClick={() => setCreating(true)} disabled={disabled} data-testid="client-picker-new">
      {t('clients.new')}
    </Button>
  );

  return (
    <Stack gap="xs" data-testid="client-picker">
      {value !== null && chosen ? (
        <Paper withBorder p="sm" radius="md" data-testid="client-picker-chosen">
          <Text size="sm" c="gray.7" component="div">
            {label ?? t('clients.picker.label')}
          </Text>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={600} className={classes.wrap}>
                {chosen.representativeName}
              </Text>
              {childText(t, chosen) && <Text className={classes.wrap}>{childText(t, chosen)}</Text>}
              <Text size="sm" c="gray.7" className={classes.wrap}>
                {contactsOf(chosen).join(', ')}
              </Text>
            </div>
            {!disabled && (
              <CloseButton size="lg" onClick={clear} aria-label={t('clients.picker.clear')} data-testid="client-picker-clear" />
            )}
          </Group>
        </Paper>
      ) : value !== null ? (
        <Loader size="sm" />
      ) : (
        <>
          <Combobox store={combobox} onOptionSubmit={(id) => pick(options.find((o) => o.id === id)!)}>
            <Combobox.Target>
              <InputBase
                id={inputId}
                size="md"
                label={label ?? t('clients.picker.label')}
                placeholder={t('clients.picker.placeholder')}
                value={search}
                error={error ?? (failed ? t('clients.picker.failed') : undefined)}
                disabled={disabled}
                rightSection={loading ? <Loader size="xs" /> : <Combobox.Chevron />}
                rightSectionPointerEvents="none"
                onChange={(e) => {
                  setSearch(e.currentTarget.value);
                  combobox.openDropdown();
                  combobox.updateSelectedOptionIndex();
                }}
                onClick={() => combobox.openDropdown()}
                onFocus={() => combobox.openDropdown()}
                onBlur={() => combobox.closeDropdown()}
                data-testid="client-picker-search"
              />
            </Combobox.Target>
            <Combobox.Dropdown>
              <Combobox.Options mah={320} style={{ overflowY: 'auto' }} aria-label={label ?? t('clients.picker.label')}>
                {options.length === 0 ? (
                  <Combobox.Empty>{loading ? t('clients.loading') : t('clients.nothingFound')}</Combobox.Empty>
                ) : (
                  options.map((c) => (
                    <Combobox.Option value={c.id} key={c.id} data-testid="client-picker-option" data-id={c.id}>
                      <span className={classes.option}>
                        <Text component="span" fw={600} className={classes.wrap}>
                          {c.representativeName}
                        </Text>
                        {childText(t, c) && <Text component="span">{` · ${childText(t, c)}`}</Text>}
                      </span>
                      <Text component="span" size="sm" c="gray.7" className={`${classes.option} ${classes.wrap}`}>
                        {contactsOf(c).join(', ')}
                      </Text>
                    </Combobox.Option>
                  ))
                )}
              </Combobox.Options>
            </Combobox.Dropdown>
          </Combobox>
          {newClient && <Group>{newClient}</Group>}
        </>
      )}
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        size="xl"
        centered
        fullScreen={phone}
        title={t('clients.new')}
        closeButtonProps={{ 'aria-label': t('clients.close') }}
      >
        {creating && (
          <ClientForm
            institutionId={institutionId}
            onCancel={() => setCreating(false)}
            onSaved={(c) => {
              setCreating(false);
              pick(c);
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
