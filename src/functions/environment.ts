import type { InvokePayload } from './invoke-payload.js';
import { timeoutMessage } from './log-format.js';
/**
 * The contract between the pool and one execution environment (a Node child process or a custom
 * runtime's `bootstrap` process). An environment runs one invocation at a time
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 */

/** One invocation handed to an environment. */
export interface EnvInvocation {
  requestId: string;
  payload: InvokePayload;
  invokedFunctionArn: string;
  /** Decoded client context JSON (X-Amz-Client-Context), if any. */
  clientContext?: string;
  /** Called once when the handler starts (after a cold start's init), so START follows init logs. */
  begin(): void;
  /** Receives the invocation's application log text (already Lambda-formatted lines). */
  log(text: string): void;
  /**
   * The platform's own error line for an environment it ended (`Runtime.OutOfMemory: …`), in the
   * function's log format (once the invocation has begun; before, it belongs to the init log).
   */
  platformErrorLine(message: string): void;
  /**
   * Takes a streaming handler's response as it is written (the first part with the stream's
   * content type); the outcome's payload then holds nothing more. Node environments only.
   */
  onChunk?: ((chunk: Buffer, contentType: string | undefined) => void) | undefined;
  /**
   * Called synchronously when the invocation ends, before the next queued invocation of the same
   * environment begins, so END/REPORT precede the next START. Environments that never queue may
   * leave it to the caller.
   */
  end?(outcome: EnvOutcome): void;
}

/** How an invocation ended, as the environment saw it. */
export interface EnvOutcome {
  payload: Buffer;
  /** The function failed (payload is the error object). */
  error: boolean;
  /** `errorType` for the REPORT line (timeouts, crashes). */
  errorType?: string;
  timedOut?: boolean;
  /** Time spent in the handler. */
  durationMs: number;
  /**
   * Of `durationMs`, the time the environment's event loop was busy (the rest it waited on I/O or
   * timers). Reported by Node environments for invocations of 5 ms or more; the pool uses it to
   * start more environments for functions that mostly wait (see `EnvironmentPool`).
   */
  activeMs?: number;
  /** Set on the first invocation of a new environment (cold start). */
  initDurationMs?: number;
  maxMemoryUsedMB: number;
  /** The environment cannot be reused (crash, timeout, exit). */
  retire: boolean;
  /** Extra log text Lambda writes after REPORT (the `Task timed out` line). */
  trailer?: string;
  /**
   * The invocation was queued in this environment but never began (the environment died first):
   * nothing ran and nothing was logged; the caller runs it on another environment.
   */
  notStarted?: boolean;
  /** A streaming handler's response: the content type it set (its bytes are `payload`). */
  contentType?: string;
}

/** One execution environment. */
export interface ExecutionEnvironment {
  /** Runs one invocation; never rejects (failures are outcomes). */
  invoke(invocation: EnvInvocation): Promise<EnvOutcome>;
  /** True once the environment died or was disposed. */
  readonly dead: boolean;
  /** Called once when the environment dies by itself between invocations. */
  onDeath?: () => void;
  /**
   * How many invocations may wait behind the running one now (the environment runs them in order;
   * their frames wait in its pipe, so it takes them without a wake-up each). Environments without
   * it get one invocation at a time.
   */
  readonly queueCapacity?: number;
  /** Stops the environment (kills its process). */
  dispose(): void;
}

/** Lambda's error payload for failures outside the handler (timeouts, exits). */
export function platformError(errorType: string, requestId: string, message: string): Buffer {
  return Buffer.from(
    JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: ${message}` }),
  );
}

/**
 * The outcome of an invocation that hit the function timeout: Lambda's `Sandbox.Timedout` error,
 * the full timeout as duration, and the environment retired (its process is replaced).
 */
export function timeoutOutcome(
  requestId: string,
  timeoutSeconds: number,
  memorySizeMB: number,
  initDurationMs: number | undefined,
): EnvOutcome {
  const message = timeoutMessage(timeoutSeconds);
  const outcome: EnvOutcome = {
    payload: platformError('Sandbox.Timedout', requestId, message),
    error: true,
    errorType: 'Sandbox.Timedout',
    timedOut: true,
    durationMs: timeoutSeconds * 1000,
    maxMemoryUsedMB: memorySizeMB,
    retire: true,
    trailer: `${new Date().toISOString()} ${requestId} ${message}\n`,
  };
  if (initDurationMs !== undefined) outcome.initDurationMs = initDurationMs;
  return outcome;
}

/** The message Lambda gives when the runtime process ends during an invocation. */
export function exitMessage(code: number | null, signal: string | null): string {
  if (signal !== null) return `Runtime exited with error: signal: ${signalName(signal)}`;
  if (code === 0 || code === null) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${code}`;
}

function signalName(signal: string): string {
  // Go's os/exec wording, as the Lambda platform prints it.
  const names: Record<string, string> = {
    SIGKILL: 'killed',
    SIGABRT: 'aborted',
    SIGSEGV: 'segmentation fault',
    SIGTERM: 'terminated',
  };
  return names[signal] ?? signal;
}
