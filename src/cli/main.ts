import { VERSION } from '../app/version.js';
import { type CliIo, processIo, UsageError } from './io.js';

/** Top-level help. */
export const MAIN_HELP = `Usage: portico <command> [options]

Portico: a self-hosted API gateway compatible with Amazon API Gateway and AWS Lambda.

Commands:
  start              run the gateway (portico start --help for options)

  Talking to a running Portico (admin port, --endpoint URL or PORTICO_ENDPOINT):
  apis               list APIs
  routes API_ID      list an API's routes and their targets
  functions          list functions
  deploy FILE        apply a config file through the control plane
  import openapi F   create an API from an OpenAPI definition
  export API_ID      print an API's OpenAPI definition
  invoke FUNCTION    invoke a function and print its result
  logs FUNCTION      print a function's log (--follow to keep reading)

Run portico <command> --help for a command's options.

Options:
  -h, --help         show this help
  -v, --version      print the version
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Each command's module, loaded when the command runs: `portico invoke` or `logs` then loads the
 * admin client alone, not the gateway, its store and its compilers (`--version` went from ≈ 0.56 s
 * to the time Node takes to start).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.js')).runStart,
  apis: async () => (await import('./apis.js')).runApis,
  routes: async () => (await import('./routes.js')).runRoutes,
  functions: async () => (await import('./functions.js')).runFunctions,
  deploy: async () => (await import('./deploy.js')).runDeploy,
  import: async () => (await import('./import.js')).runImport,
  export: async () => (await import('./export.js')).runExport,
  invoke: async () => (await import('./invoke.js')).runInvoke,
  logs: async () => (await import('./logs.js')).runLogs,
};

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.out(MAIN_HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!load) {
    io.err(`portico: unknown command "${first}"\n\n${MAIN_HELP}`);
    return 2;
  }
  const command = await load();
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`portico ${first}: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}
