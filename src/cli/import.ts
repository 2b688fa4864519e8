import { readFile } from 'node:fs/promises';
import { type CliIo, UsageError } from './io.js';
import { wirePath } from './admin-client.js';
import {
  CONTROL_OPTIONS_HELP,
  parseControlArgs,
  printJson,
  reportAdminErrors,
  withClient,
} from './control-options.js';
import type { WireApi } from './wire-calls.js';

/** Help text of `portico import`. */
export const IMPORT_HELP = `Usage: portico import openapi FILE [options]

Creates an HTTP API from an OpenAPI 3 definition (YAML or JSON) with apigatewayv2 ImportApi, and prints
the new API id and any warnings.

Options:
  --fail-on-warnings   reject the definition when the import has warnings
  --basepath MODE      how a servers[].url base path is used: ignore, prepend or split
  --json               print the created Api as JSON
${CONTROL_OPTIONS_HELP}`;

const BASEPATH_MODES = ['ignore', 'prepend', 'split'];

/** `portico import openapi FILE` */
export async function runImport(args: string[], io: CliIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env, {
    'fail-on-warnings': { type: 'boolean' },
    basepath: { type: 'string' },
  });
  if (parsed.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  const [kind, file, extra] = parsed.positionals;
  if (kind !== 'openapi') {
    throw new UsageError(
      kind === undefined
        ? 'missing format: portico import openapi FILE'
        : `unknown format "${kind}" (only openapi)`,
    );
  }
  if (file === undefined) throw new UsageError('missing FILE');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const basepath = parsed.values.basepath;
  if (typeof basepath === 'string' && !BASEPATH_MODES.includes(basepath)) {
    throw new UsageError(`--basepath must be one of ${BASEPATH_MODES.join(', ')}, got "${basepath}"`);
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    io.err(`portico import: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 1;
  }
  return reportAdminErrors(io, 'import', async () => {
    // ImportApi: PUT /v2/apis, the definition as a string member (reference §6.2).
    const api = await withClient(parsed, io, (client) =>
      client.json<WireApi>({
        service: 'apigateway',
        method: 'PUT',
        path: wirePath('v2', 'apis'),
        query: {
          ...(parsed.values['fail-on-warnings'] === true ? { failOnWarnings: 'true' } : {}),
          ...(typeof basepath === 'string' ? { basepath } : {}),
        },
        body: { body: text },
      }),
    );
    if (parsed.json) {
      printJson(io, api);
      return 0;
    }
    io.out(`Imported API ${api.apiId} (${api.name})\n`);
    for (const warning of api.warnings ?? []) io.out(`warning: ${warning}\n`);
    return 0;
  });
}
