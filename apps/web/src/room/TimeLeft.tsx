import { Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Minutes until the room's hard end (the 60-minute limit), so the end never comes as a surprise. */
export function TimeLeft({ endsAt }: { endsAt: string }) {
  const { t } = useTranslation();
  const end = Date.parse(endsAt);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(id);
  }, []);
  if (Number.isNaN(end)) return null;
  const minutes = Math.max(0, Math.ceil((end - now) / 60_000));
  return (
    <Text size="sm" fw={600} c={minutes <= 5 ? 'orange.9' : 'gray.8'} style={{ whiteSpace: 'nowrap' }}>
      {t('room.timeLeft', { count: minutes })}
    </Text>
  );
}
