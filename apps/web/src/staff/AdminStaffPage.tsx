import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { staffRolesGranted, type Institution, type StaffMember } from '@dp/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMediaQuery } from '@mantine/hooks';
import { api } from './api.ts';
import { errorText, formatDateTime } from './format.ts';
import { StaffDialog, type StaffDialogState } from './StaffDialog.tsx';
import { StaffPage } from './StaffPage.tsx';
import classes from './staff.module.css';

/** A status badge never cut to «Вход…»: it keeps its whole width. */
const wholeBadge = { root: { overflow: 'visible' }, label: { overflow: 'visible' } } as const;

/** Who manages staff accounts: the roles the matrix grants `staff.create`. */
const STAFF_ADMIN_ROLES = staffRolesGranted('staff.create');

/** `/admin/staff` — the staff of one institution: accounts, roles, one-time password links. */
export function AdminStaffPage() {
  return (
    <StaffPage roles={STAFF_ADMIN_ROLES} size={1200}>
      <StaffAdmin />
    </StaffPage>
  );
}

function StaffAdmin() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const [institutions, setInstitutions] = useState<Institution[] | null>(null);
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<StaffDialogState | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const phone = useMediaQuery('(max-width: 36em)') ?? false;

  useEffect(() => {
    api.call('institutions.list', {}).then(
      (l) => setInstitutions([...l.institutions].sort((a, b) => a.name.localeCompare(b.name, 'ru'))),
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [t]);

  const wanted = search.get('institution');
  const institutionId = institutions?.some((i) => i.id === wanted) ? wanted : (institutions?.[0]?.id ?? null);

  const load = useCallback(() => {
    if (!institutionId) return;
    api.call('staff.list', { institutionId }).then(
      (l) => {
        setStaff([...l.staff].sort((a, b) => Number(b.active) - Number(a.active) || a.displayName.localeCompare(b.displayName, 'ru')));
        setError(null);
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, [institutionId, t]);
  useEffect(() => {
    setStaff(null);
    load();
  }, [load]);

  const setActive = async (member: StaffMember, active: boolean) => {
    setBusyId(member.id);
    try {
      await api.call('staff.update', { staffId: member.id }, { active });
      notifications.show({
        color: 'teal',
        message: active
          ? t('staff.admin.activated', { name: member.displayName })
          : t('staff.admin.deactivated', { name: member.displayName }),
      });
      setDialog(null);
      load();
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e) });
    } finally {
      setBusyId(null);
    }
  };

  const resetPassword = async (member: StaffMember) => {
    setBusyId(member.id);
    try {
      const link = await api.call('staff.password_link', { staffId: member.id }, {});
      setDialog({ kind: 'link', name: member.displayName, url: link.url, expiresAt: link.expiresAt });
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(t, e) });
      setDialog(null);
    } finally {
      setBusyId(null);
    }
  };

  const institution = institutions?.find((i) => i.id === institutionId);

  const rowActions = (m: StaffMember) =>
    m.role === 'admin' ? null : (
      <Group gap="xs" justify={phone ? 'flex-start' : 'flex-end'} wrap="wrap">
        <Button size="sm" h={44} variant="default" onClick={() => setDialog({ kind: 'edit', member: m })} data-testid="staff-edit">
          {t('staff.admin.edit')}
        </Button>
        <Button
          size="sm"
          h={phone ? undefined : 44}
          className={phone ? classes.wrap : undefined}
          variant="default"
          disabled={!m.active}
          onClick={() => setDialog({ kind: 'reset', member: m })}
          data-testid="staff-reset"
          data-password-set={m.passwordSet}
        >
          {m.passwordSet ? t('staff.admin.reset') : t('staff.admin.sendLink')}
        </Button>
        {m.active ? (
          <Button
            size="sm"
            h={44}
            variant="light"
            color="red"
            onClick={() => setDialog({ kind: 'deactivate', member: m })}
            data-testid="staff-deactivate"
          >
            {t('staff.admin.deactivate')}
          </Button>
        ) : (
          <Button
            size="sm"
            h={44}
            variant="light"
            loading={busyId === m.id}
            onClick={() => void setActive(m, true)}
            data-testid="staff-activate"
          >
            {t('staff.admin.activate')}
          </Button>
        )}
      </Group>
    );
  const status = (m: StaffMember) => (
    <Stack gap={4}>
      <Badge color={m.active ? 'teal' : 'gray'} variant="light" size="lg" styles={wholeBadge} data-testid="staff-active">
        {m.active ? t('staff.admin.active') : t('staff.admin.inactive')}
      </Badge>
      <Text size="sm" data-testid="staff-password">
        {m.passwordSet ? t('staff.admin.passwordSet') : t('staff.admin.passwordNotSet')}
      </Text>
      <Text size="sm" c="gray.7" data-testid="staff-last-sign-in">
        {m.lastSignInAt
          ? t('staff.admin.lastSignIn', { when: formatDateTime(m.lastSignInAt, i18n.language) })
          : t('staff.admin.neverSignedIn')}
      </Text>
    </Stack>
  );

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" gap="md">
        <Title order={1}>{t('staff.admin.title')}</Title>
        <Button
          size="lg"
          onClick={() => setDialog({ kind: 'create' })}
          disabled={!institutionId}
          className={classes.wrap}
          data-testid="staff-add"
        >
          {t('staff.admin.add')}
        </Button>
      </Group>
      {institutions && institutions.length === 0 && (
        <Alert color="sea" variant="light">
          <Text>{t('staff.admin.noInstitutions')}</Text>
        </Alert>
      )}
      {institutions && institutions.length > 0 && (
        <Select
          label={t('staff.fields.institution')}
          size="lg"
          maw={560}
          data={institutions.map((i) => ({ value: i.id, label: i.name }))}
          value={institutionId}
          onChange={(v) => v && setSearch({ institution: v }, { replace: true })}
          allowDeselect={false}
          searchable={institutions.length > 8}
          data-testid="staff-institution"
        />
      )}
      {error && (
        <Alert color="red" variant="light" role="alert">
          <Text>{error}</Text>
        </Alert>
      )}
      {staff && staff.length === 0 && <Text c="gray.7">{t('staff.admin.empty')}</Text>}
      {staff && staff.length > 0 && phone && (
        <Stack gap="sm" data-testid="staff-table">
          {staff.map((m) => (
            <Paper key={m.id} withBorder p="md" data-testid="staff-row" data-id={m.id} data-email={m.email}>
              <Stack gap="xs">
                <Text fw={600}>{m.displayName}</Text>
                {m.specialist && (
                  <Text size="sm" c="gray.7">
                    {m.specialist.title} · {t(`staff.professions.${m.specialist.profession}`)}
                  </Text>
                )}
                <Text data-testid="staff-role">{t(`staff.roles.${m.role}`)}</Text>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                  {m.email}
                </Text>
                {status(m)}
                {rowActions(m)}
              </Stack>
            </Paper>
          ))}
        </Stack>
      )}
      {staff && staff.length > 0 && !phone && (
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="sm" highlightOnHover striped data-testid="staff-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.fields.displayName')}</Table.Th>
                <Table.Th>{t('staff.fields.role')}</Table.Th>
                <Table.Th>{t('staff.fields.email')}</Table.Th>
                <Table.Th>{t('staff.admin.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('staff.admin.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {staff.map((m) => (
                <Table.Tr key={m.id} data-testid="staff-row" data-id={m.id} data-email={m.email}>
                  <Table.Td>
                    <Text fw={600}>{m.displayName}</Text>
                    {m.specialist && (
                      <Text size="sm" c="gray.7">
                        {m.specialist.title} · {t(`staff.professions.${m.specialist.profession}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td data-testid="staff-role">{t(`staff.roles.${m.role}`)}</Table.Td>
                  <Table.Td className={classes.nowrap}>{m.email}</Table.Td>
                  <Table.Td>{status(m)}</Table.Td>
                  <Table.Td>{rowActions(m)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      <StaffDialog
        dialog={dialog}
        institution={institution}
        busyId={busyId}
        fullScreen={phone}
        onDialog={setDialog}
        onChanged={load}
        onSetActive={(member, active) => void setActive(member, active)}
        onReset={(member) => void resetPassword(member)}
      />
    </Stack>
  );
}
