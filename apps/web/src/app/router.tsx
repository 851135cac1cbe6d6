import { createBrowserRouter, useParams, useSearchParams, type RouteObject } from 'react-router';
import { JoinPage } from '../join/JoinPage.tsx';
import { FeedbackPage } from '../join/FeedbackPage.tsx';
import { Home } from './Home.tsx';
import { setNavigator } from './navigation.ts';

type StaffScreens = typeof import('../staff/index.ts');
const staff = () => import('../staff/index.ts');
const screen = (name: keyof StaffScreens) => async () => ({ Component: (await staff())[name] });
// The admin dashboard is a chunk of its own (charts, recharts): the other staff screens stay light.
const admin = () => import('../admin/index.ts');
// The monthly reports too (their trend chart).
const reports = () => import('../staff/reports/index.ts');

const routes: RouteObject[] = [
  { path: '/', element: <Home /> },
  // The client's link: main.tsx renders it without the router when the page is opened at its
  // address; this route serves an in-app navigation to it.
  { path: '/join/:token', Component: JoinRoute },
  // The client's feedback form (main.tsx renders it directly when opened at its address).
  { path: '/join/:token/feedback', Component: FeedbackRoute },
  {
    // Staff screens share one session (the layout asks the server who is signed in).
    lazy: screen('StaffLayout'),
    children: [
      { path: '/sign-in', lazy: screen('SignInPage') },
      { path: '/set-password/:token', lazy: screen('SetPasswordPage') },
      { path: '/staff', lazy: screen('StaffHome') },
      // A staff member's way into a room: the session, never a link.
      { path: '/staff/room/:consultationId', lazy: screen('StaffRoomPage') },
      { path: '/staff/consultations/:consultationId', lazy: screen('ConsultationPage') },
      { path: '/day', lazy: screen('DayBoardPage') },
      { path: '/institution', lazy: screen('InstitutionSettingsPage') },
      { path: '/requests', lazy: screen('RequestsPage') },
      { path: '/journal', lazy: screen('JournalPage') },
      { path: '/requests/:requestId/book', lazy: screen('BookingPage') },
      { path: '/failures', lazy: screen('FailuresPage') },
      { path: '/schedules', lazy: screen('SchedulesPage') },
      { path: '/clients', lazy: screen('ClientsPage') },
      { path: '/clients/:clientId', lazy: screen('ClientPage') },
      { path: '/webinars', lazy: screen('WebinarsPage') },
      { path: '/webinars/:consultationId', lazy: screen('WebinarPage') },
      { path: '/dyads', lazy: screen('DyadsPage') },
      { path: '/account', lazy: screen('AccountPage') },
      { path: '/account/totp', lazy: screen('TotpPage') },
      { path: '/admin/staff', lazy: screen('AdminStaffPage') },
      { path: '/admin/audit', lazy: screen('AdminAuditPage') },
      { path: '/reports', lazy: async () => ({ Component: (await reports()).ReportsPage }) },
      { path: '/reports/consolidated', lazy: async () => ({ Component: (await reports()).ConsolidatedPage }) },
      { path: '/reports/settings', lazy: async () => ({ Component: (await reports()).ReportSettingsPage }) },
      { path: '/admin/health', lazy: async () => ({ Component: (await admin()).HealthPage }) },
    ],
  },
  { path: '*', element: <Home /> },
];

if (import.meta.env.DEV) {
  // Development only (removed from the production build): the room UI with made-up
  // state, to look at layouts without a signalling server.
  routes.unshift({
    path: '/dev/room',
    lazy: async () => ({ Component: (await import('../dev/RoomPreview.tsx')).RoomPreview }),
  });
  // The room-health dashboard with a synthetic snapshot: `/dev/health?rooms=100&room=3`.
  routes.unshift({
    path: '/dev/health',
    lazy: async () => ({ Component: (await import('../admin/HealthPreview.tsx')).HealthPreview }),
  });
}

function JoinRoute() {
  const { token = '' } = useParams();
  const [search] = useSearchParams();
  return <JoinPage token={token} forceTcp={search.get('tcp') === '1'} />;
}

function FeedbackRoute() {
  const { token = '' } = useParams();
  return <FeedbackPage token={token} />;
}

export const router = createBrowserRouter(routes);
setNavigator((to) => void router.navigate(to));
