import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from './format.ts';
import { CopyableLink } from './CopyableLink.tsx';
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
      <CopyableLink
        url={url}
        label={t('staff.link.label')}
        copyLabel={t('staff.link.copy')}
        copiedLabel={t('staff.link.copied')}
        testId="password-link"
      />
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
