import { type CliIo, UsageError } from './io.js';
import {
  CONTROL_OPTIONS_HELP,
  parseControlArgs,
  printJson,
  reportAdminErrors,
  withClient,
} from './control-options.js';
import { cell, tableOrEmpty } from './table.js';
import { listFunctions, type WireFunction } from './wire-calls.js';

/** Help text of `portico functions`. */
export const FUNCTIONS_HELP = `Usage: portico functions [options]

Lists the functions of a running Portico (Lambda ListFunctions).

Options:
  --json               print the FunctionConfiguration list as JSON
${CONTROL_OPTIONS_HELP}`;

/** The `portico functions` table. */
export function renderFunctions(functions: readonly WireFunction[]): string {
  const rows = functions.map((f) => [
    f.FunctionName,
    cell(f.Runtime),
    cell(f.Handler),
    cell(f.MemorySize),
    f.Timeout === undefined ? '-' : `${f.Timeout}s`,
    cell(f.LastModified),
  ]);
  return tableOrEmpty(
    ['NAME', 'RUNTIME', 'HANDLER', 'MEMORY', 'TIMEOUT', 'LAST MODIFIED'],
    rows,
    'No functions.',
  );
}

/** `portico functions` */
export async function runFunctions(args: string[], io: CliIo): Promise<number> {
  const parsed = parseControlArgs(args, io.env);
  if (parsed.help) {
    io.out(FUNCTIONS_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  return reportAdminErrors(io, 'functions', async () => {
    const functions = await withClient(parsed, io, (client) => listFunctions(client));
    if (parsed.json) printJson(io, functions);
    else io.out(renderFunctions(functions));
    return 0;
  });
}
