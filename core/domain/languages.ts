/**
 * The ten languages Jembatan serves, as BCP-47 codes.
 * `fil` is Filipino (Tagalog-based); `zh` is Chinese (simplified script preferred, traditional accepted).
 */
export const LANGUAGES = ['en', 'id', 'ms', 'th', 'vi', 'fil', 'km', 'lo', 'my', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, { english: string; native: string }> = {
  en: { english: 'English', native: 'English' },
  id: { english: 'Indonesian', native: 'Bahasa Indonesia' },
  ms: { english: 'Malay', native: 'Bahasa Melayu' },
  th: { english: 'Thai', native: 'ไทย' },
  vi: { english: 'Vietnamese', native: 'Tiếng Việt' },
  fil: { english: 'Filipino', native: 'Filipino' },
  km: { english: 'Khmer', native: 'ខ្មែរ' },
  lo: { english: 'Lao', native: 'ລາວ' },
  my: { english: 'Burmese', native: 'မြန်မာ' },
  zh: { english: 'Chinese', native: '中文' },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
