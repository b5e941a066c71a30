import type { DeliveryStore } from '../delivery/delivery-store.js';
import { notifyUser } from '../delivery/engine-bridge.js';
import type { Db } from '../store/db.js';
import { ownerOf, type ModerationDecision, type ModerationItem } from './moderation-store.js';

/**
 * Tells the submitter the outcome, in their language, at the address they were last seen at on their own
 * channel (queued in the outbox: delivered when that channel's worker runs). False when the submitter is
 * unknown or unreachable (an ingested listing, a user who asked to be forgotten).
 */
export async function notifySubmitter(
  deps: { db: Db; delivery: DeliveryStore },
  item: ModerationItem,
  decision: ModerationDecision,
  reason: string | null,
): Promise<boolean> {
  const owner = ownerOf(item.ownerRef);
  if (!owner) return false;
  return notifyUser({ db: deps.db, store: deps.delivery }, owner, (t) => [
    {
      type: 'text',
      text:
        decision === 'approved'
          ? t('moderation.approved', { title: item.title })
          : t('moderation.rejected', { title: item.title, reason: reason?.trim() || '—' }),
    },
  ]);
}
