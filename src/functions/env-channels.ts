import { spawn, type ChildProcess } from 'node:child_process';
import { writeSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { batchSchedulingPrefix } from './batch-scheduling.js';
import { byteLengthOf, ownsBuffer, writeFrame } from './frames.js';
import type { SpareProcesses } from './spare-processes.js';

/**
 * How a Node execution environment is isolated (a Portico setting of each function):
 * - `process` (default): a child process per environment — its own cwd, TZ, heap limit, and nothing
 *   it does (native crashes, `process.abort()`, memory outside the heap) can reach the gateway.
 * - `thread`: a worker thread per environment — its own V8 isolate, module state, `process.env`,
 *   heap limit and event loop; crashes, `process.exit()`, endless loops and running out of heap
 *   end only that environment. It shares the gateway's process: cwd, TZ, native crashes and
 *   off-heap memory are not isolated. About half the cost per invocation (docs/functions.md).
 */
export type FunctionIsolation = 'process' | 'thread';

/** What a channel reports to its environment. */
export interface ChannelEvents {
  /** Frame bytes from the environment. */
  data(chunk: Buffer): void;
  /** Output that bypassed the patched console (native code, fatal V8 messages). */
  output(text: string): void;
  /** The environment ran out of heap (it is about to exit). */
  outOfMemory(): void;
  /** The environment is gone. */
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

/** The gateway's end of one environment. */
export interface EnvChannel {
  /** Sends frame bytes to the environment. */
  send(frame: Buffer): void;
  /**
   * Sends a frame given as header text and body (encoded where the channel needs bytes); `tail`,
   * when given, is more body after it.
   */
  sendFrame(headerJson: string, body: Buffer | string, tail?: Buffer): void;
  /** Ends the environment now. */
  kill(): void;
  /** The environment is a spare process started earlier: its init frame must set env and cwd. */
  readonly adopted?: boolean;
  /** The environment's own process (child-process environments). */
  readonly pid?: number | undefined;
}

/** What starting an environment needs. */
export interface ChannelOptions {
  entryPath: string;
  cwd: string;
  env: Record<string, string>;
  execArgv: string[];
  memorySizeMB: number;
  /** Booted processes to take one from instead of starting a new one (process channels). */
  spares?: SpareProcesses | undefined;
}

/** Starts a child-process environment: frames over stdin (to it) and fd 3 (from it). */
export function spawnProcessChannel(o: ChannelOptions, events: ChannelEvents): EnvChannel {
  const spare = o.spares?.take(o.memorySizeMB, o.env, o.execArgv);
  const child = spare ?? startProcess(o);
  const stdin = child.stdin as Writable;
  // EPIPE after the child died is reported through 'close'.
  stdin.on('error', () => undefined);
  (child.stdio[3] as Readable).on('data', events.data);
  const raw = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    if (text.includes('heap out of memory')) events.outOfMemory();
    events.output(text);
  };
  child.stdout?.on('data', raw);
  child.stderr?.on('data', raw);
  child.on('error', () => undefined);
  child.on('close', events.exit);
  /**
   * Straight to the pipe with one `write(2)` when nothing is buffered in the stream (a turn's frames
   * are far below the pipe's 64 KiB), else through the stream: saves the stream's write request and
   * callback. The fd is read from the open handle each time (`_handle` is null once closed, so a
   * reused fd number is never written to).
   */
  const write = (frame: Buffer): void => {
    const fd = (stdin as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
    if (typeof fd === 'number' && fd >= 0 && stdin.writableLength === 0) {
      try {
        const n = writeSync(fd, frame);
        if (n === frame.length) return;
        frame = frame.subarray(n);
      } catch (err) {
        // EPIPE: the child is gone and 'close' reports it; EAGAIN: the pipe is full, queue below.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      }
    }
    stdin.write(frame);
  };
  // Frames of one event-loop turn go in one write: the child then reads them in one go instead of
  // being woken for each (invocations queued behind a running one arrive together).
  let outbox: FramePart[] | undefined;
  const flush = (): void => {
    const parts = outbox;
    outbox = undefined;
    if (parts === undefined) return;
    const first = parts[0] as FramePart;
    write(parts.length === 1 && Buffer.isBuffer(first) ? first : joined(parts));
  };
  const queue = (part: FramePart): void => {
    if (outbox === undefined) {
      outbox = [];
      setImmediate(flush);
    }
    outbox.push(part);
  };
  return {
    send(frame) {
      queue(frame);
    },
    sendFrame(header, body, tail) {
      queue({ header, body, tail });
    },
    kill() {
      child.kill('SIGKILL');
    },
    adopted: spare !== undefined,
    pid: child.pid,
  };
}

function startProcess(o: ChannelOptions): ChildProcess {
  return spawnNodeEnvironment(o.entryPath, o.memorySizeMB, o.execArgv, o.cwd, o.env);
}

/**
 * Starts node-env-entry.js as a child process: under `SCHED_BATCH` when available, with the
 * memory size as the heap limit, frames on stdin and fd 3. Environments and spares both start so.
 */
export function spawnNodeEnvironment(
  entryPath: string,
  memorySizeMB: number,
  execArgv: readonly string[],
  cwd: string,
  env: Record<string, string>,
): ChildProcess {
  const [command, ...args] = [
    ...batchSchedulingPrefix(),
    process.execPath,
    `--max-old-space-size=${memorySizeMB}`,
    ...execArgv,
    entryPath,
  ];
  return spawn(command as string, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
}

/** Starts a worker-thread environment: frames as transferred byte arrays over the worker's port. */
export function startThreadChannel(o: ChannelOptions, events: ChannelEvents): EnvChannel {
  const worker = new Worker(o.entryPath, {
    env: o.env,
    // The memory size bounds the isolate's heap, as --max-old-space-size does for a process.
    resourceLimits: { maxOldGenerationSizeMb: o.memorySizeMB },
    stdout: true,
    stderr: true,
    workerData: { portico: 'environment' },
  });
  worker.on('message', (m: Uint8Array) => events.data(Buffer.from(m.buffer, m.byteOffset, m.byteLength)));
  const raw = (chunk: Buffer): void => events.output(chunk.toString('utf8'));
  worker.stdout.on('data', raw);
  worker.stderr.on('data', raw);
  worker.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') events.outOfMemory();
  });
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    events.exit(code, null);
  });
  // Frames of one event-loop turn go as one message: one wake-up of the worker for all of them.
  // They wait as parts (frame bytes, or header text, body and tail) and are written into the
  // message's buffer once, when it is sent.
  let outbox: FramePart[] | undefined;
  const flush = (): void => {
    const parts = outbox;
    outbox = undefined;
    if (parts === undefined || exited) return;
    const first = parts[0] as FramePart;
    // The worker takes the bytes over (transferred, not cloned): a lone frame with a buffer of its
    // own goes as is.
    const bytes = parts.length === 1 && Buffer.isBuffer(first) && ownsBuffer(first) ? first : joined(parts);
    worker.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
  };
  const queue = (part: FramePart): void => {
    if (exited) return;
    if (outbox === undefined) {
      outbox = [];
      setImmediate(flush);
    }
    outbox.push(part);
  };
  return {
    send(frame) {
      queue(frame);
    },
    sendFrame(header, body, tail) {
      queue({ header, body, tail });
    },
    kill() {
      void worker.terminate();
    },
  };
}

/** A frame waiting to be sent to a thread: its bytes, or its parts (framed when it is sent). */
type FramePart = Buffer | { header: string; body: Buffer | string; tail: Buffer | undefined };

/** Frames written into one new buffer of its own (see frames.ts for the layout). */
function joined(parts: readonly FramePart[]): Buffer {
  let size = 0;
  const lengths: number[] = [];
  for (const p of parts) {
    if (Buffer.isBuffer(p)) {
      size += p.length;
      continue;
    }
    const hl = Buffer.byteLength(p.header);
    const bl = byteLengthOf(p.body);
    lengths.push(hl, bl);
    size += 8 + hl + bl + (p.tail === undefined ? 0 : p.tail.length);
  }
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  let l = 0;
  for (const p of parts) {
    if (Buffer.isBuffer(p)) {
      out.set(p, at);
      at += p.length;
      continue;
    }
    const hl = lengths[l++] as number;
    const bl = lengths[l++] as number;
    at = writeFrame(out, at, p.header, hl, p.body, bl, p.tail);
  }
  return out;
}
