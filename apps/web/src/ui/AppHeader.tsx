import { Anchor, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { followInApp } from '../app/navigation.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import classes from './AppHeader.module.css';

/** The thin top bar: product name (a link home when `homeHref` is given), an optional middle slot, language. */
export function AppHeader({ children, homeHref }: { children?: ReactNode; homeHref?: string }) {
  const { t } = useTranslation();
  return (
    <header className={classes.header}>
      <Group justify="space-between" wrap="nowrap" gap="sm" className={classes.inner}>
        {homeHref ? (
          // A plain <a>: the link page has no router (app/navigation.ts keeps staff pages in the app).
          <Anchor href={homeHref} onClick={(e) => followInApp(e, homeHref)} fw={700} underline="hover" className={classes.title}>
            {t('app.title')}
          </Anchor>
        ) : (
          <Text fw={700} className={classes.title}>
            {t('app.title')}
          </Text>
        )}
        {children}
        <LanguageSwitch />
      </Group>
    </header>
  );
}
