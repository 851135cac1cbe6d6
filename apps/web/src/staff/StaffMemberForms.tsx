import { Alert, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Email, Profession, StaffRole, type Institution, type StaffCreated, type StaffMember, type UpdateStaffBody } from '@dp/protocol';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from './api.ts';
import { errorText } from './format.ts';
import classes from './staff.module.css';

// The create and edit forms of a staff member (one set of fields and checks for both).

/** Roles an admin gives in an institution (department admins come from the start command). */
const INSTITUTION_ROLES = StaffRole.exclude(['admin']).options;
type InstitutionRole = (typeof INSTITUTION_ROLES)[number];

interface MemberValues {
  email: string;
  displayName: string;
  role: InstitutionRole | '';
  profession: Profession | '';
  title: string;
}

type MemberForm = ReturnType<typeof useMemberForm>;

function useMemberForm(initial: MemberValues, withEmail: boolean) {
  const { t } = useTranslation();
  return useForm<MemberValues>({
    initialValues: initial,
    validate: {
      email: (v) =>
        !withEmail
          ? null
          : v.trim() === ''
            ? t('staff.validation.emailRequired')
            : Email.safeParse(v.trim()).success
              ? null
              : t('staff.validation.email'),
      displayName: (v) =>
        v.trim() === '' ? t('staff.validation.nameRequired') : v.trim().length > 200 ? t('staff.validation.tooLong', { count: 200 }) : null,
      role: (v) => (v === '' ? t('staff.validation.roleRequired') : null),
      profession: (v, values) => (values.role === 'specialist' && v === '' ? t('staff.validation.professionRequired') : null),
      title: (v, values) =>
        values.role !== 'specialist'
          ? null
          : v.trim() === ''
            ? t('staff.validation.titleRequired')
            : v.trim().length > 200
              ? t('staff.validation.tooLong', { count: 200 })
              : null,
    },
  });
}

function MemberFields({ form, withEmail }: { form: MemberForm; withEmail: boolean }) {
  const { t } = useTranslation();
  // Every field is large, bound to the form, with the test id the e2e tests find it by.
  const field = (name: keyof MemberValues, testId: string) => ({
    size: 'lg' as const,
    'data-testid': `create-${testId}`,
    ...form.getInputProps(name),
  });
  return (
    <>
      {withEmail && (
        <TextInput
          label={t('staff.fields.email')}
          type="email"
          inputMode="email"
          autoComplete="off"
          data-autofocus
          {...field('email', 'email')}
        />
      )}
      <TextInput
        label={t('staff.fields.displayName')}
        description={t('staff.admin.nameHint')}
        autoComplete="off"
        {...field('displayName', 'name')}
      />
      <Select
        label={t('staff.fields.role')}
        data={INSTITUTION_ROLES.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        {...field('role', 'role')}
      />
      {form.values.role === 'specialist' && (
        <>
          <Select
            label={t('staff.fields.profession')}
            data={Profession.options.map((p) => ({ value: p, label: t(`staff.professions.${p}`) }))}
            allowDeselect={false}
            {...field('profession', 'profession')}
          />
          <TextInput
            label={t('staff.fields.jobTitle')}
            placeholder={t('staff.admin.titlePlaceholder')}
            autoComplete="off"
            {...field('title', 'title')}
          />
        </>
      )}
    </>
  );
}

/** A save under way (`busy`) and what went wrong (`error`); `failed` turns a failure into the text shown, or null. */
function useSaving() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (work: () => Promise<void>, failed: (e: unknown) => string | null) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(failed(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, save };
}

/** The frame both forms share: what they are about, the error, the fields, a note, cancel and submit. */
function MemberFormFrame(p: {
  form: MemberForm;
  kind: 'create' | 'edit';
  intro: ReactNode;
  note: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onValid: (v: MemberValues) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <form onSubmit={p.form.onSubmit(p.onValid)} noValidate data-testid={`${p.kind}-form`}>
      <Stack gap="md">
        {p.intro}
        {p.error && (
          <Alert color="red" variant="light" role="alert">
            <Text>{p.error}</Text>
          </Alert>
        )}
        <MemberFields form={p.form} withEmail={p.kind === 'create'} />
        {p.note}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" size="lg" onClick={p.onCancel}>
            {t('staff.cancel')}
          </Button>
          <Button type="submit" size="lg" loading={p.busy} className={classes.wrap} data-testid={`${p.kind}-submit`}>
            {p.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function CreateStaffForm({
  institution,
  onCancel,
  onCreated,
}: {
  institution: Institution;
  onCancel: () => void;
  onCreated: (s: StaffCreated) => void;
}) {
  const { t } = useTranslation();
  const { busy, error, save } = useSaving();
  const form = useMemberForm({ email: '', displayName: '', role: '', profession: '', title: '' }, true);
  const submit = async (v: MemberValues) => {
    const { role, profession } = v;
    if (role === '') return; // the form's check asks for one first
    const body = {
      email: v.email.trim(),
      displayName: v.displayName.trim(),
      role,
      ...(role === 'specialist' && profession !== '' ? { specialist: { profession, title: v.title.trim() } } : {}),
    };
    await save(
      async () => onCreated(await api.call('staff.create', { institutionId: institution.id }, body)),
      (e) => {
        if (e instanceof ApiError && e.code === 'conflict') form.setFieldError('email', t('staff.admin.emailTaken'));
        else if (e instanceof ApiError && e.code === 'bad_request' && e.details && typeof e.details === 'object' && 'email' in e.details)
          form.setFieldError('email', t('staff.validation.email'));
        else return errorText(t, e);
        return null;
      },
    );
  };
  return (
    <MemberFormFrame
      form={form}
      kind="create"
      intro={<Text c="gray.7">{t('staff.admin.createIn', { name: institution.name })}</Text>}
      note={<Text c="gray.7">{t('staff.admin.createNote')}</Text>}
      error={error}
      busy={busy}
      submitLabel={t('staff.admin.create')}
      onValid={(v) => void submit(v)}
      onCancel={onCancel}
    />
  );
}

export function EditStaffForm({
  member,
  onCancel,
  onSaved,
}: {
  member: StaffMember;
  onCancel: () => void;
  onSaved: (m: StaffMember) => void;
}) {
  const { t } = useTranslation();
  const { busy, error, save } = useSaving();
  const form = useMemberForm(
    {
      email: member.email,
      displayName: member.displayName,
      role: member.role === 'admin' ? '' : member.role,
      profession: member.specialist?.profession ?? '',
      title: member.specialist?.title ?? '',
    },
    false,
  );
  const submit = async (v: MemberValues) => {
    const body: UpdateStaffBody = {};
    if (v.displayName.trim() !== member.displayName) body.displayName = v.displayName.trim();
    if (v.role !== '' && v.role !== member.role) body.role = v.role;
    if (v.role === 'specialist' && v.profession !== '') {
      const title = v.title.trim();
      if (v.profession !== member.specialist?.profession || title !== member.specialist?.title)
        body.specialist = { profession: v.profession, title };
    }
    if (Object.keys(body).length === 0) return onCancel();
    await save(
      async () => onSaved(await api.call('staff.update', { staffId: member.id }, body)),
      (e) => errorText(t, e),
    );
  };
  return (
    <MemberFormFrame
      form={form}
      kind="edit"
      intro={
        <Text c="gray.7" style={{ overflowWrap: 'anywhere' }}>
          {member.email}
        </Text>
      }
      note={member.role !== form.values.role && <Text c="gray.7">{t('staff.admin.roleChangeNote')}</Text>}
      error={error}
      busy={busy}
      submitLabel={t('staff.save')}
      onValid={(v) => void submit(v)}
      onCancel={onCancel}
    />
  );
}
