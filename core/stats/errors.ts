import { statsTexts, type StatsLanguage } from './messages.js';
import { SUPPORT, type StatsMetric, type Unsupported } from './query.js';

/** What can be asked, in the asker's language, with example questions that work. */
export interface StatsHelp {
  message: string;
  examples: string[];
}

/**
 * A statistics question that cannot be answered as asked: `not_understood` (no figure recognised) or
 * `unsupported` (a split or filter the metric does not have). `help` says what can be asked.
 */
export class StatsQuestionError extends Error {
  override name = 'StatsQuestionError';
  constructor(
    readonly code: 'not_understood' | 'unsupported',
    readonly language: StatsLanguage,
    readonly help: StatsHelp,
  ) {
    super(`${help.message}\n${help.examples.map((example) => `• ${example}`).join('\n')}`);
  }
}

export function notUnderstood(language: StatsLanguage): StatsQuestionError {
  const texts = statsTexts(language);
  return new StatsQuestionError('not_understood', language, { message: texts.t('help.not_understood'), examples: texts.list('help.examples') });
}

export function unsupported(language: StatsLanguage, metric: StatsMetric, parts: Unsupported): StatsQuestionError {
  const texts = statsTexts(language);
  const named = [
    ...(parts.groupBy ? [texts.t(`group.${parts.groupBy}`)] : []),
    ...parts.filters.map((filter) => texts.t(`group.${FILTER_GROUP[filter]}`)),
  ];
  const message = texts.t('help.unsupported', {
    metric: metricName(language, metric),
    parts: named.join(', '),
    groups: SUPPORT[metric].groupBy.map((group) => texts.t(`group.${group}`)).join(', '),
  });
  return new StatsQuestionError('unsupported', language, { message, examples: texts.list('help.examples') });
}

const FILTER_GROUP = { kinds: 'kind', statuses: 'status', countries: 'country', sectors: 'sector', languages: 'language' } as const;

export function metricName(language: StatsLanguage, metric: StatsMetric): string {
  return statsTexts(language).t(`metric.${metric}`);
}
