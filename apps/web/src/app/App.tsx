import { MantineProvider } from '@mantine/core';
import { RouterProvider } from 'react-router';
import { router } from './router.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} forceColorScheme="light">
      <RouterProvider router={router} />
    </MantineProvider>
  );
}
