import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLanguage, type Language } from '../i18n.ts';
import classes from './AppHeader.module.css';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const value: Language = i18n.resolvedLanguage === 'en' ? 'en' : 'ru';
  return (
    <SegmentedControl
      aria-label={t('lang.label')}
      size="sm"
      // Never squeezed by a long header: the title wraps instead.
      style={{ flex: 'none' }}
      classNames={{ root: classes.langRoot, label: classes.langLabel }}
      value={value}
      onChange={(v) => setLanguage(v === 'en' ? 'en' : 'ru')}
      data={[
        { value: 'ru', label: <span lang="ru">RU</span> },
        { value: 'en', label: <span lang="en">EN</span> },
      ]}
    />
  );
}
