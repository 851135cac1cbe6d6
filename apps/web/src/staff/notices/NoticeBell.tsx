import { ActionIcon, Badge, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import type { NoticeList, StaffNotice } from '@dp/protocol';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { BellIcon } from '../../ui/icons.tsx';
import { api } from '../api.ts';
import { useRefresh } from '../use-refresh.ts';
import { noticeText } from './notice-text.ts';
import classes from './NoticeBell.module.css';

/** How often the bell asks for new notices (and whenever the tab comes back into view). */
const POLL_MS = 30_000;

/**
 * The bell in the staff header: the T−30 reminder, the T−5 alert, technical failures, proposed
 * moves, clients' «не смогу» — newest first; a number while some are unread. A notice opens its
 * consultation's page and is marked read.
 */
export function NoticeBell() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [list, setList] = useState<NoticeList | null>(null);
  const [open, setOpen] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await api.call('notices.list', {}));
    } catch {
      // The bell stays as it was; the next poll tries again (the page itself reports lost sessions).
    }
  }, []);

  useRefresh(load, POLL_MS);

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    try {
      const { unread } = await api.call('notices.read', {}, body);
      setList(
        (l) =>
          l && {
            unread,
            notices: l.notices.map((n) =>
              'all' in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n,
            ),
          },
      );
    } catch {
      void load();
    }
  };

  const openNotice = (n: StaffNotice) => {
    setOpen(false);
    if (!n.readAt) void markRead({ ids: [n.id] });
    if (n.consultation) void navigate(`/staff/consultations/${n.consultation.id}`);
  };

  const unread = list?.unread ?? 0;
  const label = unread > 0 ? t('notices.bellUnread', { count: unread }) : t('notices.bell');
  return (
    <Popover opened={open} onChange={setOpen} position="bottom-end" width={360} shadow="md" trapFocus>
      <Indicator label={unread > 99 ? '99+' : unread} size={20} disabled={unread === 0} color="red" offset={6}>
        {/* The target is the button itself: the popup's ARIA attributes belong on it, not on the badge's wrapper. */}
        <Popover.Target>
          <ActionIcon
            variant="default"
            size={44}
            radius="md"
            aria-label={label}
            title={label}
            onClick={() => {
              setOpen((o) => !o);
              void load();
            }}
            data-testid="notice-bell"
          >
            <BellIcon size={22} />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p="xs" data-testid="notice-list">
        <Group justify="space-between" wrap="wrap" gap={4} px="xs" pb="xs">
          <Text fw={700}>{t('notices.title')}</Text>
          {unread > 0 && (
            <Button variant="subtle" size="sm" onClick={() => void markRead({ all: true })} data-testid="notice-read-all">
              {t('notices.readAll')}
            </Button>
          )}
        </Group>
        {list && list.notices.length === 0 && (
          <Text c="gray.7" px="xs" pb="xs">
            {t('notices.empty')}
          </Text>
        )}
        <ScrollArea.Autosize mah={420}>
          <Stack gap={4}>
            {list?.notices.map((n) => (
              <UnstyledButton
                key={n.id}
                className={classes.item}
                data-unread={n.readAt ? undefined : true}
                onClick={() => openNotice(n)}
                data-testid="notice-item"
                data-kind={n.kind}
              >
                <Text size="sm" fw={n.readAt ? 400 : 600}>
                  {noticeText(t, n, i18n.language)}
                </Text>
                <Group gap={6} mt={2}>
                  {!n.readAt && (
                    <Badge size="xs" color="red" variant="light">
                      {t('notices.new')}
                    </Badge>
                  )}
                  <Text size="xs" c="gray.7">
                    {new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(
                      new Date(n.createdAt),
                    )}
                  </Text>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
