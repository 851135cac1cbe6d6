// The IANA time zones of Russia (the tz database's zone1970.tab for RU), west to east, each
// with the city the zone is named after. The select shows the city and the current UTC offset.

export const RUSSIAN_TIME_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Simferopol',
  'Europe/Kirov',
  'Europe/Volgograd',
  'Europe/Astrakhan',
  'Europe/Saratov',
  'Europe/Ulyanovsk',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Barnaul',
  'Asia/Tomsk',
  'Asia/Novokuznetsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Chita',
  'Asia/Yakutsk',
  'Asia/Khandyga',
  'Asia/Vladivostok',
  'Asia/Ust-Nera',
  'Asia/Magadan',
  'Asia/Sakhalin',
  'Asia/Srednekolymsk',
  'Asia/Kamchatka',
  'Asia/Anadyr',
] as const;

/** 'UTC+6' for a zone now (whole hours in Russia). */
export function utcOffset(zone: string, at = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return (part ?? 'GMT').replace('GMT', 'UTC').replace(/^UTC$/, 'UTC+0');
}

/** Select options: «Омск (UTC+6)»; a stored zone not in the list stays choosable. */
export function zoneOptions(cityOf: (zone: string) => string, current?: string): { value: string; label: string }[] {
  const zones: string[] = [...RUSSIAN_TIME_ZONES];
  if (current && !zones.includes(current)) zones.unshift(current);
  return zones.map((zone) => ({ value: zone, label: `${cityOf(zone)} (${utcOffset(zone)})` }));
}
