/**
 * The proxy event on the wire. Events are flat, string-heavy objects built in AWS's member order,
 * which `JSON.stringify` (V8's native fast path) renders as is; this only fixes the encoding.
 */
import type { ProxyEventV1, ProxyEventV2 } from './types.js';

/** Serialises a proxy event to the UTF-8 JSON payload sent to the function. */
export function encodeEvent(event: ProxyEventV1 | ProxyEventV2): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}
