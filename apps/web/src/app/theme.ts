import { createTheme, DEFAULT_THEME, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

// A calm, deep sea-blue: shade 7 on white passes WCAG AA for normal text (≈ 5.5:1),
// so filled buttons stay readable for tired eyes on cheap, washed-out screens.
const sea: MantineColorsTuple = [
  '#e8f4f7',
  '#d3e8ee',
  '#a6d0dc',
  '#76b6c9',
  '#4f9fb8',
  '#3690ad',
  '#2a86a6',
  '#1f6f8b',
  '#15627c',
  '#00546e',
];

// Mantine's orange with a darker shade 9: the text colour of orange notices (light Alerts)
// and of warnings such as «осталось 5 минут». Mantine's own (#d9480f) is 4.3:1 on white and
// 3.6:1 on orange.1; this one is 6.5:1 and 5.4:1 (WCAG AA).
const orange: MantineColorsTuple = [...DEFAULT_THEME.colors.orange.slice(0, 9), '#a63b08'] as unknown as MantineColorsTuple;

export const theme = createTheme({
  colors: { sea, orange },
  primaryColor: 'sea',
  primaryShade: 7,
  focusRing: 'auto',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PT Sans", Arial, sans-serif',
  // Large type throughout: the base (md) is 18 px.
  fontSizes: { xs: '0.875rem', sm: '1rem', md: '1.125rem', lg: '1.25rem', xl: '1.5rem' },
  lineHeights: { xs: '1.4', sm: '1.45', md: '1.5', lg: '1.5', xl: '1.4' },
  headings: {
    fontWeight: '650',
    sizes: {
      h1: { fontSize: '1.75rem', lineHeight: '1.25' },
      h2: { fontSize: '1.5rem', lineHeight: '1.3' },
      h3: { fontSize: '1.25rem', lineHeight: '1.35' },
    },
  },
  components: {
    Text: { defaultProps: { size: 'md' } },
    // Status badges in sentence case: capitals read as shouting and are harder to read.
    Badge: { defaultProps: { tt: 'none' } },
  },
});

/**
 * `c="dimmed"` is Mantine's gray.6 (3.3:1 on white, below WCAG AA for text): secondary text
 * uses gray.7 instead (8.2:1), the same grey as the other hints. Placeholders (gray.5, 2.1:1)
 * get a grey that is still lighter than typed text but readable (5:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': '#68717a',
    ...lightVariantText(Object.keys(t.colors)),
  },
  dark: {},
});

/**
 * The `light` variant (status badges, light buttons) writes its text in shade 6 by default:
 * teal, yellow, green or orange 6 on their pale background are 2–3:1, below WCAG AA. Shade 9
 * (or, for the palettes too pale even there, a darker tone) reads at 4.5:1 or better.
 */
function lightVariantText(colors: string[]): Record<string, string> {
  return Object.fromEntries(colors.map((c) => [`--mantine-color-${c}-light-color`, DARK_ENOUGH[c] ?? `var(--mantine-color-${c}-9)`]));
}

/** Palettes whose shade 9 is still too pale for text (Mantine's yellow 9 is 2.9:1 on white). */
const DARK_ENOUGH: Record<string, string> = {
  yellow: '#6e4f00',
  lime: '#4a6b0f',
  green: '#1e6b30',
  teal: '#06624a',
  cyan: '#0a5f6e',
};
