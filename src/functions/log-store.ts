import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';

/** Bounds of a function's log. */
export interface LogStoreOptions {
  /** `<dir>/<function>/current.log` plus rotated `1.log` .. `<files-1>.log`. */
  dir: string;
  /** Rotate once the current file reaches this size. Default 5 MiB. */
  maxFileBytes?: number;
  /** Files kept per function, including the current one. Default 3. */
  files?: number;
  /** Recent text kept in memory for `follow`. Default 256 KiB. */
  memoryBytes?: number;
}

/** What a read returns: the text and the cursor to pass to the next read. */
export interface LogChunk {
  text: string;
  cursor: number;
}

interface FunctionLog {
  stream: WriteStream;
  dir: string;
  /** Text appended since the last flush (written once per event-loop turn). */
  pending: string;
  fileBytes: number;
  /** Bytes appended since the store opened (the cursor space). */
  written: number;
  /** Recent chunks and the cursor of the first one. */
  recent: string[];
  recentStart: number;
  recentBytes: number;
  waiters: Set<() => void>;
}

const FLUSH_INTERVAL_MS = 20;
const FLUSH_BYTES = 64 * 1024;

/**
 * Per-function CloudWatch-like log: bounded, rotated files in the data dir (persisted across
 * restarts) and an in-memory tail for following. Appends only concatenate: what the invocations of
 * the last 20 ms (or 64 KB) logged goes to the file in one asynchronous write, so logging stays off
 * the invocation's critical path (a write per event-loop turn woke a libuv pool thread per turn,
 * ~5 µs per request on the function bench). Readers flush first, so they always see every line.
 */
export class LogStore {
  readonly #o: Required<LogStoreOptions>;
  readonly #logs = new Map<string, FunctionLog>();
  readonly #dirty = new Set<FunctionLog>();
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #flushAll = (): void => {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    for (const log of this.#dirty) this.#flush(log);
    this.#dirty.clear();
  };

  constructor(options: LogStoreOptions) {
    this.#o = { maxFileBytes: 5 * 1024 * 1024, files: 3, memoryBytes: 256 * 1024, ...options };
  }

  /** Appends text to a function's log (buffered for up to 20 ms or 64 KB). */
  append(functionName: string, text: string): void {
    if (text === '') return;
    const log = this.#logs.get(functionName) ?? this.#open(functionName);
    log.pending += text;
    this.#dirty.add(log);
    if (log.pending.length > FLUSH_BYTES) {
      this.#flushAll();
    } else if (this.#flushTimer === undefined) {
      this.#flushTimer = setTimeout(this.#flushAll, FLUSH_INTERVAL_MS);
      this.#flushTimer.unref();
    }
  }

  #flush(log: FunctionLog): void {
    if (log.pending === '') return;
    const text = log.pending;
    log.pending = '';
    const bytes = Buffer.byteLength(text);
    if (log.fileBytes + bytes > this.#o.maxFileBytes && log.fileBytes > 0) this.#rotate(log);
    log.stream.write(text);
    log.fileBytes += bytes;
    log.written += bytes;
    log.recent.push(text);
    log.recentBytes += bytes;
    while (log.recentBytes > this.#o.memoryBytes && log.recent.length > 1) {
      const dropped = log.recent.shift() as string;
      const n = Buffer.byteLength(dropped);
      log.recentBytes -= n;
      log.recentStart += n;
    }
    for (const wake of log.waiters) wake();
    log.waiters.clear();
  }

  /** Everything still on disk (rotated files first), and the cursor for following from here. */
  async readAll(functionName: string): Promise<LogChunk> {
    const log = this.#logs.get(functionName);
    if (log) this.#flush(log);
    // A zero-length write calls back once everything queued before it reached the file.
    if (log) await new Promise<void>((resolve) => log.stream.write('', () => resolve()));
    const dir = join(this.#o.dir, safeName(functionName));
    const parts: string[] = [];
    for (let i = this.#o.files - 1; i >= 1; i--) {
      const f = join(dir, `${i}.log`);
      if (existsSync(f)) parts.push(readFileSync(f, 'utf8'));
    }
    const current = join(dir, 'current.log');
    if (existsSync(current)) parts.push(readFileSync(current, 'utf8'));
    return { text: parts.join(''), cursor: log?.written ?? 0 };
  }

  /**
   * Text appended after `cursor`; waits up to `waitMs` for new text when there is none yet
   * (long-poll, so followers need no streaming transport). A cursor older than the in-memory tail
   * resumes at the oldest text still held.
   */
  async readSince(
    functionName: string,
    cursor: number,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<LogChunk> {
    const log = this.#logs.get(functionName) ?? this.#open(functionName);
    this.#flush(log);
    if (log.written <= cursor && waitMs > 0) {
      await new Promise<void>((resolve) => {
        let timer = setTimeout(() => done(), waitMs);
        // Woken by a first line: linger a moment so one answer carries the whole invocation.
        const wake = (): void => {
          clearTimeout(timer);
          timer = setTimeout(() => done(), 20);
        };
        const done = (): void => {
          clearTimeout(timer);
          log.waiters.delete(wake);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        log.waiters.add(wake);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    if (log.written <= cursor) return { text: '', cursor: log.written };
    const all = log.recent.join('');
    const from = Math.max(cursor, log.recentStart) - log.recentStart;
    return { text: Buffer.from(all).subarray(from).toString('utf8'), cursor: log.written };
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    const logs = [...this.#logs.values()];
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    for (const log of logs) this.#flush(log);
    this.#dirty.clear();
    this.#logs.clear();
    for (const log of logs) for (const wake of log.waiters) wake();
    await new Promise((r) => setTimeout(r, 25));
    await Promise.all(logs.map((l) => new Promise<void>((resolve) => l.stream.end(resolve))));
  }

  #open(functionName: string): FunctionLog {
    let log = this.#logs.get(functionName);
    if (log) return log;
    const dir = join(this.#o.dir, safeName(functionName));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'current.log');
    const fileBytes = existsSync(file) ? statSync(file).size : 0;
    log = {
      stream: createWriteStream(file, { flags: 'a' }),
      dir,
      pending: '',
      fileBytes,
      written: 0,
      recent: [],
      recentStart: 0,
      recentBytes: 0,
      waiters: new Set(),
    };
    log.stream.on('error', () => undefined);
    this.#logs.set(functionName, log);
    return log;
  }

  #rotate(log: FunctionLog): void {
    const dir = log.dir;
    log.stream.end();
    for (let i = this.#o.files - 1; i >= 1; i--) {
      const from = i === 1 ? join(dir, 'current.log') : join(dir, `${i - 1}.log`);
      if (existsSync(from)) renameSync(from, join(dir, `${i}.log`));
    }
    log.stream = createWriteStream(join(dir, 'current.log'), { flags: 'a' });
    log.stream.on('error', () => undefined);
    log.fileBytes = 0;
  }
}

/** Function names are `[a-zA-Z0-9-_]`; anything else is replaced so a name never escapes the dir. */
function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9-_]/g, '_');
}
