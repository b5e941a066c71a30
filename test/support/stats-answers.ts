/**
 * What a model answers for a statistics question (the arguments of the forced STATS_FUNCTION call, shaped
 * like StatsAnswerSchema): every field present, null unless given. Overrides are not checked, so a test can
 * script an invalid answer too.
 */
export function llmStatsAnswer(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    understood: true,
    metric: null,
    groupBy: null,
    kinds: null,
    statuses: null,
    countries: null,
    sectors: null,
    languages: null,
    from: null,
    to: null,
    limit: null,
    language: null,
    ...overrides,
  };
}
