import { wirePath } from './admin-client.js';
import {
  CONTROL_OPTIONS_HELP,
  type ControlIo,
  onePositional,
  parseControlArgs,
  reportAdminErrors,
  withClient,
} from './control-options.js';

/** Help text of `portico logs`. */
export const LOGS_HELP = `Usage: portico logs FUNCTION [options]

Prints a function's log (CloudWatch-style START/END/REPORT lines and what the function wrote).

Options:
  -f, --follow         keep printing new lines until interrupted (Ctrl-C)
${CONTROL_OPTIONS_HELP}`;

/** How long one follow request waits for new lines (the server caps it at 60 s). */
const FOLLOW_WAIT_SECONDS = 20;

/**
 * `portico logs FUNCTION [--follow]`: reads `GET /portico/functions/{name}/logs` on the admin port;
 * `--follow` long-polls with the `x-portico-log-cursor` of the previous answer (see
 * src/control-plane/lambda/function-logs.ts).
 */
export async function runLogs(args: string[], io: ControlIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env, { follow: { type: 'boolean', short: 'f' } });
  if (parsed.help) {
    io.out(LOGS_HELP);
    return 0;
  }
  const name = onePositional(parsed, 'missing FUNCTION (see portico functions)');
  const follow = parsed.values.follow === true;
  const path = wirePath('portico', 'functions', name, 'logs');
  return reportAdminErrors(io, 'logs', () =>
    withClient(parsed, io, async (client) => {
      let cursor: string | undefined;
      try {
        for (;;) {
          const reply = await client.send({
            service: 'lambda',
            method: 'GET',
            path,
            query: cursor === undefined ? {} : { cursor, wait: String(FOLLOW_WAIT_SECONDS) },
            ...(io.signal ? { signal: io.signal } : {}),
          });
          const text = reply.body.toString('utf8');
          if (text !== '') io.out(text);
          cursor = reply.headers['x-portico-log-cursor'] ?? cursor ?? '0';
          if (!follow) return 0;
        }
      } catch (err) {
        if (io.signal?.aborted) return 0;
        throw err;
      }
    }),
  );
}
