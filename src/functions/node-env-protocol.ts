/** Frames exchanged with a Node execution environment (see frames.ts for the byte layout). */

/** Parent -> child, first frame: what to load. */
export interface InitFrame {
  t: 'init';
  /** The file to load (the compiled output for TypeScript handlers). */
  file: string | null;
  format: 'esm' | 'cjs';
  /** As written in the handler string, for error messages. */
  moduleName: string;
  exportPath: string[];
  handler: string;
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Map stack traces through source maps (TypeScript handlers; a process gets the flag instead). */
  sourceMaps?: boolean;
  /** Set for a spare process started before its function was known: its variables and directory. */
  env?: Record<string, string>;
  cwd?: string;
  [key: string]: unknown;
}

/**
 * Parent -> child: run one invocation. Body = event JSON bytes; with `ev`, a gateway request
 * instead: `n` bytes of request text (proxy-input-codec.ts), then the request body's bytes, from
 * which the environment builds the payload `ev` event.
 */
export interface InvokeFrame {
  t: 'invoke';
  id: string;
  timeoutMs: number;
  arn: string;
  trace: string;
  /** Client context JSON text. */
  cc?: string;
  ev?: '1.0' | '2.0';
  n?: number;
  /** The caller takes a streaming handler's response as it is written: `chunk` frames. */
  st?: boolean;
  [key: string]: unknown;
}

/**
 * Child -> parent: `ready` (init done), `init-error`, `log`, `result`, `error`, and `chunk` (a part
 * of a streaming response, the first with the stream's content type in `ct`).
 */
export type ChildFrameType = 'ready' | 'init-error' | 'log' | 'result' | 'error' | 'chunk';

/** The fd the child writes its frames to (stdio[3]). */
export const CHILD_FRAME_FD = 3;
