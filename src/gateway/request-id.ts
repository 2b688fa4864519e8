import { randomBytes } from 'node:crypto';

/**
 * Request ids shaped like HTTP API's `apigw-requestid` (11 bytes -> 15 base64 chars + '=', e.g.
 * `JKJaXmPLvHcESHA=`): 4 bytes of seconds, 3 random bytes per process and a 4-byte counter, so ids
 * are unique within a process and very unlikely to collide across processes.
 */
export function createRequestIdGenerator(): () => string {
  const buf = Buffer.alloc(11);
  randomBytes(3).copy(buf, 4);
  let counter = randomBytes(4).readUInt32BE(0);
  return function nextRequestId(): string {
    buf.writeUInt32BE((Date.now() / 1000) >>> 0, 0);
    counter = (counter + 1) >>> 0;
    buf.writeUInt32BE(counter, 7);
    return buf.toString('base64');
  };
}
