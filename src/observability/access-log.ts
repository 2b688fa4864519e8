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
  // the fields that can carry client-controlled text are escaped.
  const latency = ctx.integrationLatency >= 0 ? String(Math.round(ctx.integrationLatency)) : '"-"';
  const error = ctx.errorMessage === undefined ? '' : `,"errorMessage":${JSON.stringify(ctx.errorMessage)}`;
  return `{"requestId":"${ctx.requestId}","ip":${JSON.stringify(ctx.sourceIp)},"requestTime":"${clfTime(
    ctx.requestTimeEpoch,
  )}","httpMethod":${JSON.stringify(method)},"routeKey":${JSON.stringify(ctx.routeKey)},"path":${JSON.stringify(
    ctx.rawPath || ctx.target?.rawPath || ctx.req.url || '-',
  )},"status":${ctx.status},"protocol":"${protocol}","responseLength":${
    length === undefined ? '"-"' : length
  },"integrationLatency":${latency},"responseLatency":${responseLatency},"apiId":${JSON.stringify(
    ctx.api?.apiId ?? '-',
  )},"stage":${JSON.stringify(ctx.stage?.stageName ?? '-')}${error}}\n`;
}
