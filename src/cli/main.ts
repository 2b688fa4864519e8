import { VERSION } from '../app/version.js';
import { type CliIo, processIo, UsageError } from './io.js';
import { runApis } from './apis.js';
import { runDeploy } from './deploy.js';
import { runExport } from './export.js';
import { runFunctions } from './functions.js';
import { runImport } from './import.js';
import { runInvoke } from './invoke.js';
import { runLogs } from './logs.js';
import { runRoutes } from './routes.js';
import { runStart } from './start.js';

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

const COMMANDS: Record<string, Command> = {
  start: runStart,
  apis: runApis,
  routes: runRoutes,
  functions: runFunctions,
  deploy: runDeploy,
  import: runImport,
  export: runExport,
  invoke: runInvoke,
  logs: runLogs,
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
  const command = COMMANDS[first];
  if (!command) {
    io.err(`portico: unknown command "${first}"\n\n${MAIN_HELP}`);
    return 2;
  }
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
