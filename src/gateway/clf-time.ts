const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let cachedSecond = -1;
let cachedText = '';

/** `$context.requestTime` format: `dd/MMM/yyyy:HH:mm:ss +0000` (UTC). Cached per second. */
export function clfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === cachedSecond) return cachedText;
  const d = new Date(second * 1000);
  const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));
  cachedText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] as string}/${d.getUTCFullYear()}:${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  cachedSecond = second;
  return cachedText;
}
