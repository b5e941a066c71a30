/**
 * Statistics (core/stats) on PGlite and PostgreSQL: a database seeded with known listings, searches,
 * users and match events; every example question of docs/STATS.md asked in English, Indonesian, Malay,
 * Thai and Vietnamese with exact answers; SQL built from the typed query only; CSV and PNG output; the
 * optional LLM reading against the local fake OpenAI server; events recorded by the conversation engine.
 */
import pino from 'pino';
import { bestCoverage } from '../core/stats/unmet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../core/config/env.js';
import { Glossary } from '../core/glossary/glossary.js';
import { chatModelFromEnv } from '../core/llm/chat-model.js';
import { saveListing } from '../core/listings/save-listing.js';
import { Matcher } from '../core/retrieval/match.js';
import {
  askStats,
  buildStatsPlan,
  LlmStatsParser,
  parseStatsRules,
  planTexts,
  planValues,
  recordMatchEvent,
  renderChart,
  RuleStatsParser,
  STATS_FUNCTION,
  StatsEngine,
  StatsQuerySchema,
  StatsQuestionError,
  statsTexts,
  toCsv,
  UNMET_THRESHOLD,
  type SqlStatement,
  type StatsAnswer,
  type StatsQuery,
} from '../core/stats/index.js';
import { STATS_LANGUAGES, loadStatsTexts } from '../core/stats/messages.js';
import { describePeriod, relativeRange } from '../core/stats/periods.js';
import type { Db } from '../core/store/db.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ChatUser, engineFor, loadSamples } from './support/chat.js';
import { startFakeOpenAIChat, type FakeOpenAIChat } from './support/fake-openai-chat.js';
import { llmStatsAnswer } from './support/stats-answers.js';
import { STORE_KINDS, openTestStore } from './support/stores.js';

/** "Today" for every relative period in this file: Sunday 15 June 2025, 10:00 UTC. */
const NOW = new Date('2025-06-15T10:00:00Z');
const SILENT = pino({ level: 'silent' });
/** Sample listings loaded as an archived background corpus (samples/listings.jsonl). */
const ARCHIVED = 48;

// ---- seed data (written for the project) ----------------------------------------------------------------

interface Seed {
  id: string;
  kind: 'offer' | 'need' | 'expertise';
  country: string;
  sectors: string[];
  created: string;
  status?: 'published' | 'pending' | 'draft';
  title: string;
  summary: string;
}

// prettier-ignore
const SEEDS: Seed[] = [
  { id: 'o1', kind: 'offer', country: 'VN', sectors: ['agrifood'], created: '2025-02-10', title: 'Low-temperature paddy dryer for rice cooperatives', summary: 'A biomass-fired paddy dryer that dries rice at low temperature so fewer grains break during milling; two tonnes per batch.' },
  { id: 'o2', kind: 'offer', country: 'VN', sectors: ['agrifood', 'energy'], created: '2025-03-05', title: 'Solar cold room for vegetable markets', summary: 'A modular cold room powered by solar panels and ice batteries keeps vegetables fresh at farmers markets without grid power.' },
  { id: 'o3', kind: 'offer', country: 'VN', sectors: ['agrifood'], created: '2024-11-20', title: 'Cassava starch wastewater biogas digester', summary: 'An anaerobic digester that turns cassava starch wastewater into biogas for factory boilers.' },
  { id: 'o4', kind: 'offer', country: 'VN', sectors: ['ict'], created: '2025-01-15', title: 'Offline bookkeeping app for cooperatives', summary: 'A mobile application that keeps cooperative accounts, member payments and stock records offline and syncs later.' },
  { id: 'o5', kind: 'offer', country: 'TH', sectors: ['agrifood'], created: '2025-04-01', title: 'Pheromone trap for mango fruit flies', summary: 'A reusable trap with a slow-release pheromone lure that protects mango orchards from fruit flies without spraying.' },
  { id: 'o6', kind: 'offer', country: 'VN', sectors: ['agrifood'], created: '2025-05-01', status: 'pending', title: 'Fish sauce fermentation monitor', summary: 'Sensors that follow salt and amino nitrogen in fish sauce fermentation tanks and warn the brewer.' },
  { id: 'o7', kind: 'offer', country: 'SG', sectors: ['agrifood', 'electronics'], created: '2025-01-20', title: 'Dissolved oxygen sensor with automatic aerator control for shrimp ponds', summary: 'A floating buoy measures dissolved oxygen in shrimp ponds every five minutes and switches paddle-wheel aerators automatically at night.' },
  { id: 'x1', kind: 'expertise', country: 'MY', sectors: ['health'], created: '2025-02-01', title: 'Clinical trial design and biostatistics', summary: 'Our laboratory advises medical device makers on clinical trial design, sample size and biostatistics.' },
  { id: 'n1', kind: 'need', country: 'ID', sectors: ['agrifood'], created: '2025-02-20', title: 'Dissolved oxygen sensor for shrimp ponds', summary: 'Our shrimp farm needs a low-cost dissolved oxygen sensor that switches the aerators on at night when oxygen falls.' },
  { id: 'n2', kind: 'need', country: 'TH', sectors: ['agrifood'], created: '2025-04-20', title: 'Paddy dryer that reduces broken rice', summary: 'Our rice cooperative needs a paddy dryer that dries at low temperature so that fewer grains break during milling.' },
  { id: 'n3', kind: 'need', country: 'VN', sectors: ['construction'], created: '2025-05-05', title: 'Seismic retrofit of historic brick pagodas', summary: 'We restore historic brick pagodas and look for a way to strengthen masonry walls against earthquakes without changing how they look.' },
  { id: 'n4', kind: 'need', country: 'TH', sectors: ['environment'], created: '2025-04-25', title: 'Coral bleaching early warning for marine parks', summary: 'Marine park rangers want an early warning of coral bleaching from sea surface readings so divers can be kept away.' },
  { id: 'n5', kind: 'need', country: 'PH', sectors: ['construction'], created: '2025-06-01', title: 'Typhoon-resistant engineered bamboo houses', summary: 'A housing agency looks for engineered bamboo frames for low-cost homes that withstand typhoon winds.' },
  { id: 'n6', kind: 'need', country: 'VN', sectors: ['construction'], created: '2025-06-02', title: 'Inspection of bridge cables for hidden corrosion', summary: 'The provincial transport department wants to inspect steel bridge cables for corrosion hidden under the sheathing.' },
  { id: 'n7', kind: 'need', country: 'ID', sectors: ['agrifood'], created: '2025-03-01', status: 'draft', title: 'Cocoa bean fermentation boxes', summary: 'A draft need about cocoa bean fermentation boxes for smallholders, not yet submitted.' },
];

async function seed(store: ListingStore, db: Db): Promise<Map<string, number>> {
  const glossary = Glossary.shared();
  // Background corpus: the project's sample listings, archived (never counted as published, never matched),
  // so word statistics are those of a real store and not of fifteen listings.
  await loadSamples(store);
  await db.query(`UPDATE listings SET status = 'archived', created_at = '2023-05-01T00:00:00Z'`);
  const ids = new Map<string, number>();
  for (const s of SEEDS) {
    const { id } = await saveListing(
      { store, glossary, encoder: undefined },
      { external_id: s.id, source: 'stats-test', kind: s.kind, title: s.title, summary: s.summary, language: 'en', country: s.country, sectors: s.sectors, status: s.status ?? 'published' },
    );
    ids.set(s.id, id);
    await db.query(`UPDATE listings SET created_at = $2::timestamptz WHERE id = $1`, [id, `${s.created}T08:00:00Z`]);
  }
  // People: three Thai, two Vietnamese, one each English, Indonesian, Malay.
  const users: Array<[string, string]> = [['th', 'u1'], ['th', 'u2'], ['th', 'u3'], ['vi', 'u4'], ['vi', 'u5'], ['en', 'u6'], ['id', 'u7'], ['ms', 'u8']];
  for (const [language, user] of users) {
    await db.query(
      `INSERT INTO chat_users (channel, channel_user_id, language, created_at, last_seen_at) VALUES ('telegram', $1, $2, '2025-01-05T00:00:00Z', '2025-06-10T00:00:00Z')`,
      [user, language],
    );
  }
  // Searches from chat (search_log) …
  const searches: Array<[string, string, string, object, string[]]> = [
    ['2025-02-01', 'telegram', 'vi', { countries: ['VN'] }, ['agrifood']],
    ['2025-03-15', 'telegram', 'th', {}, ['agrifood', 'electronics']],
    ['2025-04-10', 'slack', 'en', {}, ['ict']],
    ['2025-05-02', 'telegram', 'vi', {}, ['agrifood']],
    ['2025-06-01', 'telegram', 'id', { countries: ['ID', 'VN'] }, []],
    ['2024-12-01', 'telegram', 'th', {}, []],
  ];
  for (const [day, channel, language, filters, sectors] of searches) {
    await db.query(
      `INSERT INTO search_log (channel, language, query, filters, sectors, result_count, created_at) VALUES ($1, $2, 'a private query', $3::jsonb, $4::text[], 3, $5::timestamptz)`,
      [channel, language, JSON.stringify(filters), sectors, `${day}T09:00:00Z`],
    );
  }
  // … and one from an entry point that records a `search` event instead.
  const listing = async (key: string) => (await store.listingsByIds([ids.get(key)!])).get(ids.get(key)!)!;
  await recordMatchEvent(db, { event: 'search', channel: 'teams', language: 'en', country: 'SG', sectors: ['electronics'], at: new Date('2025-03-20T09:00:00Z') });
  await recordMatchEvent(db, { event: 'shown', channel: 'telegram', language: 'vi', listings: [await listing('o1'), await listing('o2'), await listing('o4')], at: new Date('2025-02-01T09:01:00Z') });
  await recordMatchEvent(db, { event: 'shown', channel: 'telegram', language: 'th', listings: [await listing('o7'), await listing('o5')], at: new Date('2025-03-15T09:01:00Z') });
  await recordMatchEvent(db, { event: 'intro_requested', channel: 'telegram', language: 'vi', listings: [await listing('o1')], at: new Date('2025-02-02T10:00:00Z') });
  await recordMatchEvent(db, { event: 'intro_requested', channel: 'telegram', language: 'th', listings: [await listing('o7')], at: new Date('2025-03-16T10:00:00Z') });
  await recordMatchEvent(db, { event: 'intro_accepted', channel: 'telegram', language: 'th', listings: [await listing('o7')], at: new Date('2025-03-20T10:00:00Z') });
  await recordMatchEvent(db, { event: 'shown', channel: 'slack', language: 'en', listings: [await listing('o4')], at: new Date('2025-04-10T09:01:00Z') });
  await recordMatchEvent(db, { event: 'intro_requested', channel: 'slack', language: 'en', listings: [await listing('o4')], at: new Date('2025-04-11T10:00:00Z') });
  return ids;
}

// ---- the example questions, in five languages (written for the project) ---------------------------------

interface Example {
  name: string;
  questions: Record<(typeof STATS_LANGUAGES)[number], string>;
  query: Omit<StatsQuery, 'period'> & { period?: { from?: string; to?: string } };
  /** [key, count] per row, in order; or the single number. */
  expected: Array<[string | null, number]> | number;
  total: number;
}

// prettier-ignore
const EXAMPLES: Example[] = [
  {
    name: 'offers from Vietnam in agritech this year',
    questions: {
      en: 'how many offers from Vietnam in agritech this year?',
      id: 'berapa penawaran dari Vietnam di sektor pertanian tahun ini?',
      ms: 'berapa banyak tawaran dari Vietnam dalam sektor pertanian tahun ini?',
      th: 'ปีนี้มีข้อเสนอจากเวียดนามด้านเกษตรกี่รายการ',
      vi: 'có bao nhiêu công nghệ chào bán từ Việt Nam về nông nghiệp trong năm nay?',
    },
    query: { metric: 'listings', filters: { kinds: ['offer'], countries: ['VN'], sectors: ['agrifood'], statuses: ['published'] }, period: { from: '2025-01-01', to: '2025-12-31' } },
    expected: 2, // o1, o2 (o3 is from 2024, o6 is pending, o4 is ICT)
    total: 2,
  },
  {
    name: 'needs by country',
    questions: {
      en: 'needs by country',
      id: 'kebutuhan per negara',
      ms: 'keperluan mengikut negara',
      th: 'ความต้องการแยกตามประเทศ',
      vi: 'nhu cầu theo quốc gia',
    },
    query: { metric: 'listings', groupBy: 'country', filters: { kinds: ['need'], statuses: ['published'] } },
    expected: [['TH', 2], ['VN', 2], ['ID', 1], ['PH', 1]], // n7 is a draft
    total: 6,
  },
  {
    name: 'listings per month since January',
    questions: {
      en: 'listings per month since January',
      id: 'jumlah listing per bulan sejak Januari',
      ms: 'penyenaraian setiap bulan sejak Januari',
      th: 'จำนวนรายการต่อเดือนตั้งแต่มกราคม',
      vi: 'số tin đăng theo tháng từ tháng 1',
    },
    query: { metric: 'listings', groupBy: 'month', filters: { statuses: ['published'] }, period: { from: '2025-01-01' } },
    expected: [['2025-01', 2], ['2025-02', 3], ['2025-03', 1], ['2025-04', 3], ['2025-05', 1], ['2025-06', 2]],
    total: 12,
  },
  {
    name: 'top sectors with unmet needs',
    questions: {
      en: 'top sectors with unmet needs',
      id: 'sektor teratas dengan kebutuhan yang belum terpenuhi',
      ms: 'sektor teratas dengan keperluan yang belum dipenuhi',
      th: 'สาขาที่มีความต้องการที่ยังไม่ได้รับการตอบสนองมากที่สุด',
      vi: 'các lĩnh vực có nhiều nhu cầu chưa được đáp ứng nhất',
    },
    query: { metric: 'unmet_needs', groupBy: 'sector', filters: {} },
    expected: [['construction', 3], ['environment', 1]], // n1 and n2 have good offers (o7, o1)
    total: 4,
  },
  {
    name: 'match funnel last quarter',
    questions: {
      en: 'match funnel last quarter',
      id: 'corong pencocokan kuartal lalu',
      ms: 'corong padanan suku tahun lepas',
      th: 'กรวยการจับคู่ไตรมาสที่แล้ว',
      vi: 'phễu ghép nối quý trước',
    },
    query: { metric: 'match_funnel', filters: {}, period: { from: '2025-01-01', to: '2025-03-31' } },
    expected: [['searches', 3], ['shown', 5], ['requested', 2], ['accepted', 1]],
    total: 3,
  },
  {
    name: 'which languages do people use',
    questions: {
      en: 'which languages do people use?',
      id: 'bahasa apa yang dipakai orang?',
      ms: 'bahasa apakah yang digunakan orang ramai?',
      th: 'ผู้ใช้ใช้ภาษาอะไรบ้าง',
      vi: 'mọi người dùng những ngôn ngữ nào?',
    },
    query: { metric: 'languages', groupBy: 'language', filters: {} },
    expected: [['th', 3], ['vi', 2], ['en', 1], ['id', 1], ['ms', 1]],
    total: 8,
  },
];

function shape(answer: StatsAnswer): Array<[string | null, number]> | number {
  if (answer.keys.length === 0) return answer.rows[0]![0] as number;
  return answer.rows.map((row, index) => [answer.keys[index]!, row[row.length - 1] as number]);
}

function withoutLabel(query: StatsQuery) {
  const { period, ...rest } = query;
  if (!period) return rest;
  const { label: _label, ...dates } = period;
  return { ...rest, period: dates };
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

// ---- parsing (no database) --------------------------------------------------------------------------

describe('stats questions read by the rules', () => {
  for (const example of EXAMPLES) {
    it.each(STATS_LANGUAGES)(`${example.name} (%s)`, (language) => {
      const parsed = parseStatsRules(example.questions[language], { now: NOW });
      expect(parsed.language).toBe(language);
      expect(parsed.ignored).toEqual([]);
      expect(withoutLabel(parsed.query)).toEqual(example.query);
      if (example.query.period) expect(parsed.query.period!.label.length).toBeGreaterThan(3);
    });
  }

  it('resolves relative periods against the injected now, across year ends', () => {
    const january = new Date('2026-01-10T00:00:00Z');
    expect(parseStatsRules('match funnel last quarter', { now: january }).query.period).toEqual({ from: '2025-10-01', to: '2025-12-31', label: 'last quarter (Q4 2025)' });
    expect(parseStatsRules('listings since January', { now: january }).query.period).toMatchObject({ from: '2026-01-01' });
    expect(parseStatsRules('listings since March', { now: january }).query.period).toMatchObject({ from: '2025-03-01', label: 'since March 2025' });
    expect(parseStatsRules('searches last month', { now: january }).query.period).toMatchObject({ from: '2025-12-01', to: '2025-12-31' });
    expect(parseStatsRules('searches by language last 30 days', { now: NOW }).query).toMatchObject({
      metric: 'searches',
      groupBy: 'language',
      period: { from: '2025-05-17', to: '2025-06-15', label: 'last 30 days' },
    });
    expect(parseStatsRules('offers from January to March', { now: NOW }).query.period).toMatchObject({ from: '2025-01-01', to: '2025-03-31' });
    expect(parseStatsRules('ข้อเสนอ ปี 2567', { now: NOW }).query.period).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(parseStatsRules('needs in May', { now: NOW }).query.period).toMatchObject({ from: '2025-05-01', to: '2025-05-31' });
    expect(parseStatsRules('how many offers may I see', { now: NOW }).query.period).toBeUndefined();
    expect(parseStatsRules('tin đăng trong tháng 3 năm 2025', { now: NOW }).query.period).toMatchObject({ from: '2025-03-01', to: '2025-03-31' });
    expect(parseStatsRules('introductions accepted this week', { now: NOW }).query).toMatchObject({
      metric: 'introductions_accepted',
      period: { from: '2025-06-09', to: '2025-06-15' },
    });
  });

  it('reads other forms: top N, statuses, language filters, kinds of events', () => {
    expect(parseStatsRules('top 3 sectors for needs', { now: NOW }).query).toEqual({
      metric: 'listings',
      groupBy: 'sector',
      filters: { kinds: ['need'], statuses: ['published'] },
      limit: 3,
    });
    expect(parseStatsRules('pending listings by kind', { now: NOW }).query).toEqual({ metric: 'listings', groupBy: 'kind', filters: { statuses: ['pending'] } });
    expect(parseStatsRules('listings by status', { now: NOW }).query).toEqual({ metric: 'listings', groupBy: 'status', filters: {} });
    expect(parseStatsRules('searches in Thai by month', { now: NOW }).query).toEqual({ metric: 'searches', groupBy: 'month', filters: { languages: ['th'] } });
    expect(parseStatsRules('matches shown by country this year', { now: NOW }).query).toMatchObject({ metric: 'matches_shown', groupBy: 'country' });
    expect(parseStatsRules('permintaan perkenalan bulan lalu', { now: NOW }).query).toMatchObject({ metric: 'introductions_requested', period: { from: '2025-05-01', to: '2025-05-31' } });
    expect(parseStatsRules('การแนะนำที่ได้รับการตอบรับปีนี้', { now: NOW }).query.metric).toBe('introductions_accepted');
  });

  it('reports words it did not understand instead of guessing', () => {
    const parsed = parseStatsRules('how many offers about seaweed', { now: NOW });
    expect(parsed.query).toEqual({ metric: 'listings', filters: { kinds: ['offer'], statuses: ['published'] } });
    expect(parsed.ignored).toEqual(['seaweed']);
    // A filter the figure does not have is reported too, not applied and not hidden.
    expect(parseStatsRules('searches for offers', { now: NOW })).toMatchObject({ query: { metric: 'searches', filters: {} }, ignored: ['offer'] });
    expect(parseStatsRules('people from Vietnam', { now: NOW })).toMatchObject({ query: { metric: 'languages', filters: {} }, ignored: ['vietnam'] });
  });

  it('says what can be asked, with examples, in the asker\'s language', () => {
    for (const [question, language] of [
      ['what is the weather like?', 'en'],
      ['cuaca hari ini bagaimana?', 'id'],
      ['สวัสดีครับ', 'th'],
    ] as const) {
      let error: unknown;
      try {
        parseStatsRules(question, { now: NOW, language });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StatsQuestionError);
      const typed = error as StatsQuestionError;
      expect(typed.code).toBe('not_understood');
      expect(typed.language).toBe(language);
      expect(typed.help.message).toBe(statsTexts(language).t('help.not_understood'));
      expect(typed.help.examples).toEqual(statsTexts(language).list('help.examples'));
    }
    const unsupported = (() => {
      try {
        parseStatsRules('searches by TRL', { now: NOW });
      } catch (caught) {
        return caught as StatsQuestionError;
      }
      return undefined;
    })();
    expect(unsupported?.code).toBe('unsupported');
    expect(unsupported?.help.message).toContain('Searches can be split by country, sector, month, language, channel');
  });

  it('every example in the help texts is understood completely, in its language', () => {
    for (const language of STATS_LANGUAGES) {
      for (const example of statsTexts(language).list('help.examples')) {
        const parsed = parseStatsRules(example, { now: NOW });
        expect(parsed.ignored, example).toEqual([]);
        expect(parsed.language, example).toBe(language);
      }
    }
  });

  it('the five message files have the same keys', () => {
    const keys = loadStatsTexts('en').keys().sort();
    for (const language of STATS_LANGUAGES) expect(loadStatsTexts(language).keys().sort()).toEqual(keys);
  });

  it('labels periods in each language', () => {
    expect(describePeriod(relativeRange('last_quarter', NOW), 'th', NOW)).toBe('ไตรมาสที่แล้ว (ไตรมาส 1 พ.ศ. 2568)');
    expect(describePeriod({ from: '2025-01-01' }, 'vi', NOW)).toBe('từ tháng 1 năm 2025');
    expect(describePeriod({ from: '2024-02-03', to: '2024-02-20' }, 'en', NOW)).toBe('Feb 3, 2024 – Feb 20, 2024');
  });
});

// ---- SQL (no database) ------------------------------------------------------------------------------

describe('stats SQL', () => {
  const INJECTION = "'; DROP TABLE listings; --";

  it('is built from the typed query only: no question text, the same SQL whatever the wording', () => {
    for (const example of EXAMPLES) {
      const texts = STATS_LANGUAGES.map((language) => planTexts(buildStatsPlan(parseStatsRules(example.questions[language], { now: NOW }).query), [1, 2]));
      for (const set of texts) expect(set).toEqual(texts[0]);
      for (const text of texts[0]!) expect(text).toMatch(/^[\x20-\x7e\n]*$/u); // ASCII: no Thai or Vietnamese words, ever
    }
  });

  it(`a question carrying ${INJECTION} gives parameters and fixed SQL, never its text`, () => {
    for (const question of [INJECTION, `how many offers from Vietnam${INJECTION}`, `needs by country ${INJECTION} this year`]) {
      const parsed = parseStatsRules(question, { now: NOW });
      const plan = buildStatsPlan(parsed.query);
      for (const text of planTexts(plan)) {
        expect(text).not.toMatch(/drop|--|;/iu);
        expect(text).not.toContain(question);
      }
      const values = JSON.stringify(planValues(plan));
      expect(values).not.toMatch(/drop/iu);
      expect(parsed.ignored).toEqual(['drop']);
    }
  });

  it('the query type admits no free text where SQL could go', () => {
    expect(StatsQuerySchema.safeParse({ metric: 'listings', filters: { countries: ["VN'; DROP TABLE listings; --"] } }).success).toBe(false);
    expect(StatsQuerySchema.safeParse({ metric: 'listings', groupBy: 'l.title', filters: {} }).success).toBe(false);
    expect(StatsQuerySchema.safeParse({ metric: 'listings', filters: {}, period: { from: "2025-01-01' OR 1=1", label: 'x' } }).success).toBe(false);
    expect(StatsQuerySchema.safeParse({ metric: 'listings', filters: {}, extra: 'x' }).success).toBe(false);
    // The label is display text: it never reaches SQL.
    const plan = buildStatsPlan(StatsQuerySchema.parse({ metric: 'listings', filters: {}, period: { from: '2025-01-01', label: INJECTION } }));
    expect(JSON.stringify([planTexts(plan), planValues(plan)])).not.toContain('DROP');
  });
});

describe('CSV', () => {
  it('quotes, escapes and defuses formulas (RFC 4180, CRLF, UTF-8 BOM)', () => {
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['=1+1', 2], ['line\nbreak', -3], ['ไทย', 0]])).toBe(
      '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\'=1+1,2\r\n"line\nbreak",-3\r\nไทย,0\r\n',
    );
  });
});

// ---- answers on PGlite and PostgreSQL -----------------------------------------------------------------

describe.each(STORE_KINDS)('stats answers on %s', (kind) => {
  let store: ListingStore;
  let db: Db;
  let cleanup: () => Promise<void>;
  let engine: StatsEngine;
  let ids: Map<string, number>;
  const statements: SqlStatement[] = [];

  beforeAll(async () => {
    ({ store, db, cleanup } = await openTestStore(kind));
    ids = await seed(store, db);
    engine = new StatsEngine(
      { db, matcher: new Matcher(store, Glossary.shared(), undefined), logger: SILENT },
      { now: () => NOW, onSql: (statement) => void statements.push(statement) },
    );
  });
  afterAll(async () => cleanup());

  for (const example of EXAMPLES) {
    it(`${example.name}: the same exact answer in en, id, ms, th, vi`, async () => {
      for (const language of STATS_LANGUAGES) {
        const { parsed, answer } = await askStats(new RuleStatsParser(), engine, example.questions[language], { now: NOW });
        expect(parsed.language).toBe(language);
        expect(shape(answer), `${language}: ${example.questions[language]}`).toEqual(example.expected);
        expect(answer.total, language).toBe(example.total);
        expect(answer.language).toBe(language);
        expect(answer.title.length).toBeGreaterThan(3);
      }
    });
  }

  it('titles, columns and labels are in the question\'s language', async () => {
    const th = (await askStats(new RuleStatsParser(), engine, 'ความต้องการแยกตามประเทศ', { now: NOW })).answer;
    expect(th.title).toBe('ความต้องการแยกตามประเทศ');
    expect(th.columns.map((column) => column.label)).toEqual(['ประเทศ', 'ความต้องการ']);
    expect(th.rows[0]).toEqual(['ไทย', 2]);
    const vi = (await askStats(new RuleStatsParser(), engine, EXAMPLES[0]!.questions.vi, { now: NOW })).answer;
    expect(vi.title.startsWith('Công nghệ chào bán · Việt Nam · ')).toBe(true);
    expect(vi.title.endsWith(' · năm nay (2025)')).toBe(true);
    expect(vi.columns).toEqual([{ key: 'count', label: 'Công nghệ chào bán', type: 'number' }]);
    const en = (await askStats(new RuleStatsParser(), engine, 'match funnel last quarter', { now: NOW })).answer;
    expect(en.title).toBe('Match funnel · last quarter (Q1 2025)');
    expect(en.rows).toEqual([
      ['Searches', 3],
      ['Matches shown', 5],
      ['Introductions requested', 2],
      ['Introductions accepted', 1],
    ]);
  });

  it('CSV of "needs by country" is exact', async () => {
    const { answer } = await askStats(new RuleStatsParser(), engine, 'needs by country', { now: NOW });
    expect(answer.title).toBe('Needs by country');
    expect(answer.csv).toBe('\uFEFFcode,Country,Needs\r\nTH,Thailand,2\r\nVN,Vietnam,2\r\nID,Indonesia,1\r\nPH,Philippines,1\r\n');
    const single = (await askStats(new RuleStatsParser(), engine, EXAMPLES[0]!.questions.en, { now: NOW })).answer;
    expect(single.csv).toBe('\uFEFFOffers\r\n2\r\n');
    const months = (await askStats(new RuleStatsParser(), engine, 'listings per month since January', { now: NOW })).answer;
    expect(months.csv.split('\r\n').slice(0, 3)).toEqual(['\uFEFFcode,Month,Listings', '2025-01,Jan 2025,2', '2025-02,Feb 2025,3']);
  });

  it('more figures: matches shown, searches by country, introductions, funnel by language, top N, TRL', async () => {
    const ask = async (question: string) => (await askStats(new RuleStatsParser(), engine, question, { now: NOW })).answer;
    expect(shape(await ask('matches shown by country this year'))).toEqual([['VN', 4], ['SG', 1], ['TH', 1]]);
    const byCountry = await ask('searches by country this year');
    expect(shape(byCountry)).toEqual([[null, 3], ['VN', 2], ['ID', 1], ['SG', 1]]);
    expect(byCountry.rows[0]![0]).toBe('any country');
    expect(byCountry.total).toBe(6);
    expect(byCountry.notes).toContain(statsTexts('en').t('note.searches_country'));
    expect(shape(await ask('introductions requested this year'))).toBe(3);
    expect(shape(await ask('introductions accepted this year'))).toBe(1);
    expect(shape(await ask('introductions by language this year'))).toEqual([['en', 1], ['th', 1], ['vi', 1]]);
    const funnel = await ask('match funnel by language this year');
    expect(funnel.columns.map((column) => column.key)).toEqual(['language', 'searches', 'shown', 'requested', 'accepted']);
    expect(funnel.rows).toEqual([
      ['English', 2, 1, 1, 0],
      ['Vietnamese', 2, 3, 1, 0],
      ['Indonesian', 1, 0, 0, 0],
      ['Thai', 1, 2, 1, 1],
    ]);
    expect(shape(await ask('top 2 sectors of offers'))).toEqual([['agrifood', 5], ['electronics', 1]]);
    expect((await ask('top 2 sectors of offers')).total).toBe(6);
    expect(shape(await ask('listings by trl'))).toEqual([[null, 13]]);
    expect(shape(await ask('pending listings'))).toBe(1);
    expect(shape(await ask('listings by status'))).toEqual([['archived', ARCHIVED], ['published', 13], ['draft', 1], ['pending', 1]]);
    expect(shape(await ask('offers in agritech by sector'))).toEqual([['agrifood', 5]]);
    expect(shape(await ask('how many users'))).toBe(8);
    expect(shape(await ask('people by channel'))).toEqual([['telegram', 8]]);
    expect((await ask('people by channel')).title).toBe('People by channel');
    // A query built by hand that its metric cannot answer gets the same explanation as a question.
    await expect(engine.answer({ metric: 'searches', groupBy: 'trl', filters: {} }, { language: 'ms' })).rejects.toMatchObject({
      name: 'StatsQuestionError',
      code: 'unsupported',
      language: 'ms',
    });
  });

  it('unmet needs use the Matcher and a documented threshold, scored once per change', async () => {
    const before = engine.needsScored;
    const first = await engine.answer({ metric: 'unmet_needs', groupBy: 'country', filters: {} }, { language: 'en' });
    expect(shape(first)).toEqual([['VN', 2], ['PH', 1], ['TH', 1]]);
    expect(first.notes[0]).toBe(`A need counts as unmet when no matching offer or expertise shares at least ${UNMET_THRESHOLD} of its glossary concepts (scale 0–1).`);
    const scoredOnce = engine.needsScored - before;
    expect(scoredOnce).toBeLessThanOrEqual(6);
    await engine.answer({ metric: 'unmet_needs', filters: { countries: ['TH'] } }, { language: 'en' });
    expect(engine.needsScored - before).toBe(scoredOnce); // cached
    // The scores behind it: the two needs with a real offer score high, the others below the threshold.
    const matcher = new Matcher(store, Glossary.shared(), undefined);
    const coverage = async (key: string) => bestCoverage(await matcher.matchListing(ids.get(key)!, { kinds: ['offer', 'expertise'], limit: 5 }));
    for (const key of ['n1', 'n2']) expect(await coverage(key)).toBeGreaterThanOrEqual(UNMET_THRESHOLD);
    for (const key of ['n3', 'n4', 'n5', 'n6']) expect(await coverage(key)).toBeLessThan(UNMET_THRESHOLD);
    // A new offer that answers the pagoda need: the cache notices and the need is met.
    await saveListing(
      { store, glossary: Glossary.shared(), encoder: undefined },
      { external_id: 'o8', source: 'stats-test', kind: 'offer', title: 'Seismic retrofit of historic brick pagodas and masonry temples', summary: 'We strengthen historic brick pagodas and masonry walls against earthquakes without changing how they look.', language: 'en', country: 'JP', sectors: ['construction'] },
    );
    const after = await engine.answer({ metric: 'unmet_needs', groupBy: 'sector', filters: {} }, { language: 'en' });
    expect(shape(after)).toEqual([['construction', 2], ['environment', 1]]);
    await db.query(`DELETE FROM listings WHERE external_id = 'o8'`);
  });

  it('ran only parameterised SQL: the question texts never reached the database', async () => {
    const injection = "how many offers from Vietnam'; DROP TABLE listings; --";
    const { answer } = await askStats(new RuleStatsParser(), engine, injection, { now: NOW });
    expect(answer.rows).toEqual([[4]]); // o1, o2, o3, o4 (published offers from Vietnam, all time)
    expect(answer.notes).toEqual(['Left out because I did not understand it: drop.']);
    const questions = EXAMPLES.flatMap((example) => Object.values(example.questions)).concat(injection);
    for (const statement of statements) {
      expect(statement.text).not.toMatch(/drop/iu);
      for (const question of questions) expect(JSON.stringify(statement.values)).not.toContain(question);
    }
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM listings')).rows[0]!.n).toBe(SEEDS.length + ARCHIVED);
  });

  it('renders a PNG chart (bar, line, funnel) with alt text', async () => {
    const ask = async (question: string) => (await askStats(new RuleStatsParser(), engine, question, { now: NOW })).answer;
    const bars = await renderChart(await ask('ความต้องการแยกตามประเทศ'));
    expect([...bars.png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(bars.png)).toEqual({ width: 800, height: 450 });
    expect(bars.alt).toBe('แผนภูมิแท่ง: ความต้องการแยกตามประเทศ ไทย 2, เวียดนาม 2, อินโดนีเซีย 1, ฟิลิปปินส์ 1');
    const line = await renderChart(await ask('listings per month since January'), { scale: 2 });
    expect(pngSize(line.png)).toEqual({ width: 1600, height: 900 });
    expect(line.alt.startsWith('Line chart: Listings by month · since January 2025. Jan 2025 2, Feb 2025 3')).toBe(true);
    const funnel = await renderChart(await ask('match funnel last quarter'), { width: 640, height: 360 });
    expect(pngSize(funnel.png)).toEqual({ width: 640, height: 360 });
    expect(funnel.png.length).toBeGreaterThan(3000);
  });

  it('the conversation engine records shown matches and introduction requests (no message text)', async () => {
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM match_events')).rows[0]!.n;
    const secretariat = { JEMBATAN_MODERATION_SLACK_CHANNEL: 'CMODQ', SLACK_BOT_TOKEN: 'xoxb-test' };
    const user = new ChatUser(engineFor(store, { env: secretariat }), 'stats-founder', { locale: 'id-ID' });
    const found = await user.say('sensor oksigen terlarut untuk tambak udang');
    const cards = found.cards();
    expect(cards.length).toBeGreaterThan(0);
    const shown = await db.query<{ listing_id: number; channel: string; language: string }>(
      `SELECT listing_id, channel, language FROM match_events WHERE event = 'shown' AND channel = 'console' ORDER BY id`,
    );
    expect(shown.rows.map((row) => row.listing_id)).toEqual(cards.map((card) => card.listingId));
    expect(shown.rows[0]).toMatchObject({ channel: 'console', language: found.language });
    await user.press(`intro:${cards[0]!.listingId}`);
    await user.say('Kami ingin uji coba sensor ini di tambak udang koperasi kami.');
    await user.say('Budi, Koperasi Tambak Udang, budi@example.id');
    await user.press(`intro:${cards[0]!.listingId}`); // asked twice: recorded once
    const requested = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM match_events WHERE event = 'intro_requested' AND listing_id = $1 AND channel = 'console'`, [cards[0]!.listingId]);
    expect(requested.rows[0]!.n).toBe(1);
    const after = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM match_events')).rows[0]!.n;
    expect(after - before).toBe(cards.length + 1);
    const columns = (await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'match_events'`)).rows.map((row) => row.column_name);
    expect(columns.sort()).toEqual(['channel', 'country', 'event', 'id', 'language', 'listing_id', 'listing_kind', 'occurred_at', 'sectors']);
  });
});

// ---- the LLM path -------------------------------------------------------------------------------------

describe('stats questions read by an LLM (fake OpenAI server), with the rules as fallback', () => {
  let fake: FakeOpenAIChat;
  const model = () => chatModelFromEnv(readEnv({ OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test-stats', JEMBATAN_LLM_TIMEOUT_MS: '5000' }))!;

  beforeAll(async () => {
    fake = await startFakeOpenAIChat();
  });
  afterAll(async () => fake.close());

  it('fills the same StatsQuery through a forced function call; labels are ours', async () => {
    fake.reset();
    fake.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'listings', kinds: ['offer'], countries: ['vn'], sectors: ['agrifood'], from: '2025-01-01', to: '2025-12-31', language: 'vi' }) });
    const parser = new LlmStatsParser(model(), { timeoutMs: 5000, logger: SILENT, trustRules: false });
    const parsed = await parser.parse('Năm nay Việt Nam có mấy công nghệ nông nghiệp được chào?', { now: NOW });
    expect(parsed).toEqual({
      via: 'llm',
      language: 'vi',
      ignored: [],
      query: { metric: 'listings', filters: { kinds: ['offer'], countries: ['VN'], sectors: ['agrifood'], statuses: ['published'] }, period: { from: '2025-01-01', to: '2025-12-31', label: 'năm nay (2025)' } },
    });
    const request = fake.requests[0]!;
    expect(request.body.tool_choice).toMatchObject({ type: 'function', function: { name: STATS_FUNCTION } });
    const user = JSON.stringify(request.body.messages);
    expect(user).toContain('today (UTC): 2025-06-15');
    expect(user).toMatch(/<<<BEGIN stats_question [0-9a-f]{12}>>>/u);
  });

  it('a question the rules read completely is not sent to the model (unless asked); one with unknown words is', async () => {
    fake.reset();
    const parser = new LlmStatsParser(model(), { timeoutMs: 5000, logger: SILENT });
    const parsed = await parser.parse('needs by country', { now: NOW });
    expect(parsed.via).toBe('rules');
    expect(fake.requests).toHaveLength(0);
    fake.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'listings', kinds: ['offer'], sectors: ['agrifood'], language: 'en' }) });
    const seaweed = await parser.parse('how many offers about seaweed', { now: NOW });
    expect(seaweed).toMatchObject({ via: 'llm', ignored: [], query: { metric: 'listings', filters: { kinds: ['offer'], sectors: ['agrifood'] } } });
    expect(fake.requests).toHaveLength(1);
    fake.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'listings', groupBy: 'country', kinds: ['need'], language: 'en' }) });
    const asked = await new LlmStatsParser(model(), { timeoutMs: 5000, logger: SILENT, trustRules: false }).parse('needs by country', { now: NOW });
    expect(asked.via).toBe('llm');
    expect(asked.query).toEqual(parseStatsRules('needs by country', { now: NOW }).query);
  });

  it('falls back to the rules on an HTTP error, an invalid answer, "not understood" or an unsupported query', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    const parser = new LlmStatsParser(model(), { timeoutMs: 5000, logger, trustRules: false });
    const rules = parseStatsRules('match funnel last quarter', { now: NOW });
    fake.reset();
    fake.reply({ type: 'error', status: 500 }, { type: 'error', status: 500 });
    expect(await parser.parse('match funnel last quarter', { now: NOW })).toEqual(rules);
    fake.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'bogus' }) });
    expect(await parser.parse('match funnel last quarter', { now: NOW })).toEqual(rules);
    fake.reply({ type: 'structured', value: llmStatsAnswer({ understood: false }) });
    expect(await parser.parse('match funnel last quarter', { now: NOW })).toEqual(rules);
    fake.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'searches', groupBy: 'trl' }) });
    expect(await parser.parse('match funnel last quarter', { now: NOW })).toEqual(rules);
    fake.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'listings', from: '2025-02-30' }) });
    expect(await parser.parse('match funnel last quarter', { now: NOW })).toEqual(rules);
    expect(logs.filter((line) => line.event === 'llm_fallback')).toHaveLength(5);
    // Neither can read it: the rules' error says what can be asked.
    fake.reply({ type: 'structured', value: llmStatsAnswer({ understood: false }) });
    await expect(parser.parse('what is the weather like?', { now: NOW })).rejects.toBeInstanceOf(StatsQuestionError);
  });
});
