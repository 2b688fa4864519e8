import { readFile } from 'node:fs/promises';
import { UsageError } from './io.js';
import { wirePath } from './admin-client.js';
import {
  CONTROL_OPTIONS_HELP,
  type ControlIo,
  onePositional,
  parseControlArgs,
  reportAdminErrors,
  withClient,
} from './control-options.js';

/** Help text of `portico invoke`. */
export const INVOKE_HELP = `Usage: portico invoke FUNCTION [options]

Invokes a function (Lambda Invoke) and prints its result on stdout. Exits with 1 when the function
failed (X-Amz-Function-Error) or the call was refused.

Options:
  --payload JSON       the event (default {}); --payload @FILE reads it from a file
  --qualifier Q        version or alias to invoke ($LATEST by default)
  --invocation-type T  RequestResponse (default), Event (async, prints nothing) or DryRun
  --log                print the tail of the execution log on stderr (X-Amz-Log-Type: Tail)
${CONTROL_OPTIONS_HELP}`;

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'];

/** The event bytes from `--payload JSON`, `--payload @file` or `--payload-file FILE`. */
async function readPayload(payload: unknown, payloadFile: unknown): Promise<Buffer> {
  if (typeof payloadFile === 'string') return readFile(payloadFile);
  if (typeof payload !== 'string') return Buffer.from('{}');
  if (payload.startsWith('@')) return readFile(payload.slice(1));
  return Buffer.from(payload, 'utf8');
}

/** `portico invoke FUNCTION` over the Lambda Invoke API (reference §5.1). */
export async function runInvoke(args: string[], io: ControlIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env, {
    payload: { type: 'string' },
    'payload-file': { type: 'string' },
    qualifier: { type: 'string' },
    'invocation-type': { type: 'string' },
    log: { type: 'boolean' },
  });
  if (parsed.help) {
    io.out(INVOKE_HELP);
    return 0;
  }
  const name = onePositional(parsed, 'missing FUNCTION (see portico functions)');
  const type = String(parsed.values['invocation-type'] ?? 'RequestResponse');
  if (!INVOCATION_TYPES.includes(type)) {
    throw new UsageError(`--invocation-type must be one of ${INVOCATION_TYPES.join(', ')}, got "${type}"`);
  }
  let payload: Buffer;
  try {
    payload = await readPayload(parsed.values.payload, parsed.values['payload-file']);
  } catch (err) {
    io.err(
      `portico invoke: cannot read the payload: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`,
    );
    return 1;
  }
  const qualifier = parsed.values.qualifier;
  return reportAdminErrors(io, 'invoke', () =>
    withClient(parsed, io, async (client) => {
      const reply = await client.send({
        service: 'lambda',
        method: 'POST',
        path: wirePath('2015-03-31', 'functions', name, 'invocations'),
        query: typeof qualifier === 'string' ? { Qualifier: qualifier } : {},
        headers: {
          'content-type': 'application/json',
          'x-amz-invocation-type': type,
          ...(parsed.values.log === true ? { 'x-amz-log-type': 'Tail' } : {}),
        },
        body: payload,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      const log = reply.headers['x-amz-log-result'];
      if (log !== undefined) io.err(Buffer.from(log, 'base64').toString('utf8'));
      const body = reply.body.toString('utf8');
      if (body !== '') io.out(body.endsWith('\n') ? body : `${body}\n`);
      // Function errors are not HTTP errors: 200 with X-Amz-Function-Error (reference §5.1).
      return reply.headers['x-amz-function-error'] === undefined ? 0 : 1;
    }),
  );
}
