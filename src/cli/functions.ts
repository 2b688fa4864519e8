import type { CliIo } from './io.js';
import { CONTROL_OPTIONS_HELP, noPositionals, parseControlArgs, printListing } from './control-options.js';
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
  noPositionals(parsed);
  return printListing(parsed, io, 'functions', (client) => listFunctions(client), renderFunctions);
}
