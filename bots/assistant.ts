import { Alerts } from '../core/alerts/alerts.js';
import { Engine } from '../core/conversation/engine.js';
import { DeliveryStore } from '../core/delivery/delivery-store.js';
import { introductionSettingsFromEnv } from '../core/introductions/from-env.js';
import { Introductions } from '../core/introductions/introductions.js';
import { ConversationStateStore } from '../core/conversation/state-store.js';
import type { Env } from '../core/config/env.js';
import type { DenseEncoder } from '../core/embeddings/provider.js';
import type { Glossary } from '../core/glossary/glossary.js';
import { llmServicesFromEnv } from '../core/llm/from-env.js';
import type { Logger } from '../core/log.js';
import type { Matcher } from '../core/retrieval/match.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { RuleUnderstander } from '../core/understanding/rules.js';

export interface Assistant {
  engine: Engine;
  introductions: Introductions;
  alerts: Alerts;
  /** 'rules' without an LLM; otherwise the chat model's name (with the rules as fallback). */
  understanding: string;
}

/**
 * The conversation engine as every bot runs it: rule-based understanding in ten languages, and, when an
 * OpenAI-compatible endpoint is configured, an LLM in front of it (falling back to the rules on any failure).
 */
export function createAssistant(deps: {
  env: Env;
  store: ListingStore;
  matcher: Matcher;
  glossary: Glossary;
  encoder: DenseEncoder | undefined;
  logger: Logger;
  /** Result cards per page (default 5). */
  pageSize?: number;
}): Assistant {
  const rules = new RuleUnderstander(deps.glossary);
  const llm = llmServicesFromEnv(deps.env, { fallback: rules, logger: deps.logger });
  const delivery = new DeliveryStore(deps.store.db);
  const introductions = new Introductions(deps.store.db, delivery, introductionSettingsFromEnv(deps.env));
  const alerts = new Alerts(deps.store.db, delivery, deps.matcher, deps.store);
  const engine = new Engine({
    store: deps.store,
    states: new ConversationStateStore(deps.store.db),
    matcher: deps.matcher,
    glossary: deps.glossary,
    encoder: deps.encoder,
    understander: llm.understander,
    writer: llm.writer,
    needs: rules,
    logger: deps.logger,
    pageSize: deps.pageSize,
    introductions,
    alerts,
  });
  return { engine, introductions, alerts, understanding: llm.model ? `llm (${deps.env.JEMBATAN_LLM_MODEL}) with rules as fallback` : 'rules (no LLM configured)' };
}
