import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
// Only what the link page shows before anything else loads (named JSON exports, tree-shaken:
// vite.config.ts `json.namedExports`); the whole files, both languages, come in a chunk of
// their own right after the first render (loadAllTranslations).
import { app, consultation, end, errors, lang, link, prejoin, status } from './locales/ru.json';

export const LANGUAGES = ['ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'dp.lang';

function storedLanguage(): Language {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'ru' || v === 'en') return v;
  } catch {
    // Storage can be blocked (private mode, strict settings): Russian is the default anyway.
  }
  return 'ru';
}

let allTranslations: Promise<void> | undefined;

/**
 * Every key of both languages (the staff screens, the room, English). Started by main.tsx
 * right after the first render; react-i18next re-renders what is on screen when they land.
 */
export function loadAllTranslations(): Promise<void> {
  // `?raw`: the whole file as text in a chunk of its own (a plain JSON import would be the
  // same module as the named imports above, and take the entry whole with it).
  allTranslations ??= Promise.all([import('./locales/ru.json?raw'), import('./locales/en.json?raw')]).then(
    ([ru, en]) => {
      i18n.addResourceBundle('ru', 'translation', JSON.parse(ru.default) as object, true, true);
      i18n.addResourceBundle('en', 'translation', JSON.parse(en.default) as object, true, true);
    },
    (e: unknown) => {
      allTranslations = undefined; // a dropped connection: the next call tries again
      throw e;
    },
  );
  return allTranslations;
}

/** The language the page starts in (English waits for its translations before the first render). */
export const startLanguage: Language = storedLanguage();

export function setLanguage(lng: Language): void {
  void loadAllTranslations()
    .catch(() => undefined)
    .then(() => i18n.changeLanguage(lng));
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    /* not persisted: acceptable */
  }
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
  document.title = i18n.t('app.title');
});

// The link page's Russian is bundled: no extra request before the first paint on a slow
// link, and `initAsync: false` makes it ready synchronously.
void i18n.use(initReactI18next).init({
  // `consultation`: with whom, the moved time, «не смогу прийти» on the link page.
  resources: { ru: { translation: { app, consultation, end, errors, lang, link, prejoin, status } } },
  lng: startLanguage,
  // Re-render when loadAllTranslations adds the rest.
  react: { bindI18nStore: 'added' },
  partialBundledLanguages: true,
  fallbackLng: 'ru',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

export default i18n;
