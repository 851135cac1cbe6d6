import { createBrowserRouter, type RouteObject } from 'react-router';
import { JoinPage } from '../join/JoinPage.tsx';
import { Home } from './Home.tsx';

const routes: RouteObject[] = [
  { path: '/', element: <Home /> },
  { path: '/join/:token', element: <JoinPage /> },
  { path: '*', element: <Home /> },
];

if (import.meta.env.DEV) {
  // Development only (removed from the production build): the room UI with made-up
  // state, to look at layouts without a signalling server.
  routes.unshift({
    path: '/dev/room',
    lazy: async () => ({ Component: (await import('../dev/RoomPreview.tsx')).RoomPreview }),
  });
}

export const router = createBrowserRouter(routes);
