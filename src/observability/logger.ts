/** Portico's own operational log (not the access log): JSON lines on stderr by default. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A logger writing one JSON object per line. */
export function createLogger(out: { write(s: string): unknown } = process.stderr): Logger {
  const log = (level: string, msg: string, fields?: Record<string, unknown>): void => {
    const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
    if (fields) {
      for (const [k, v] of Object.entries(fields)) record[k] = v instanceof Error ? errorFields(v) : v;
    }
    out.write(`${JSON.stringify(record)}\n`);
  };
  return {
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.cause !== undefined) out.cause = err.cause instanceof Error ? errorFields(err.cause) : err.cause;
  return out;
}

/** A logger that drops everything (embedding, tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
