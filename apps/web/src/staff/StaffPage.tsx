import { ActionIcon, Box, Button, Container, Group, Menu, Text, type ContainerProps } from '@mantine/core';
import { grantOf, type Action, type StaffRole } from '@dp/protocol';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { AppHeader } from '../ui/AppHeader.tsx';
import { LeaveIcon, MenuIcon } from '../ui/icons.tsx';
import { NoticeBell } from './notices/NoticeBell.tsx';
import { RequireStaff, useSession } from './session.tsx';
import classes from './StaffPage.module.css';

/** The sections besides the start page and profile, each shown to the roles the permission matrix grants its action. */
const SECTIONS = [
  { to: '/day', label: 'day.nav', action: 'day.board' },
  { to: '/institution', label: 'institutionSettings.nav', action: 'institutions.update' },
  { to: '/requests', label: 'requests.nav', action: 'requests.list' },
  { to: '/journal', label: 'journal.nav', action: 'journal.consultations' },
  { to: '/schedules', label: 'schedules.nav', action: 'schedules.suggest' },
  { to: '/failures', label: 'booking.nav.failures', action: 'consultations.failures' },
  { to: '/clients', label: 'clients.nav', action: 'clients.create' },
  // Webinars and dyads are led by heads and specialists (the roles that keep a registry's notes).
  { to: '/webinars', label: 'webinars.nav', action: 'consultations.registry_note' },
  { to: '/dyads', label: 'dyads.nav', action: 'consultations.registry_note' },
  // Monthly reports: the head submits the institution's month; the admin sees the department's.
  { to: '/reports', label: 'reports.nav', action: 'reports.month' },
  { to: '/admin/staff', label: 'staff.nav.staff', action: 'staff.create' },
  { to: '/admin/audit', label: 'staff.nav.audit', action: 'audit.list' },
  { to: '/admin/health', label: 'health.nav', action: 'health.rooms' },
] as const satisfies readonly { to: string; label: string; action: Action }[];

/** What a role may open besides its start page and profile (the start page lists them too). */
export function sectionsOf(role: StaffRole): { to: string; label: string }[] {
  return SECTIONS.filter((s) => grantOf(s.action, role) !== null).map(({ to, label }) => ({ to, label }));
}

/** The header's right side: the user's name, «Мой профиль», «Выйти» (one menu on narrow screens). */
function UserControls() {
  const { t } = useTranslation();
  const { session, signOut } = useSession();
  if (!session) return null;
  const forced = session.stage === 'totp_setup_required';
  const out = () => void signOut();
  return (
    <Group gap="xs" wrap="nowrap" ml="auto">
      {session.stage === 'active' && <NoticeBell />}
      <Group gap="xs" wrap="nowrap" visibleFrom="md" className={classes.controls}>
        <Text fw={600} className={classes.name} title={session.user.email} data-testid="header-user">
          {session.user.displayName}
        </Text>
        {!forced && (
          <Button component={Link} to="/account" variant="subtle" size="md" className={classes.fixed} data-testid="header-account">
            {t('staff.nav.account')}
          </Button>
        )}
        <Button
          variant="default"
          size="md"
          leftSection={<LeaveIcon size={18} />}
          onClick={out}
          className={classes.fixed}
          data-testid="sign-out"
        >
          {t('staff.nav.signOut')}
        </Button>
      </Group>
      <Menu position="bottom-end" width={260}>
        <Menu.Target>
          <ActionIcon
            variant="default"
            size={44}
            radius="md"
            hiddenFrom="md"
            className={classes.menuButton}
            aria-label={`${t('staff.nav.menu')}: ${session.user.displayName}`}
            data-testid="header-menu"
          >
            <MenuIcon size={22} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label className={classes.menuName}>{session.user.displayName}</Menu.Label>
          {!forced && (
            <Menu.Item component={Link} to="/staff" className={classes.menuItem}>
              {t('staff.nav.home')}
            </Menu.Item>
          )}
          {/* On a phone the sections live here: a list of them above every screen would fill the first view. */}
          {!forced &&
            sectionsOf(session.user.role).map((sec) => (
              <Menu.Item key={sec.to} component={Link} to={sec.to} className={classes.menuItem} data-testid={`menu-${sec.to}`}>
                {t(sec.label)}
              </Menu.Item>
            ))}
          {!forced && (
            <Menu.Item component={Link} to="/account" className={classes.menuItem}>
              {t('staff.nav.account')}
            </Menu.Item>
          )}
          <Menu.Divider />
          <Menu.Item onClick={out} className={classes.menuItem} leftSection={<LeaveIcon size={18} />}>
            {t('staff.nav.signOut')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}

/** The role's sections under the header (admins: staff, audit log), the current one marked. */
function Sections() {
  const { t } = useTranslation();
  const { session } = useSession();
  const { pathname } = useLocation();
  if (!session || session.stage !== 'active') return null;
  const sections = sectionsOf(session.user.role);
  if (sections.length === 0) return null;
  const all = [{ to: '/staff', label: 'staff.nav.home' }, ...sections];
  return (
    <Box component="nav" visibleFrom="md" className={classes.sections} aria-label={t('staff.nav.sections')}>
      <Group gap={4} className={classes.sectionsInner}>
        {all.map((s) => {
          const current = pathname === s.to;
          return (
            <Button
              key={s.to}
              component={Link}
              to={s.to}
              variant={current ? 'light' : 'subtle'}
              size="md"
              aria-current={current ? 'page' : undefined}
              className={classes.fixed}
              data-testid={`nav-${s.to}`}
            >
              {t(s.label)}
            </Button>
          );
        })}
      </Group>
    </Box>
  );
}

/**
 * A signed-in staff screen: the header with the user's name, profile and sign-out, the
 * role's sections, and the screen behind <RequireStaff>.
 */
export function StaffPage({
  roles,
  totpSetup,
  size = 960,
  children,
}: {
  roles?: readonly StaffRole[];
  totpSetup?: boolean;
  size?: ContainerProps['size'];
  children: ReactNode;
}) {
  return (
    <div className={classes.page}>
      <AppHeader homeHref="/staff">
        <UserControls />
      </AppHeader>
      <Sections />
      <RequireStaff roles={roles} totpSetup={totpSetup}>
        <Container size={size} px={{ base: 'sm', sm: 'md' }} py={{ base: 'md', sm: 'xl' }} component="main" w="100%">
          {children}
        </Container>
      </RequireStaff>
    </div>
  );
}

/** A public staff screen (sign-in, set-password): the header without the user's controls. */
export function PublicStaffPage({ children }: { children: ReactNode }) {
  return (
    <div className={classes.page}>
      <AppHeader />
      <Container size={520} px={{ base: 'sm', sm: 'md' }} py={{ base: 'md', sm: 'xl' }} component="main" w="100%">
        {children}
      </Container>
    </div>
  );
}
