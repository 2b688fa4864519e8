import { VERSION } from '../app/version.js';
import { type CliIo, processIo, UsageError } from './io.js';
import { runStart } from './start.js';

/** Top-level help. */
export const MAIN_HELP = `Usage: portico <command> [options]

Portico: a self-hosted API gateway compatible with Amazon API Gateway and AWS Lambda.

Commands:
  start              run the gateway (portico start --help for options)

Options:
  -h, --help         show this help
  -v, --version      print the version
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  start: runStart,
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
