/**
 * The engine with an LLM configured: the real @langchain/openai client against a local OpenAI-compatible
 * server. When the model answers, cards carry its explanation and a labelled machine-translated summary;
 * when it fails, the rule path answers and the user never notices more than a delay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../core/conversation/i18n.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ChatUser, engineFor, loadSamples } from './support/chat.js';
import { startFakeOpenAIChat, type FakeOpenAIChat } from './support/fake-openai-chat.js';
import { openTestStore } from './support/stores.js';

const NEED = 'บ่อกุ้งออกซิเจนต่ำ กุ้งตายตอนกลางคืน ต้องการเซ็นเซอร์วัดออกซิเจนละลายน้ำ';
const WRITTEN = 'เซ็นเซอร์นี้วัดออกซิเจนในบ่อกุ้งและเปิดเครื่องเติมอากาศเองตอนกลางคืน';

let fake: FakeOpenAIChat;
let store: ListingStore;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  fake = await startFakeOpenAIChat();
  ({ store, cleanup } = await openTestStore('pglite'));
  await loadSamples(store);
});
afterAll(async () => {
  await fake.close();
  await cleanup();
});

const env = () => ({ OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'sk-test', JEMBATAN_LLM_TIMEOUT_MS: '3000' });

describe('conversation with an LLM', () => {
  it('uses the model for understanding, explanations and labelled translations; listing text only in data blocks', async () => {
    fake.reset();
    fake.reply({
      type: 'structured',
      value: { intent: 'search', command: null, text: NEED, refinement: null, language: 'th', confidence: 0.9 },
    });
    for (let i = 0; i < 12; i++) fake.reply({ type: 'text', text: WRITTEN });
    const user = new ChatUser(engineFor(store, { env: env() }), 'llm-th');
    const answer = await user.say(NEED);

    expect(answer.language).toBe('th');
    const cards = answer.cards();
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.slice(0, 3).every((card) => card.why === WRITTEN)).toBe(true);
    const label = translator('th')('card.machine_translated', { text: WRITTEN });
    const english = cards.slice(0, 3).filter((card) => /[a-z]{4}/.test(card.title));
    expect(english.length).toBeGreaterThan(0);
    for (const card of english) expect(card.summary).toContain(label);

    const requests = fake.requests;
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const request of requests) {
      const [system, userMessage] = request.body.messages ?? [];
      expect(String(system?.content)).not.toContain('dissolved oxygen');
      expect(String(userMessage?.content)).toMatch(/<<<BEGIN/);
    }
  }, 60_000);

  it('falls back to the rules when the model fails, and still answers', async () => {
    fake.reset();
    for (let i = 0; i < 30; i++) fake.reply({ type: 'error', status: 500, message: 'upstream down' });
    const user = new ChatUser(engineFor(store, { env: env() }), 'llm-down');
    const started = Date.now();
    const answer = await user.say(NEED);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(answer.language).toBe('th');
    expect(answer.cards().length).toBeGreaterThan(0);
    expect(answer.cards().every((card) => !card.summary.includes(translator('th')('card.machine_translated', { text: '' }).trim()))).toBe(true);
  }, 60_000);
});
