import { Alerts } from '../../alerts/alerts.js';
import { DeliveryStore } from '../../delivery/delivery-store.js';
import type { Turn } from '../turn.js';

/** Saved-need alerts in the conversation (core/alerts): save the current search, list, stop. */

function service(turn: Turn): Alerts {
  return turn.deps.alerts ?? new Alerts(turn.deps.store.db, new DeliveryStore(turn.deps.store.db), turn.deps.matcher, turn.deps.store);
}

/** "Alert me": saves the current search (its text and refinements) as a need to watch. */
export async function saveAlert(turn: Turn): Promise<void> {
  const search = turn.state.search;
  if (!search || search.similarTo !== undefined) {
    turn.say('alert.no_search');
    return;
  }
  const outcome = await service(turn).save(turn.user.id, search.query, search.language, search.filters);
  if (!outcome.ok) {
    if (outcome.reason === 'already_saved') return turn.say('alert.already', { query: search.query });
    return turn.say('alert.too_many', { limit: outcome.limit ?? 0 });
  }
  if (outcome.concepts === 0) turn.say('alert.no_concepts');
  turn.buttons('alert.saved', [turn.button('button.alerts', 'cmd:alerts')], { query: search.query });
}

export async function showAlerts(turn: Turn): Promise<void> {
  const saved = await service(turn).list(turn.user.id);
  if (saved.length === 0) {
    turn.say('alert.none');
    return;
  }
  turn.say('alert.header', { count: saved.length });
  for (const need of saved) turn.buttons('alert.item', [turn.button('button.alert_stop', `ast:${need.id}`)], { query: need.query });
}

export async function stopAlert(turn: Turn, savedNeedId: number): Promise<void> {
  const stopped = await service(turn).stop(turn.user.id, savedNeedId);
  turn.say(stopped ? 'alert.stopped' : 'alert.not_found');
}
