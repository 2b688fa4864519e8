/**
 * Entry script of a Node execution environment (a child process or a worker thread per
 * environment, see env-channels.ts). It emulates the Lambda Node.js runtime: loads the handler once,
 * then runs one invocation at a time with Lambda's context object, console format and error payloads
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html, .../nodejs-context.html).
 * Frames to the gateway are sent synchronously (a `write(2)` on fd 3, or a message on the worker's
 * port) so they stay ordered with logs and survive `process.exit`.
 */
import { writeSync } from 'node:fs';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { proxyEventFromFrame } from './events/proxy-input-codec.js';
import { encodeFrameJson, FrameDecoder, resultHeader, type FrameHeader } from './frames.js';
import { APP_LEVELS, appLogSettings, formatAppLine, type AppLevel, type AppLogSettings } from './app-log.js';
import { appLine } from './log-format.js';
import { installAwsLambdaGlobal, isStreamingHandler, ResponseStream } from './response-stream.js';
import { CHILD_FRAME_FD, type InitFrame, type InvokeFrame } from './node-env-protocol.js';
import { errorPayload, type ErrorPayload } from './node-error-payload.js';

type Handler = (
  event: unknown,
  context: unknown,
  callback: (err?: unknown, result?: unknown) => void,
) => unknown;

let init: InitFrame | undefined;
let handler: Handler | undefined;
/** The handler was made by `awslambda.streamifyResponse` (known once it has loaded). */
let handlerStreams = false;
let currentId: string | undefined;

/** The worker's port in a thread environment; null in a process environment. */
const port = parentPort;

function send(header: FrameHeader, body?: Buffer | string): void {
  sendJson(JSON.stringify(header), body);
}

/** Sends a frame whose header is JSON text already. */
function sendJson(headerJson: string, body?: Buffer | string): void {
  const frame = encodeFrameJson(headerJson, body, port !== null);
  if (port !== null) {
    // The frame's own buffer, which the gateway takes over (transferred, not copied).
    port.postMessage(frame, [frame.buffer as ArrayBuffer]);
    return;
  }
  let off = 0;
  while (off < frame.length) off += writeSync(CHILD_FRAME_FD, frame, off);
}

let memorySampledAt = -Infinity;
let memorySampleMB = 0;

/**
 * Max RSS so far, for REPORT's Max Memory Used. `getrusage` and the object Node builds around it
 * cost ~12 % of a quick invocation, so quick invocations in a row reuse a sample up to 50 ms old;
 * an invocation that ran 10 ms or more (time to allocate) and every failure sample afresh.
 */
function memoryUsedMB(fresh = true): number {
  const now = performance.now();
  if (fresh || now - memorySampledAt >= 50) {
    memorySampledAt = now;
    // A thread shares the gateway's RSS: its own figure is the isolate's heap (the part its limit bounds).
    const mb =
      port === null
        ? Math.ceil(process.resourceUsage().maxRSS / 1024)
        : Math.ceil((getHeapStatistics().total_heap_size + process.memoryUsage().external) / 1048576);
    memorySampleMB = Math.max(memorySampleMB, mb);
  }
  return memorySampleMB;
}

// console.* as the Lambda Node runtime prints them: time, request id, level, message (TAB-separated).
// JSON or text, and the lowest level written: from the environment's variables, read again once a
// spare process has taken on its function's (see load).
let logSettings: AppLogSettings = appLogSettings(process.env);
const LEVELS: Array<[string, AppLevel]> = [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
  ['fatal', 'FATAL'],
];
const consoleRecord = console as unknown as Record<string, unknown>;
for (const [method, level] of LEVELS) {
  const rank = APP_LEVELS.indexOf(level);
  consoleRecord[method] = (...args: unknown[]): void => {
    if (rank < logSettings.min) return;
    send({ t: 'log' }, formatAppLine(logSettings, new Date(), currentId, level, args));
  };
}
// Raw writes (process.stdout.write, libraries that bypass console) join the same ordered stream.
for (const stream of [process.stdout, process.stderr]) {
  (stream as unknown as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]): boolean => {
    send({ t: 'log' }, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (cb) process.nextTick(cb);
    return true;
  };
}

/** Reports a failure that ends the environment (uncaught exception, unhandled rejection), then exits. */
function fatal(label: string, payload: ErrorPayload, extra: Record<string, unknown> = {}): void {
  const logged = JSON.stringify({
    errorType: payload.errorType,
    errorMessage: payload.errorMessage,
    ...extra,
    stack: payload.trace,
  });
  send(
    { t: 'log' },
    logSettings.json
      ? // As the Lambda Node runtime logs it in JSON: the error's fields as the message.
        formatAppLine(logSettings, new Date(), currentId, 'ERROR', [
          {
            errorType: payload.errorType,
            errorMessage: payload.errorMessage,
            ...extra,
            stackTrace: payload.trace,
          },
        ])
      : appLine(new Date(), currentId, 'ERROR', `${label} \t${logged}`),
  );
  if (currentId !== undefined) {
    send({ t: 'error', id: currentId, mem: memoryUsedMB(), exit: true }, JSON.stringify(payload));
  }
  process.exit(129);
}

process.on('uncaughtException', (err) => fatal('Uncaught Exception', errorPayload(err)));
process.on('unhandledRejection', (reason) => {
  const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  const stack =
    reason instanceof Error && typeof reason.stack === 'string' ? reason.stack.split('\n').slice(1) : [];
  fatal(
    'Unhandled Promise Rejection',
    {
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: message,
      trace: [`Runtime.UnhandledPromiseRejection: ${message}`, ...stack],
    },
    { reason: reason instanceof Error ? errorPayload(reason) : reason, promise: {} },
  );
});

async function load(frame: InitFrame): Promise<void> {
  const started = performance.now();
  if (frame.env !== undefined) {
    // A spare process: become the function's environment (variables, then directory).
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, frame.env);
    if (frame.cwd !== undefined) process.chdir(frame.cwd);
    logSettings = appLogSettings(process.env);
  }
  if ((port !== null || frame.env !== undefined) && frame.sourceMaps === true) {
    process.setSourceMapsEnabled(true);
  }
  const fail = (payload: ErrorPayload): void =>
    send({ t: 'init-error', mem: memoryUsedMB() }, JSON.stringify(payload));
  if (frame.file === null) {
    const message = `Error: Cannot find module '${frame.moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`;
    return fail(wrapped('Runtime.ImportModuleError', message));
  }
  // The Lambda Node runtime's global, which handler modules may use as they load.
  installAwsLambdaGlobal();
  let mod: unknown;
  try {
    mod =
      frame.format === 'esm'
        ? await import(pathToFileURL(frame.file).href)
        : createRequire(frame.file)(frame.file);
  } catch (err) {
    if (err instanceof SyntaxError)
      return fail(wrapped('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`));
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      return fail(wrapped('Runtime.ImportModuleError', `${(err as Error).name}: ${(err as Error).message}`));
    }
    return fail(errorPayload(err));
  }
  let target: unknown = mod;
  for (const key of frame.exportPath) {
    target =
      target !== null && (typeof target === 'object' || typeof target === 'function')
        ? (target as Record<string, unknown>)[key]
        : undefined;
  }
  if (typeof target !== 'function') {
    const message = `${frame.moduleName}.${frame.exportPath.join('.')} is undefined or not exported`;
    return fail(wrapped('Runtime.HandlerNotFound', message));
  }
  handler = target as Handler;
  handlerStreams = isStreamingHandler(target);
  send({ t: 'ready', initMs: performance.now() - started });
}

function wrapped(errorType: string, message: string): ErrorPayload {
  return { errorType, errorMessage: message, trace: `${errorType}: ${message}`.split('\n') };
}

function run(frame: InvokeFrame, body: Buffer): void {
  const fn = handler;
  const cfg = init;
  if (!fn || !cfg) return;
  const id = frame.id;
  currentId = id;
  process.env._X_AMZN_TRACE_ID = frame.trace;
  const deadline = Date.now() + frame.timeoutMs;
  const started = performance.now();
  const loopAtStart = performance.eventLoopUtilization();
  let finished = false;
  const respond = (err: unknown, result: unknown): void => {
    if (currentId !== id) return;
    currentId = undefined;
    if (inputUnrefd) {
      inputUnrefd = false;
      input.ref();
    }
    answer(id, err, result, started, loopAtStart);
    // The gateway may have queued the next invocation behind this one: it begins now.
    const next = waiting.shift();
    if (next) run(...next);
  };
  const finish = (err: unknown, result: unknown, waitForEmptyLoop: boolean): void => {
    if (finished) return;
    finished = true;
    if (!waitForEmptyLoop) return respond(err, result);
    // callbackWaitsForEmptyEventLoop: answer once nothing is left to run, as Lambda does.
    inputUnrefd = true;
    input.unref();
    process.once('beforeExit', () => respond(err, result));
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: cfg.functionName,
    functionVersion: cfg.functionVersion,
    invokedFunctionArn: frame.arn,
    memoryLimitInMB: cfg.memoryLimitInMB,
    awsRequestId: id,
    logGroupName: cfg.logGroupName,
    logStreamName: cfg.logStreamName,
    identity: undefined,
    clientContext: frame.cc === undefined ? undefined : parseJson(frame.cc),
    getRemainingTimeInMillis: (): number => Math.max(deadline - Date.now(), 0),
    done: (err?: unknown, result?: unknown): void => finish(err, result, false),
    succeed: (result?: unknown): void => finish(null, result, false),
    fail: (err?: unknown): void => finish(err ?? 'handled', undefined, false),
  };
  const callback = (err?: unknown, result?: unknown): void =>
    finish(err, result, context.callbackWaitsForEmptyEventLoop);
  let event: unknown;
  if (frame.ev !== undefined) {
    try {
      event = proxyEventFromFrame(frame.ev, frame.n ?? 0, body);
    } catch (err) {
      // Not expected (the gateway wrote the text); fail this invocation, not the environment.
      finish(err, undefined, false);
      return;
    }
  } else {
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch {
      event = body.toString('utf8');
    }
  }
  if (handlerStreams) {
    runStreaming(fn, event, context, finish, frame.st === true ? id : undefined);
    return;
  }
  try {
    const r = fn(event, context, callback);
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') {
      (r as Promise<unknown>).then(
        (v) => finish(null, v, false),
        (e: unknown) => finish(e ?? new Error('Promise rejected'), undefined, false),
      );
    }
  } catch (err) {
    finish(err ?? new Error('Handler threw'), undefined, false);
  }
}

/**
 * A `streamifyResponse` handler: called with a response stream instead of a callback. As in the
 * Lambda Node runtime, it must be async; its response is complete when it ends the stream (a
 * handler that never does runs into its timeout), and a value it returns is ignored (with a
 * warning).
 */
function runStreaming(
  fn: Handler,
  event: unknown,
  context: object,
  finish: (err: unknown, result: unknown, waitForEmptyLoop: boolean) => void,
  streamTo: string | undefined,
): void {
  // With `streamTo` (the invocation's id), each part goes to the gateway as it is written.
  const stream = new ResponseStream(
    streamTo === undefined
      ? undefined
      : (chunk, first) =>
          send(
            first ? { t: 'chunk', id: streamTo, ct: stream.contentType } : { t: 'chunk', id: streamTo },
            chunk,
          ),
  );
  stream.once('finish', () => finish(null, stream, false));
  stream.once('error', (err) => finish(err, undefined, false));
  try {
    const r = (fn as unknown as (e: unknown, s: ResponseStream, c: object) => unknown)(
      event,
      stream,
      context,
    );
    if (r === null || typeof r !== 'object' || typeof (r as { then?: unknown }).then !== 'function') {
      finish(new Error('Streaming does not support non-async handlers.'), undefined, false);
      return;
    }
    (r as Promise<unknown>).then(
      (v) => {
        if (v !== undefined) console.warn('Streaming handlers ignore return values.');
      },
      (e: unknown) => finish(e ?? new Error('Promise rejected'), undefined, false),
    );
  } catch (err) {
    finish(err ?? new Error('Handler threw'), undefined, false);
  }
}

/** Sends an invocation's result (or error) frame; `started` = when its handler was called. */
function answer(
  id: string,
  err: unknown,
  result: unknown,
  started: number,
  loopAtStart: EventLoopUtilization,
): void {
  // The handler's own run time (Lambda's Duration): the gateway's clock would add its own queueing.
  const d = performance.now() - started;
  // How much of it the event loop was busy, for invocations long enough to tell (see EnvOutcome.activeMs).
  const a = d >= 5 ? performance.eventLoopUtilization(loopAtStart).active : undefined;
  if (err !== undefined && err !== null) {
    send(
      { t: 'error', id, mem: memoryUsedMB(), d, ...(a === undefined ? {} : { a }) },
      JSON.stringify(errorPayload(err)),
    );
    return;
  }
  if (result instanceof ResponseStream) {
    sendJson(resultHeader(id, memoryUsedMB(d >= 10), d, a, result.contentType), result.bytes());
    return;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch {
    const p = {
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Unable to stringify response body',
      trace: [],
    };
    send({ t: 'error', id, mem: memoryUsedMB(), d }, JSON.stringify(p));
    return;
  }
  sendJson(resultHeader(id, memoryUsedMB(d >= 10), d, a), json ?? 'null');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The gateway's end: stdin in a process, the port in a thread (ref'd while an invocation may answer). */
const input = port ?? process.stdin;
/** Set while an invocation waits for the empty event loop (the input must not keep it alive). */
let inputUnrefd = false;
/** An invoke that arrived while the handler was still loading (the parent sends it right away). */
let pending: [InvokeFrame, Buffer] | undefined;
/** Invocations the gateway queued behind the running one (one invocation at a time, in order). */
const waiting: Array<[InvokeFrame, Buffer]> = [];
let loaded = false;
const decoder = new FrameDecoder((header, body) => {
  if (header.t === 'invoke') {
    if (!loaded) pending = [header as InvokeFrame, body];
    else if (currentId !== undefined) waiting.push([header as InvokeFrame, body]);
    else run(header as InvokeFrame, body);
  } else if (header.t === 'init') {
    init = header as InitFrame;
    void load(init).then(() => {
      loaded = true;
      if (pending) run(...pending);
      pending = undefined;
    });
  }
});
if (port !== null) {
  port.on('message', (m: Uint8Array) => decoder.push(Buffer.from(m.buffer, m.byteOffset, m.byteLength)));
  port.on('close', () => process.exit(0));
} else {
  process.stdin.on('data', (chunk: Buffer) => decoder.push(chunk));
  // The gateway closed the pipe: the environment is being shut down.
  process.stdin.on('end', () => process.exit(0));
}
