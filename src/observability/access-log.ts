import type { RequestContext } from '../gateway/context.js';
import { clfTime } from '../gateway/clf-time.js';

/** Access log line formats: JSON with AWS `$context` names, or the CLF preset of API Gateway. */
export type AccessLogFormat = 'json' | 'clf';

/** Where access log lines go. */
export interface LineSink {
  write(line: string): void;
}

/**
 * A sink that batches lines and hands them to `out` once per event-loop turn (or every 64 KB), so
 * logging costs one write per batch instead of one per request.
 */
export function createBatchingSink(out: { write(chunk: string): unknown }): LineSink & { flush(): void } {
  let buffer = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    out.write(chunk);
  };
  return {
    write(line) {
      buffer += line;
      if (buffer.length > 65_536) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
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
  return `${JSON.stringify({
    requestId: ctx.requestId,
    ip: ctx.sourceIp,
    requestTime: clfTime(ctx.requestTimeEpoch),
    httpMethod: method,
    routeKey: ctx.routeKey,
    path: ctx.rawPath || ctx.target?.rawPath || ctx.req.url || '-',
    status: ctx.status,
    protocol,
    responseLength: length ?? '-',
    integrationLatency: ctx.integrationLatency >= 0 ? Math.round(ctx.integrationLatency) : '-',
    responseLatency,
    apiId: ctx.api?.apiId ?? '-',
    stage: ctx.stage?.stageName ?? '-',
    ...(ctx.errorMessage === undefined ? {} : { errorMessage: ctx.errorMessage }),
  })}\n`;
}
