/**
 * Microsoft Teams activities in tests: the message activities a Teams client POSTs to the bot's
 * /api/messages, and readers for what the bot sent back (as test/support/fake-bot-connector.ts records it):
 * its Adaptive Cards, their Action.Submit buttons and the visible text.
 */

type Activity = Record<string, unknown>;

/** An Action.Submit as the user sees it: its title and the engine action in its data. */
export interface SentAction {
  title: string;
  action: string;
}

/** Who sends an activity, where, and to which bot. */
export interface TeamsSender {
  /** The Bot Connector's URL (the fake connector's), where the replies go. */
  serviceUrl: string;
  bot: { id: string; name: string };
  tenant: string;
  from: { id: string; name: string };
  conversation: { id: string; conversationType: 'personal' | 'channel' | 'groupChat' };
  locale?: string;
}

let activityCounter = 0;

/** A message activity as Teams sends it (a new id each time); `extra` is laid over it (text, value, another type…). */
export function teamsActivity(sender: TeamsSender, extra: Activity = {}): Activity {
  return {
    type: 'message',
    id: `1700000000${String(++activityCounter).padStart(5, '0')}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: sender.serviceUrl,
    from: { id: sender.from.id, name: sender.from.name, aadObjectId: `aad-${sender.from.id}` },
    recipient: sender.bot,
    conversation: { ...sender.conversation, tenantId: sender.tenant, isGroup: sender.conversation.conversationType !== 'personal' },
    channelData: { tenant: { id: sender.tenant } },
    ...(sender.locale ? { locale: sender.locale } : {}),
    ...extra,
  };
}

/** POSTs an activity to the bot's /api/messages (no authentication header unless given). */
export async function postActivity(baseUrl: string, activity: Activity, headers: Record<string, string> = {}): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  return { status: response.status, body: await response.text(), ms: performance.now() - started };
}

/** The Adaptive Cards attached to an activity. */
export function cardsOf(activity: Activity): Activity[] {
  const attachments = (activity.attachments as Activity[] | undefined) ?? [];
  return attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as Activity);
}

/** Every Action.Submit in the activities (card actions, tappable rows), in order. */
export function actionsOf(activities: Activity[]): SentAction[] {
  const found: SentAction[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const object = node as Activity;
    if (object.type === 'Action.Submit') {
      found.push({ title: String(object.title), action: String((object.data as Activity | undefined)?.action) });
      return;
    }
    // body before actions: the order a user reads them in
    for (const key of ['body', 'items', 'selectAction', 'actions', 'attachments', 'content']) if (key in object) walk(object[key]);
  };
  walk(activities);
  return found;
}

/** All visible text: message texts, text blocks, facts; line breaks, bold and markdown escapes undone. */
export function teamsText(activities: Activity[]): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const object = node as Activity;
    if (object.type === 'TextBlock' && typeof object.text === 'string') parts.push(object.text);
    if (object.type === 'FactSet') for (const fact of object.facts as Activity[]) parts.push(`${fact.title}: ${fact.value}`);
    for (const value of Object.values(object)) if (typeof value === 'object') walk(value);
  };
  for (const activity of activities) {
    if (typeof activity.text === 'string') parts.push(activity.text);
    walk(activity.attachments);
  }
  return parts
    .join('\n')
    .replace(/<br>/g, '\n')
    .replace(/\*\*/g, '')
    .replace(/\\([\\`*_~[\]|#>+\-.()])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
