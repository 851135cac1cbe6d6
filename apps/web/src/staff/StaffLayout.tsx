import './mantine-staff-styles.ts';
import { Notifications } from '@mantine/notifications';
import { Outlet } from 'react-router';
import { SessionProvider } from './session.tsx';

/** Every staff route (sign-in included) under one session. */
export function StaffLayout() {
  return (
    <SessionProvider>
      <Notifications position="top-center" limit={3} />
      <Outlet />
    </SessionProvider>
  );
}
