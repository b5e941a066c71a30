/**
 * How a listing names the chat user who owns it: `owner_ref` = `<channel>:<channel user id>`
 * (e.g. `telegram:123`, `teams:29:abc`); null for imported listings.
 */
export function ownerRefOf(user: { channel: string; channelUserId: string }): string {
  return `${user.channel}:${user.channelUserId}`;
}

/** Splits an owner ref `telegram:123` into the channel and the channel's user id. */
export function ownerOf(ownerRef: string | null): { channel: string; channelUserId: string } | undefined {
  if (!ownerRef) return undefined;
  const at = ownerRef.indexOf(':');
  if (at <= 0 || at === ownerRef.length - 1) return undefined;
  return { channel: ownerRef.slice(0, at), channelUserId: ownerRef.slice(at + 1) };
}
