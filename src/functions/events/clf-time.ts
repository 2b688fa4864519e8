/**
 * Common Log Format time, as API Gateway renders `$context.requestTime` and 2.0
 * `requestContext.time`: `dd/MMM/yyyy:HH:mm:ss +0000`, always UTC (reference §2.2, §7.4).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

// Requests arrive in bursts within the same second: remember the last rendering.
let lastSecond = Number.NaN;
let lastText = '';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** Formats epoch milliseconds as `17/Jun/2024:14:48:13 +0000`. */
export function formatClfTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second === lastSecond) return lastText;
  const d = new Date(second * 1000);
  const text = `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? 'Jan'}/${d.getUTCFullYear()}:${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
  lastSecond = second;
  lastText = text;
  return text;
}
