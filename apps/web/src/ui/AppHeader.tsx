import { Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import classes from './AppHeader.module.css';

/** The thin top bar: product name, an optional middle slot, language. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <header className={classes.header}>
      <Group justify="space-between" wrap="nowrap" gap="sm" className={classes.inner}>
        <Text fw={700} className={classes.title}>
          {t('app.title')}
        </Text>
        {children}
        <LanguageSwitch />
      </Group>
    </header>
  );
}
