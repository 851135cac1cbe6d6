import { createTheme, type MantineColorsTuple } from '@mantine/core';

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

export const theme = createTheme({
  colors: { sea },
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
