import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { ConsultationTopic, type Protocol } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalTitle } from '../../ui/ModalTitle.tsx';
import { api, ApiError } from '../api.ts';
import { errorText } from '../format.ts';
import { ProtocolFiles } from './ProtocolFiles.tsx';
import { ProtocolReadOnly, ProtocolVersions, useWhen } from './ProtocolVersions.tsx';
import {
  EMPTY,
  PROTOCOL_LINKS_MAX,
  PROTOCOL_TEXT_MAX,
  bodyOf,
  fieldErrors,
  validate,
  valuesOf,
  type ProtocolValues,
} from './protocol-form.ts';

// The protocol of a consultation (протокол онлайн-консультирования): filled while the room is
// open (the staff side panel, `compact`) and after (the consultation page). «Сохранить» keeps
// a draft; «Протокол оформлен» makes it final; after that «Изменить (новая версия)» — every
// change is then a new version, the earlier ones readable. Shown only to whom the server lets
// read it (head, the consultation's specialists): 403/404 hide the panel.

const noWait = () => Promise.resolve();
/** The consultation page's protocol section (the room links to it). */
const PROTOCOL_ANCHOR = 'protocol';

export function ProtocolPanel({
  consultationId,
  compact = false,
  beforeWrite = noWait,
  timeZone,
}: {
  consultationId: string;
  /** The institution's time zone, for the times of saves and versions (the page knows it; the room does not). */
  timeZone?: string;
  /** The room's side panel: no border, no versions list. */
  compact?: boolean;
  /** Runs before each write (the room reads the staff session's CSRF token first). */
  beforeWrite?: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const when = useWhen(timeZone);
  const [protocol, setProtocol] = useState<Protocol | null>(null);
  const [status, setStatus] = useState<'loading' | 'hidden' | 'ready'>('loading');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [revising, setRevising] = useState(false);
  const [busy, setBusy] = useState<'save' | 'finalize' | null>(null);
  const [message, setMessage] = useState<{ color: string; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const form = useForm<ProtocolValues>({ initialValues: EMPTY, validate: (v) => validate(t, v) });

  const take = useCallback((p: Protocol) => {
    setProtocol(p);
    const values = valuesOf(p.latest, p.consultationTopic);
    form.setValues(values);
    form.resetDirty(values);
  }, []);

  const load = useCallback(async () => {
    try {
      take(await api.call('protocol.get', { consultationId }, {}, { public: true }));
      setStatus('ready');
      setLoadError(null);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)) setStatus('hidden');
      else setLoadError(errorText(t, e));
    }
  }, [consultationId, t, take]);
  useEffect(() => {
    void load();
  }, [load]);
  // Opened from the room's «Все версии протокола» (`…#protocol`): bring the section into view once it is there.
  useEffect(() => {
    if (!compact && status === 'ready' && window.location.hash === `#${PROTOCOL_ANCHOR}`)
      document.getElementById(PROTOCOL_ANCHOR)?.scrollIntoView({ block: 'start' });
  }, [compact, status]);

  if (status === 'hidden') return null;
  if (loadError)
    return (
      <Alert color="orange" variant="light">
        <Group justify="space-between">
          <Text>{loadError}</Text>
          <Button size="md" variant="default" onClick={() => void load()}>
            {t('staff.retry')}
          </Button>
        </Group>
      </Alert>
    );
  if (!protocol) return <Loader size="sm" aria-label={t('staff.loading')} />;

  const latest = protocol.latest;
  const final = latest?.final === true;
  const editing = !final || revising;

  const failed = (e: unknown) => {
    const fields = fieldErrors(t, e);
    if (fields) {
      form.setErrors(fields);
      setMessage({ color: 'red', text: fields.form ?? t('protocol.checkFields') });
    } else if (e instanceof ApiError && e.status === 409) setMessage({ color: 'orange', text: t('protocol.stale') });
    else setMessage({ color: 'red', text: errorText(t, e) });
  };

  const save = async (values: ProtocolValues): Promise<Protocol | null> => {
    await beforeWrite();
    const saved = await api.call('protocol.save', { consultationId }, bodyOf(values, latest?.version ?? 0), { public: true });
    take(saved);
    return saved;
  };

  const onSave = async (values: ProtocolValues) => {
    setBusy('save');
    setMessage(null);
    try {
      const saved = await save(values);
      setRevising(false);
      const newVersion = final && saved?.latest && saved.latest.version !== latest?.version;
      setMessage({
        color: 'teal',
        text: newVersion ? t('protocol.savedVersion', { version: saved.latest!.version }) : t('protocol.saved'),
      });
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  const onFinalize = async () => {
    setConfirming(false);
    const checked = form.validate();
    if (checked.hasErrors) return;
    setBusy('finalize');
    setMessage(null);
    try {
      const saved = form.isDirty() || !latest ? await save(form.getValues()) : protocol;
      await beforeWrite();
      take(await api.call('protocol.finalize', { consultationId }, { version: saved!.latest!.version }, { public: true }));
      setMessage({ color: 'teal', text: t('protocol.finalized') });
    } catch (e) {
      failed(e);
    } finally {
      setBusy(null);
    }
  };

  const topics = ConsultationTopic.options.map((value) => ({ value, label: t(`staff.topics.${value}`) }));
  const materials = form.getValues().materials;

  const body = (
    <Stack gap="md" data-testid="protocol" data-final={final ? 'true' : 'false'} data-version={latest?.version ?? 0}>
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Title order={2} size={compact ? 'h4' : 'h3'}>
          {t('protocol.title')}
        </Title>
        {latest && (
          <Badge size="lg" variant="light" color={final ? 'teal' : 'gray'} data-testid="protocol-status">
            {final ? t('protocol.statusFinal', { version: latest.version }) : t('protocol.statusDraft')}
          </Badge>
        )}
      </Group>
      {latest && (
        <Text size="sm" c="gray.7">
          {t('protocol.lastSaved', { when: when(latest.updatedAt), who: latest.authorName })}
        </Text>
      )}
      {/* The room shows the latest only: every version is on the consultation's page (a new tab, the call stays). */}
      {compact && latest && (final || latest.version > 1) && (
        <Anchor
          href={`/staff/consultations/${consultationId}#${PROTOCOL_ANCHOR}`}
          target="_blank"
          rel="noopener"
          size="md"
          data-testid="protocol-all-versions"
        >
          {t('staffScreens.protocolVersions')}
          <VisuallyHidden component="span"> {t('staffScreens.newTab')}</VisuallyHidden>
        </Anchor>
      )}

      {editing ? (
        <form onSubmit={form.onSubmit((v) => void onSave(v))} noValidate>
          <Stack gap="md">
            {revising && <Alert variant="light">{t('protocol.revisingHint')}</Alert>}
            <Textarea
              label={t('protocol.fields.reason')}
              size="md"
              autosize
              minRows={2}
              maxRows={10}
              maxLength={PROTOCOL_TEXT_MAX}
              data-testid="protocol-reason"
              {...form.getInputProps('reason')}
            />
            <Select
              label={t('protocol.fields.topic')}
              placeholder={t('protocol.topicPlaceholder')}
              size="md"
              data={topics}
              clearable
              allowDeselect
              comboboxProps={{ withinPortal: true }}
              data-testid="protocol-topic"
              {...form.getInputProps('topic')}
            />
            <Textarea
              label={t('protocol.fields.solution')}
              size="md"
              autosize
              minRows={3}
              maxRows={14}
              maxLength={PROTOCOL_TEXT_MAX}
              data-testid="protocol-solution"
              {...form.getInputProps('solution')}
            />
            <Stack gap="xs" data-testid="protocol-links">
              <Text fw={600}>{t('protocol.fields.materials')}</Text>
              {materials.length === 0 && <Text c="gray.7">{t('protocol.links.none')}</Text>}
              {materials.map((_, i) => (
                <Group key={i} gap="xs" align="flex-start" wrap={compact ? 'wrap' : 'nowrap'} data-testid="protocol-link">
                  <TextInput
                    label={t('protocol.links.title')}
                    size="md"
                    style={{ flex: '1 1 10rem' }}
                    data-testid="protocol-link-title"
                    {...form.getInputProps(`materials.${i}.title`)}
                  />
                  <TextInput
                    label={t('protocol.links.url')}
                    placeholder="https://"
                    size="md"
                    type="url"
                    style={{ flex: '2 1 14rem' }}
                    data-testid="protocol-link-url"
                    {...form.getInputProps(`materials.${i}.url`)}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red.9"
                    size="xl"
                    mt={compact ? 0 : 26}
                    aria-label={t('protocol.links.remove')}
                    onClick={() => form.removeListItem('materials', i)}
                    data-testid="protocol-link-remove"
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
              {form.errors.materials && <Text c="red.9">{form.errors.materials}</Text>}
              {materials.length < PROTOCOL_LINKS_MAX && (
                <Button
                  variant="light"
                  size="md"
                  style={{ alignSelf: 'flex-start' }}
                  onClick={() => form.insertListItem('materials', { title: '', url: '' })}
                  data-testid="protocol-link-add"
                >
                  {t('protocol.links.add')}
                </Button>
              )}
            </Stack>
            <Group gap="sm" wrap="wrap">
              <Button type="submit" size="md" loading={busy === 'save'} data-testid="protocol-save">
                {t('protocol.save')}
              </Button>
              {!final && (
                <Button
                  size="md"
                  variant="outline"
                  color="teal.9"
                  loading={busy === 'finalize'}
                  onClick={() => setConfirming(true)}
                  data-testid="protocol-finalize"
                >
                  {t('protocol.finalize')}
                </Button>
              )}
              {revising && (
                <Button
                  size="md"
                  variant="default"
                  onClick={() => (setRevising(false), take(protocol))}
                  data-testid="protocol-revise-cancel"
                >
                  {t('staff.cancel')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="md">
          <ProtocolReadOnly v={latest!} />
          <Button
            size="md"
            variant="light"
            style={{ alignSelf: 'flex-start' }}
            onClick={() => (setRevising(true), setMessage(null))}
            data-testid="protocol-revise"
          >
            {t('protocol.revise')}
          </Button>
        </Stack>
      )}
      {message && (
        <Text c={`${message.color}.9`} role="status" data-testid="protocol-message">
          {message.text}
          {message.color === 'orange' && (
            <>
              {' '}
              <Button variant="subtle" size="compact-md" onClick={() => void load()}>
                {t('protocol.reload')}
              </Button>
            </>
          )}
        </Text>
      )}
      <ProtocolFiles protocol={protocol} final={final} beforeWrite={beforeWrite} onChanged={() => void load()} />
      {!compact && <ProtocolVersions protocol={protocol} timeZone={timeZone} />}
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        size="md"
        title={<ModalTitle size="lg">{t('protocol.confirmTitle')}</ModalTitle>}
      >
        <Stack gap="md">
          <Text>{t('protocol.confirmText')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button size="md" variant="default" onClick={() => setConfirming(false)}>
              {t('staff.cancel')}
            </Button>
            <Button size="md" color="teal" onClick={() => void onFinalize()} data-testid="protocol-finalize-confirm">
              {t('protocol.finalizeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );

  return compact ? (
    body
  ) : (
    <Paper withBorder radius="md" p="md" component="section" id={PROTOCOL_ANCHOR} data-testid="consultation-protocol">
      {body}
    </Paper>
  );
}
