import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** `bin/portico.js` of this checkout. */
export const PORTICO_BIN = fileURLToPath(new URL('../../bin/portico.js', import.meta.url));
/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned node process with its output captured. */
export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Resolves with the first match of `re` in stderr (rejects when the process exits first or after `timeoutMs`). */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Same for stdout. */
  waitForStdout(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Kills the process (SIGKILL) if it still runs and waits for it. */
  kill(): Promise<Exit>;
}

/** Environment for a child: the parent's minus every PORTICO_* variable, plus `env`. */
export function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PORTICO_')) out[k] = v;
  return { ...out, ...env };
}

/** Spawns `node <script> ...args` with captured output. */
export function spawnNode(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Spawned {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
    for (const l of listeners) l();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const l of listeners) l();
    });
  });
  let done: Exit | undefined;
  void exited.then((e) => (done = e));
  const waitFor = (read: () => string, re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(read());
        if (m) {
          cleanup();
          resolve(m);
        } else if (done !== undefined || child.exitCode !== null) {
          cleanup();
          reject(
            new Error(
              `process exited (${JSON.stringify(done)}) before ${re}; stderr:\n${err}\nstdout:\n${out}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${re}; stderr:\n${err}\nstdout:\n${out}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr: (re, timeoutMs = 10_000) => waitFor(() => err, re, timeoutMs),
    waitForStdout: (re, timeoutMs = 10_000) => waitFor(() => out, re, timeoutMs),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Spawns `node bin/portico.js ...args`. */
export function spawnPortico(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Spawned {
  return spawnNode(PORTICO_BIN, args, options);
}

/** The URLs a started `portico start` printed. */
export interface Started {
  dataUrl: string;
  adminUrl: string;
}

/** Waits for the "serving APIs on ..." line of `portico start`. */
export async function waitForStart(p: Spawned, timeoutMs = 10_000): Promise<Started> {
  const m = await p.waitForStderr(/serving APIs on (\S+) \(admin (\S+),/, timeoutMs);
  return { dataUrl: m[1] as string, adminUrl: m[2] as string };
}

/** True when nothing listens on 127.0.0.1:`port` (so a test may use a fixed default port). */
export async function portIsFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether connecting to 127.0.0.1:`port` is refused (nothing listens). */
export async function isRefused(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise<boolean>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    // ECONNRESET: the connection reached the backlog just as the listener closed; probe again.
    socket.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNREFUSED' ? resolve(true) : err.code === 'ECONNRESET' ? resolve(false) : reject(err),
    );
  });
}

/** Waits until 127.0.0.1:`port` refuses connections (the listener closed); throws after `timeoutMs`. */
export async function expectRefused(port: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await isRefused(port))) {
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
