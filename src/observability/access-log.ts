import type { RequestContext } from '../gateway/context.js';
import { clfTime } from '../gateway/clf-time.js';

/** Access log line formats: JSON with AWS `$context` names, or the CLF preset of API Gateway. */
export type AccessLogFormat = 'json' | 'clf';

/** Where access log lines go. */
export interface LineSink {
  write(line: string): void;
}

/**
 * A sink that batches lines and hands them to `out` at most every `intervalMs` (or when 64 KB are
 * waiting), so logging costs one write per batch instead of one per request. `flush()` writes what
 * is waiting (call it on shutdown).
 */
export function createBatchingSink(
  out: { write(chunk: string): unknown },
  intervalMs = 20,
): LineSink & { flush(): void } {
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    out.write(chunk);
  };
  return {
    write(line) {
      buffer += line;
      if (buffer.length > 65_536) flush();
      else if (!timer) {
        timer = setTimeout(flush, intervalMs);
        timer.unref();
      }
    },
    flush,
  };
}

/** Formats one access log line for a finished request. */
export function formatAccessLog(ctx: RequestContext, format: AccessLogFormat, now: number): string {
  const responseLatency = Math.round(now - ctx.startTime);
  const length =
    ctx.responseLength >= 0 ? ctx.responseLength : ctx.responseStream ? ctx.responseStream.bytes : undefined;
  const protocol = `HTTP/${ctx.req.httpVersion}`;
  const method = ctx.req.method ?? '-';
  if (format === 'clf') {
    return `${ctx.sourceIp} - - [${clfTime(ctx.requestTimeEpoch)}] "${method} ${ctx.routeKey} ${protocol}" ${
      ctx.status
    } ${length ?? '-'} ${ctx.requestId}\n`;
  }
  // Built by hand rather than JSON.stringify on a fresh object: this runs once per request. Only
  // the fields that can carry client-controlled text can need escaping.
  const latency = ctx.integrationLatency >= 0 ? String(Math.round(ctx.integrationLatency)) : '"-"';
  const error = ctx.errorMessage === undefined ? '' : `,"errorMessage":${jsonString(ctx.errorMessage)}`;
  return `{"requestId":"${ctx.requestId}","ip":${jsonString(ctx.sourceIp)},"requestTime":"${clfTime(
    ctx.requestTimeEpoch,
  )}","httpMethod":${jsonString(method)},"routeKey":${jsonString(ctx.routeKey)},"path":${jsonString(
    ctx.rawPath || ctx.target?.rawPath || ctx.req.url || '-',
  )},"status":${ctx.status},"protocol":"${protocol}","responseLength":${
    length === undefined ? '"-"' : length
  },"integrationLatency":${latency},"responseLatency":${responseLatency},"apiId":${jsonString(
    ctx.api?.apiId ?? '-',
  )},"stage":${jsonString(ctx.stage?.stageName ?? '-')}${error}}\n`;
}

/** Characters JSON.stringify would escape (quote, backslash, controls, U+2028/9, surrogates). */
// eslint-disable-next-line no-control-regex -- the control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\x00-\x1f\u2028\u2029\ud800-\udfff]/;

/** A JSON string literal; skips JSON.stringify for the common text that needs no escaping. */
function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** What is known of a request that Node's HTTP parser refused (no method, path or route). */
export interface RejectedRequest {
  requestId: string;
  ip: string;
  status: number;
  responseLength: number;
  message: string;
}

/** The access log line of a request refused before it could be parsed (400, 408, 431). */
export function formatRejectedAccessLog(r: RejectedRequest, format: AccessLogFormat): string {
  const time = clfTime(Date.now());
  if (format === 'clf') {
    return `${r.ip} - - [${time}] "- - -" ${r.status} ${r.responseLength} ${r.requestId}\n`;
  }
  return `{"requestId":"${r.requestId}","ip":${JSON.stringify(r.ip)},"requestTime":"${time}","httpMethod":"-","routeKey":"-","path":"-","status":${r.status},"protocol":"-","responseLength":${r.responseLength},"integrationLatency":"-","responseLatency":0,"apiId":"-","stage":"-","errorMessage":${JSON.stringify(r.message)}}\n`;
}
