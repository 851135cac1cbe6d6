import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CheckIcon } from '../ui/icons.tsx';
import { formatDateTime } from './format.ts';
import classes from './staff.module.css';

/**
 * A one-time "set your password" link, shown to the admin once (only its hash is kept):
 * copy it and hand it to the person.
 */
export function OneTimeLink({ url, expiresAt, name, onDone }: { url: string; expiresAt: string; name: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap="md" data-testid="password-link-panel">
      <Text size="lg">{t('staff.link.intro', { name })}</Text>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('staff.link.label')}
          value={url}
          readOnly
          size="lg"
          onFocus={(e) => e.currentTarget.select()}
          classNames={{ input: classes.link }}
          style={{ flex: '1 1 16rem', minWidth: 0 }}
          data-testid="password-link"
        />
        <CopyButton value={url} timeout={2500}>
          {({ copied, copy }) => (
            <Button
              size="lg"
              color={copied ? 'teal' : 'sea'}
              leftSection={copied ? <CheckIcon size={20} /> : undefined}
              onClick={copy}
              data-testid="password-link-copy"
            >
              {copied ? t('staff.link.copied') : t('staff.link.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Alert color="yellow" variant="light">
        <Stack gap={6}>
          <Text fw={600}>{t('staff.link.valid', { when: formatDateTime(expiresAt, i18n.language) })}</Text>
          <Text>{t('staff.link.handOver')}</Text>
          <Text>{t('staff.link.once')}</Text>
        </Stack>
      </Alert>
      <Button size="lg" variant="default" onClick={onDone} className={classes.mainAction} data-testid="password-link-done">
        {t('staff.link.done')}
      </Button>
    </Stack>
  );
}
