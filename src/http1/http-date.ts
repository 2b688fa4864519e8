/** The IMF-fixdate for the Date response header (RFC 9110 §5.6.7), formatted once per second. */
let cachedSecond = -1;
let cached = '';

/** The current time as an HTTP date, e.g. `Sat, 28 Nov 2026 10:00:00 GMT`. */
export function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cached = new Date(second * 1000).toUTCString();
  }
  return cached;
}
