/**
 * CloudWatch-style log lines of an invocation (text format,
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html): START / app lines / END / REPORT,
 * TAB-separated fields.
 */
import type { EnvOutcome } from './environment.js';

/** `START RequestId: <id> Version: <version>`. */
export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

/** `END RequestId: <id>`. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

/** Figures of the REPORT line. */
export interface ReportFigures {
  durationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Only on a cold start. */
  initDurationMs?: number;
  /** `timeout` / `error` as Lambda appends for failed invocations. */
  status?: 'timeout' | 'error';
  errorType?: string;
}

/** `REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\t...`. */
export function reportLine(requestId: string, f: ReportFigures): string {
  let line =
    `REPORT RequestId: ${requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billedDuration(f.durationMs)} ms\tMemory Size: ${f.memorySizeMB} MB\t` +
    `Max Memory Used: ${f.maxMemoryUsedMB} MB`;
  if (f.initDurationMs !== undefined) line += `\tInit Duration: ${f.initDurationMs.toFixed(2)} ms`;
  if (f.status !== undefined) line += `\tStatus: ${f.status}`;
  if (f.errorType !== undefined) line += `\tError Type: ${f.errorType}`;
  return line + '\t\n';
}

/** Billed duration: rounded up to the next millisecond (since December 2020), at least 1 ms. */
export function billedDuration(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** An application line: `<ISO time>\t<request id>\t<LEVEL>\t<message>`. */
export function appLine(time: Date, requestId: string | undefined, level: string, message: string): string {
  return `${time.toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}\n`;
}

/** `Task timed out after 3.00 seconds` (the timeout figure is the configured timeout). */
export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** Log stream name `YYYY/MM/DD/[version]<32 hex>`. */
export function logStreamName(date: Date, version: string, hex32: string): string {
  const y = date.getUTCFullYear();
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}/${m}/${d}/[${version}]${hex32}`;
}

/** END and REPORT of one invocation, plus the `Task timed out` trailer. */
export function closingLines(requestId: string, memorySizeMB: number, o: EnvOutcome): string {
  const figures: ReportFigures = {
    durationMs: o.durationMs,
    memorySizeMB,
    maxMemoryUsedMB: o.maxMemoryUsedMB,
  };
  if (o.initDurationMs !== undefined) figures.initDurationMs = o.initDurationMs;
  if (o.timedOut) figures.status = 'timeout';
  else if (o.retire && o.error) figures.status = 'error';
  if (o.retire && o.error && o.errorType !== undefined) figures.errorType = o.errorType;
  const text = endLine(requestId) + reportLine(requestId, figures);
  return o.trailer === undefined ? text : text + o.trailer;
}

/**
 * Platform lines in the JSON log format (LoggingConfig `LogFormat: JSON`): `platform.start` and
 * `platform.report` records, at INFO, so a system log level of WARN leaves them out. END has no
 * JSON counterpart, and a timeout is the report's `status` and `errorType` rather than a trailer
 * line. [unsure] Lambda's exact set of platform records in CloudWatch.
 */
export interface PlatformLog {
  json: boolean;
  /** JSON only: write the INFO records (start, report). */
  info: boolean;
}

/** The platform settings of a function's LoggingConfig. */
export function platformLog(config: { logFormat: string; systemLogLevel?: string } | undefined): PlatformLog {
  const json = config?.logFormat === 'JSON';
  return { json, info: !json || (config?.systemLogLevel ?? 'INFO') !== 'WARN' };
}

/** START, in the function's format. */
export function startText(p: PlatformLog, requestId: string, version: string, time: Date): string {
  if (!p.json) return startLine(requestId, version);
  if (!p.info) return '';
  return `${JSON.stringify({ time: time.toISOString(), type: 'platform.start', record: { requestId, version } })}\n`;
}

/** END and REPORT (and a timeout's trailer), in the function's format. */
export function closingText(
  p: PlatformLog,
  requestId: string,
  memorySizeMB: number,
  o: EnvOutcome,
  time: Date,
): string {
  if (!p.json) return closingLines(requestId, memorySizeMB, o);
  if (!p.info) return '';
  const metrics: Record<string, number> = {
    durationMs: Math.round(o.durationMs * 100) / 100,
    billedDurationMs: billedDuration(o.durationMs),
    memorySizeMB,
    maxMemoryUsedMB: o.maxMemoryUsedMB,
  };
  if (o.initDurationMs !== undefined) metrics.initDurationMs = Math.round(o.initDurationMs * 100) / 100;
  const status = o.timedOut ? 'timeout' : o.retire && o.error ? 'error' : 'success';
  const record: Record<string, unknown> = { requestId, metrics, status };
  if (status !== 'success' && o.errorType !== undefined) record.errorType = o.errorType;
  return `${JSON.stringify({ time: time.toISOString(), type: 'platform.report', record })}\n`;
}
