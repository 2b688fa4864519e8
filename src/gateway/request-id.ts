import { randomBytes } from 'node:crypto';

/**
 * Request ids shaped like HTTP API's `apigw-requestid` (11 bytes -> 15 base64 chars + '=', e.g.
 * `JKJaXmPLvHcESHA=`): 4 bytes of seconds, 3 random bytes per process and a 4-byte counter, so ids
 * are unique within a process and very unlikely to collide across processes. The first 6 bytes
 * (8 base64 characters) change once a second and are cached; only the last 5 bytes are encoded
 * per request.
 */
export function createRequestIdGenerator(): () => string {
  const buf = Buffer.alloc(11);
  randomBytes(3).copy(buf, 4);
  let counter = randomBytes(4).readUInt32BE(0);
  let second = -1;
  let prefix = '';
  return function nextRequestId(): string {
    const now = (Date.now() / 1000) >>> 0;
    if (now !== second) {
      second = now;
      buf.writeUInt32BE(now, 0);
      prefix = buf.toString('base64', 0, 6);
    }
    counter = (counter + 1) >>> 0;
    buf.writeUInt32BE(counter, 7);
    return prefix + buf.toString('base64', 6, 11);
  };
}
