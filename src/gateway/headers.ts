/**
 * Header rules for proxying. Hop-by-hop headers are connection-scoped and never forwarded
 * (RFC 9110 §7.6.1); headers named in `Connection` are hop-by-hop too.
 */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Lowercased names listed in a Connection header value (extra hop-by-hop headers). */
export function connectionTokens(value: string | undefined): Set<string> | undefined {
  if (!value) return undefined;
  // The common values name no extra headers.
  if (value === 'keep-alive' || value === 'close' || value === 'Keep-Alive' || value === 'Close')
    return undefined;
  let set: Set<string> | undefined;
  for (const token of value.split(',')) {
    const t = token.trim().toLowerCase();
    if (t !== '' && t !== 'close' && t !== 'keep-alive') (set ??= new Set()).add(t);
  }
  return set;
}
