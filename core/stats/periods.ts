import { statsTexts, type StatsLanguage } from './messages.js';

/**
 * Calendar arithmetic for statistics periods: UTC calendar days written YYYY-MM-DD, both ends included.
 * Relative periods ("this year", "last quarter", "since January") are resolved against an injected `now`.
 */

export const RELATIVE_PERIODS = [
  'this_year',
  'last_year',
  'this_quarter',
  'last_quarter',
  'this_month',
  'last_month',
  'this_week',
  'last_week',
  'today',
  'yesterday',
] as const;
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number];

export type PeriodUnit = 'day' | 'week' | 'month' | 'year';

export interface DateRange {
  from?: string;
  to?: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function isoDate(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function todayOf(now: Date): string {
  return isoDate(now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate());
}

export function parseIso(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export function addDays(date: string, days: number): string {
  const { year, month, day } = parseIso(date);
  return isoDate(year, month, day + days);
}

/** The same day `months` months earlier or later, clamped to the month's last day. */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIso(date);
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return isoDate(first.getUTCFullYear(), first.getUTCMonth() + 1, Math.min(day, last));
}

export function monthRange(year: number, month: number): Required<DateRange> {
  return { from: isoDate(year, month, 1), to: isoDate(year, month + 1, 0) };
}

export function quarterRange(year: number, quarter: number): Required<DateRange> {
  return { from: isoDate(year, quarter * 3 - 2, 1), to: isoDate(year, quarter * 3 + 1, 0) };
}

export function yearRange(year: number): Required<DateRange> {
  return { from: isoDate(year, 1, 1), to: isoDate(year, 12, 31) };
}

/** Weeks start on Monday (ISO 8601). */
function weekRange(today: string, weeksBack: number): Required<DateRange> {
  const { year, month, day } = parseIso(today);
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const monday = addDays(today, -weekday - 7 * weeksBack);
  return { from: monday, to: addDays(monday, 6) };
}

export function relativeRange(period: RelativePeriod, now: Date): Required<DateRange> {
  const today = todayOf(now);
  const { year, month } = parseIso(today);
  const quarter = Math.floor((month - 1) / 3) + 1;
  switch (period) {
    case 'this_year':
      return yearRange(year);
    case 'last_year':
      return yearRange(year - 1);
    case 'this_quarter':
      return quarterRange(year, quarter);
    case 'last_quarter':
      return quarter === 1 ? quarterRange(year - 1, 4) : quarterRange(year, quarter - 1);
    case 'this_month':
      return monthRange(year, month);
    case 'last_month':
      return month === 1 ? monthRange(year - 1, 12) : monthRange(year, month - 1);
    case 'this_week':
      return weekRange(today, 0);
    case 'last_week':
      return weekRange(today, 1);
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
  }
}

/** "last 30 days" = the 30 days ending today; "last 3 months" = from the same day three months ago. */
export function lastRange(count: number, unit: PeriodUnit, now: Date): Required<DateRange> {
  const today = todayOf(now);
  switch (unit) {
    case 'day':
      return { from: addDays(today, -(count - 1)), to: today };
    case 'week':
      return { from: addDays(today, -(7 * count - 1)), to: today };
    case 'month':
      return { from: addDays(addMonths(today, -count), 1), to: today };
    case 'year':
      return { from: addDays(addMonths(today, -12 * count), 1), to: today };
  }
}

/** The most recent start of `month` (1–12) not after today: "since March" in February means last March. */
export function latestMonthStart(month: number, now: Date): { year: number; month: number } {
  const { year, month: current } = parseIso(todayOf(now));
  return { year: month > current ? year - 1 : year, month };
}

export function latestQuarter(quarter: number, now: Date): { year: number; quarter: number } {
  const { year, month } = parseIso(todayOf(now));
  const current = Math.floor((month - 1) / 3) + 1;
  return { year: quarter > current ? year - 1 : year, quarter };
}

// ---- labels ----------------------------------------------------------------------------------------

function format(date: string, language: StatsLanguage, options: Intl.DateTimeFormatOptions): string {
  const { year, month, day } = parseIso(date);
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', ...options }).format(new Date(Date.UTC(year, month - 1, day)));
}

export function formatDay(date: string, language: StatsLanguage): string {
  return format(date, language, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "January 2025", "มกราคม 2568", "tháng 1 năm 2025". */
export function formatMonth(date: string, language: StatsLanguage, style: 'long' | 'short' = 'long'): string {
  return format(date, language, { month: style, year: 'numeric' });
}

export function formatYear(year: number, language: StatsLanguage): string {
  return format(isoDate(year, 7, 1), language, { year: 'numeric' });
}

function quarterName(year: number, quarter: number, language: StatsLanguage): string {
  return statsTexts(language).t('period.quarter', { quarter, year: formatYear(year, language) });
}

/** Name of a whole year, quarter, month or day, or undefined for any other range. */
function rangeName(range: Required<DateRange>, language: StatsLanguage): string | undefined {
  const { year, month, day } = parseIso(range.from);
  if (range.from === range.to) return formatDay(range.from, language);
  if (day !== 1) return undefined;
  const y = yearRange(year);
  if (y.from === range.from && y.to === range.to) return formatYear(year, language);
  if ((month - 1) % 3 === 0) {
    const q = quarterRange(year, (month + 2) / 3);
    if (q.to === range.to) return quarterName(year, (month + 2) / 3, language);
  }
  const m = monthRange(year, month);
  if (m.to === range.to) return formatMonth(range.from, language);
  return undefined;
}

/**
 * How a period reads in a language: "last quarter (Q1 2025)", "since 1 Jan 2025", "March 2025",
 * "1 Feb 2025 – 15 Mar 2025". Ranges equal to a relative period of `now` get its name.
 */
export function describePeriod(range: DateRange, language: StatsLanguage, now: Date): string {
  const texts = statsTexts(language);
  if (range.from && range.to) {
    const full = { from: range.from, to: range.to };
    const name = rangeName(full, language);
    for (const period of RELATIVE_PERIODS) {
      const relative = relativeRange(period, now);
      if (relative.from === full.from && relative.to === full.to) {
        const weekName = `${formatDay(full.from, language)} – ${formatDay(full.to, language)}`;
        return texts.t(`period.${period}`, { name: name ?? weekName });
      }
    }
    if (name) return name;
    return texts.t('period.range', { from: formatDay(full.from, language), to: formatDay(full.to, language) });
  }
  if (range.from) {
    const { day } = parseIso(range.from);
    return texts.t('period.since', { date: day === 1 ? formatMonth(range.from, language) : formatDay(range.from, language) });
  }
  if (range.to) return texts.t('period.until', { date: formatDay(range.to, language) });
  return '';
}

/** Months "YYYY-MM" from the month of `from` to the month of `to`, inclusive (at most 240). */
export function monthsBetween(from: string, to: string): string[] {
  const start = parseIso(from);
  const end = parseIso(to);
  const months: string[] = [];
  let year = start.year;
  let month = start.month;
  while ((year < end.year || (year === end.year && month <= end.month)) && months.length < 240) {
    months.push(`${pad(year, 4)}-${pad(month)}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}
