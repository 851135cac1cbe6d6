import { Button, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ConsultationList } from './consultations/ConsultationList.tsx';
import { sectionsOf, StaffPage } from './StaffPage.tsx';
import { useSignedIn } from './session.tsx';

/** `/staff` — the start page after sign-in, for every role. */
export function StaffHome() {
  return (
    <StaffPage size={960}>
      <Home />
    </StaffPage>
  );
}

function Home() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { role, displayName, institutionId } = session.user;
  const links = [...sectionsOf(role), { to: '/account', label: 'staff.nav.account' }];
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{role === 'specialist' ? t('staff.home.myConsultations') : t('staff.home.title')}</Title>
        <Text c="gray.7">
          {displayName} · {t(`staff.roles.${role}`)}
        </Text>
      </Stack>
      {institutionId && (role === 'specialist' || role === 'head' || role === 'social_worker') && (
        <ConsultationList institutionId={institutionId} own={role === 'specialist'} />
      )}
      <Stack gap="sm">
        {role !== 'specialist' && <Title order={2}>{t('staff.home.sections')}</Title>}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {links.map((l) => (
            <Button key={l.to} component={Link} to={l.to} size="lg" variant="light" justify="flex-start" data-testid={`home-link-${l.to}`}>
              {t(l.label)}
            </Button>
          ))}
        </SimpleGrid>
        {role !== 'admin' && <Text c="gray.7">{t('staff.home.more')}</Text>}
      </Stack>
    </Stack>
  );
}
