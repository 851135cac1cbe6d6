import { Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AppHeader } from '../ui/AppHeader.tsx';

/** The root page: someone arrived without an invitation link. */
export function Home() {
  const { t } = useTranslation();
  return (
    <>
      <AppHeader />
      <Container size={640} px="md" py="xl" component="main">
        <Paper withBorder radius="lg" p={{ base: 'lg', sm: 'xl' }}>
          <Stack gap="md">
            <Title order={1}>{t('home.title')}</Title>
            <Text size="lg">{t('home.text')}</Text>
            <Text c="gray.7">{t('home.hint')}</Text>
            <Text component={Link} to="/sign-in" c="sea.8" td="underline" py={10} style={{ alignSelf: 'flex-start' }}>
              {t('home.staffSignIn')}
            </Text>
          </Stack>
        </Paper>
      </Container>
    </>
  );
}
