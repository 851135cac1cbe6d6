import { RouterProvider } from 'react-router';
import { router } from './router.tsx';

/** Every page but the link page (main.tsx): the router, loaded as a chunk of its own. */
export function App() {
  return <RouterProvider router={router} />;
}
