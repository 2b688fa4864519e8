import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type AdminClient, AdminError, createAdminClient } from './admin-client.js';
import { type CliIo, UsageError } from './io.js';
import { credentialsFromEnv } from './sigv4-signer.js';

/** Default admin endpoint of a local Portico (`portico start` default admin port). */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8081';

/** Help lines for the options every control-plane command takes. */
export const CONTROL_OPTIONS_HELP = `  --endpoint URL       admin port of the running Portico       PORTICO_ENDPOINT
                       (default ${DEFAULT_ENDPOINT})
  --region R           region for request signing (us-east-1)  AWS_REGION
  -h, --help           show this help

Requests are signed with AWS SigV4 when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set.
`;

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

const COMMON: OptionSpecs = {
  endpoint: { type: 'string' },
  // Aliases kept from the first `portico logs`/`invoke`: --admin-url, or --admin-port with --host.
  'admin-url': { type: 'string' },
  'admin-port': { type: 'string' },
  host: { type: 'string' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** The CLI io plus an optional signal that ends long-running commands (`logs --follow`) in tests. */
export type ControlIo = CliIo & { signal?: AbortSignal };

/** Parsed arguments of a control-plane command. */
export interface ControlArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
  json: boolean;
  endpoint: string;
  region: string;
}

/** Parses a control-plane command's arguments: the common options plus `extra`. */
export function parseControlArgs(
  args: string[],
  env: NodeJS.ProcessEnv,
  extra: OptionSpecs = {},
): ControlArgs {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON, ...extra },
    strict: true,
    allowPositionals: true,
  });
  const flat: Record<string, string | boolean | undefined> = {};
  for (const [k, v] of Object.entries(values)) flat[k] = Array.isArray(v) ? v[v.length - 1] : v;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    values: flat,
    positionals,
    help: flat.help === true,
    json: flat.json === true,
    endpoint:
      str(flat.endpoint) ??
      str(flat['admin-url']) ??
      ((str(flat['admin-port']) ?? str(flat.host))
        ? `http://${hostForUrl(str(flat.host) ?? '127.0.0.1')}:${str(flat['admin-port']) ?? '8081'}`
        : undefined) ??
      str(env.PORTICO_ENDPOINT) ??
      str(env.PORTICO_ADMIN_URL) ??
      DEFAULT_ENDPOINT,
    region: str(flat.region) ?? str(env.AWS_REGION) ?? str(env.AWS_DEFAULT_REGION) ?? 'us-east-1',
  };
}

/** The command's one positional argument (FILE, API_ID, FUNCTION); `missing` is the usage error without it. */
export function onePositional(parsed: ControlArgs, missing: string): string {
  const [value, extra] = parsed.positionals;
  if (value === undefined) throw new UsageError(missing);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return value;
}

/** Refuses positional arguments (commands that take none). */
export function noPositionals(parsed: ControlArgs): void {
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
}

/**
 * The body of a listing command: fetches with a client, prints the `--json` form (`toJson` of what
 * was fetched, by default as is) or the table, and reports control-plane failures (exit code 1).
 */
export function printListing<T>(
  parsed: ControlArgs,
  io: CliIo,
  name: string,
  fetch: (client: AdminClient) => Promise<T>,
  render: (value: T) => string,
  toJson: (value: T) => unknown = (value) => value,
): Promise<number> {
  return reportAdminErrors(io, name, async () => {
    const value = await withClient(parsed, io, fetch);
    if (parsed.json) printJson(io, toJson(value));
    else io.out(render(value));
    return 0;
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Runs a command body; a control-plane failure (AWS error or unreachable endpoint) is printed as
 * `portico NAME: <ErrorType>: <message>` and becomes exit code 1.
 */
export async function reportAdminErrors(io: CliIo, name: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof AdminError)) throw err;
    io.err(`portico ${name}: ${err.message}\n`);
    return 1;
  }
}

/** Runs `fn` with a client for the parsed endpoint and closes it afterwards. */
export async function withClient<T>(
  parsed: ControlArgs,
  io: CliIo,
  fn: (client: AdminClient) => Promise<T>,
): Promise<T> {
  const credentials = credentialsFromEnv(io.env);
  const client = createAdminClient({
    endpoint: parsed.endpoint,
    region: parsed.region,
    ...(credentials ? { credentials } : {}),
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Prints a value as pretty JSON (the `--json` output of every command). */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
