import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { cssVariablesResolver, theme } from './theme.ts';

// The CSP nonce of this page load: the signalling process writes a fresh one into index.html
// (<meta property="csp-nonce">, from vite.config.ts `html.cspNonce`) and into the
// Content-Security-Policy header. Mantine's run-time <style> elements carry it; without it the
// browser would refuse them (style-src has no 'unsafe-inline'). Read once: the browser hides
// the attribute after parsing, the `nonce` property keeps it.
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';

/** Mantine with our theme: shared by the link page's entry and the routed app. */
export function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light" getStyleNonce={() => styleNonce}>
      {children}
    </MantineProvider>
  );
}
