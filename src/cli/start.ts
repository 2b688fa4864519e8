import { parseArgs } from 'node:util';
import type { createGateway } from '../app/create-gateway.js';
import type { GatewayOptions } from '../app/options.js';
import { prescanFunctions } from '../config/prescan.js';
// Straight from the module, not the functions area's index: that would load the whole runtime
// before the spares could start.
import { discardPrestartedSpares, prestartSpares, spareSizes } from '../functions/spare-processes.js';
import { type CliIo, UsageError } from './io.js';

/** Help text of `portico start`. */
export const START_HELP = `Usage: portico start [options]

Starts the gateway: the data plane (your APIs) and the admin port (health, control plane).

Options (each also settable by environment variable):
  --config FILE        config file, YAML or JSON            PORTICO_CONFIG
  --port P             data-plane port (default 8080)        PORTICO_PORT
  --admin-port Q       admin port (default 8081)             PORTICO_ADMIN_PORT
  --host H             bind address (default 127.0.0.1)      PORTICO_HOST
  --admin-host H       admin bind address (default: --host)  PORTICO_ADMIN_HOST
  --data-dir D         state directory (default .portico)    PORTICO_DATA_DIR
  --log-format F       access log: json (default) or clf     PORTICO_LOG_FORMAT
  --no-access-log      turn the access log off               PORTICO_ACCESS_LOG=off
  --no-spare-processes no booted Node process kept ready      PORTICO_SPARE_PROCESSES=off
  --function-idle-timeout S  seconds an idle function environment is kept (default 300)
                                                            PORTICO_FUNCTION_IDLE_TIMEOUT
  --tls-cert FILE      serve HTTPS on the data plane          PORTICO_TLS_CERT
  --tls-key FILE       private key for --tls-cert            PORTICO_TLS_KEY
  --region R           AWS region to emulate (us-east-1)     PORTICO_REGION
  --account-id N       AWS account id (000000000000)         PORTICO_ACCOUNT_ID
  --drain-timeout MS   shutdown drain bound (default 10000)  PORTICO_DRAIN_TIMEOUT
  --admin-credentials K:S[,K:S]  SigV4 keys the admin port accepts
                                                            PORTICO_ADMIN_CREDENTIALS
  --allow-unauthenticated-admin  allow an open admin port on a non-loopback address
  -h, --help           show this help
`;

/** Turns `portico start` arguments (and env) into gateway options. */
export function startOptions(args: string[], env: NodeJS.ProcessEnv): GatewayOptions | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
      host: { type: 'string' },
      'admin-host': { type: 'string' },
      'data-dir': { type: 'string' },
      'log-format': { type: 'string' },
      'no-access-log': { type: 'boolean' },
      'no-spare-processes': { type: 'boolean' },
      'function-idle-timeout': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      'drain-timeout': { type: 'string' },
      'admin-credentials': { type: 'string' },
      'allow-unauthenticated-admin': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? env[name];
  const port = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new UsageError(`${what} must be a port number, got "${v}"`);
    return n;
  };
  const logFormat = pick(values['log-format'], 'PORTICO_LOG_FORMAT');
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'clf') {
    throw new UsageError(`--log-format must be json or clf, got "${logFormat}"`);
  }
  const cert = pick(values['tls-cert'], 'PORTICO_TLS_CERT');
  const key = pick(values['tls-key'], 'PORTICO_TLS_KEY');
  if ((cert === undefined) !== (key === undefined))
    throw new UsageError('--tls-cert and --tls-key go together');
  const drain = pick(values['drain-timeout'], 'PORTICO_DRAIN_TIMEOUT');
  const idle = pick(values['function-idle-timeout'], 'PORTICO_FUNCTION_IDLE_TIMEOUT');
  const options: GatewayOptions = {};
  const set = <K extends keyof GatewayOptions>(k: K, v: GatewayOptions[K] | undefined): void => {
    if (v !== undefined) options[k] = v;
  };
  set('configFile', pick(values.config, 'PORTICO_CONFIG'));
  set('port', port(pick(values.port, 'PORTICO_PORT'), '--port'));
  set('adminPort', port(pick(values['admin-port'], 'PORTICO_ADMIN_PORT'), '--admin-port'));
  set('host', pick(values.host, 'PORTICO_HOST'));
  set('adminHost', pick(values['admin-host'], 'PORTICO_ADMIN_HOST'));
  set('dataDir', pick(values['data-dir'], 'PORTICO_DATA_DIR'));
  set('region', pick(values.region, 'PORTICO_REGION'));
  set('accountId', pick(values['account-id'], 'PORTICO_ACCOUNT_ID'));
  if (values['no-access-log'] || env.PORTICO_ACCESS_LOG === 'off') options.accessLog = false;
  else if (logFormat !== undefined) options.accessLog = logFormat;
  if (values['no-spare-processes'] || env.PORTICO_SPARE_PROCESSES === 'off') {
    options.functions = { ...options.functions, spareProcesses: false };
  }
  if (cert !== undefined && key !== undefined) options.tls = { certFile: cert, keyFile: key };
  const creds = pick(values['admin-credentials'], 'PORTICO_ADMIN_CREDENTIALS');
  if (creds !== undefined) {
    const map: Record<string, string> = {};
    for (const pair of creds.split(',')) {
      const colon = pair.indexOf(':');
      if (colon <= 0 || colon === pair.length - 1) {
        throw new UsageError('--admin-credentials must be ACCESS_KEY_ID:SECRET[,ACCESS_KEY_ID:SECRET...]');
      }
      map[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim();
    }
    options.adminCredentials = map;
  }
  if (values['allow-unauthenticated-admin']) options.allowUnauthenticatedAdmin = true;
  if (idle !== undefined) {
    const n = Number(idle);
    // Lambda keeps an idle environment for minutes to hours; short times are for tests.
    if (idle.trim() === '' || !Number.isFinite(n) || n < 0.1 || n > 86_400)
      throw new UsageError(`--function-idle-timeout must be seconds from 0.1 to 86400, got "${idle}"`);
    options.functions = { ...options.functions, idleTimeoutMs: Math.round(n * 1000) };
  }
  if (drain !== undefined) {
    const n = Number(drain);
    if (!Number.isInteger(n) || n < 0)
      throw new UsageError(`--drain-timeout must be milliseconds, got "${drain}"`);
    options.drainTimeoutMs = n;
  }
  return options;
}

/** `portico start`: runs until SIGTERM/SIGINT, then drains and exits 0. */
export async function runStart(args: string[], io: CliIo): Promise<number> {
  const options = startOptions(args, io.env);
  if (options === 'help') {
    io.out(START_HELP);
    return 0;
  }
  // The config file's spare processes boot while the gateway's modules load (≈ 160 ms of the
  // start): the first invocation then finds one booted instead of waiting for Node to start.
  const configFile = options.configFile;
  if (configFile !== undefined && options.functions?.spareProcesses !== false) {
    prescanFunctions(configFile)
      .then((fns) => prestartSpares(spareSizes(fns)))
      .catch(() => undefined);
  }
  const [{ createGateway, UnsafeAdminError }, { ConfigError }] = await Promise.all([
    import('../app/create-gateway.js'),
    import('../config/config-error.js'),
  ]);
  const gateway = createGateway(options);
  let addresses;
  try {
    addresses = await gateway.start();
  } catch (err) {
    if (err instanceof UnsafeAdminError) {
      io.err(`portico: ${err.message}\n`);
      await gateway.stop().catch(() => undefined);
      return 1;
    }
    if (err instanceof ConfigError) {
      io.err(`portico: invalid config: ${err.message}\n`);
      await gateway.stop().catch(() => undefined);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.err(`portico: cannot listen: ${(err as Error).message}\n`);
      await gateway.stop().catch(() => undefined);
      return 1;
    }
    throw err;
  } finally {
    // Spares the runtime did not take (it failed to start, or none of its functions use them).
    if (addresses === undefined) discardPrestartedSpares();
  }
  io.err(
    `portico: serving APIs on ${addresses.dataUrl} (admin ${addresses.adminUrl}, health ${addresses.adminUrl}/health)\n`,
  );
  for (const line of tryUrls(gateway.model(), addresses.dataUrl)) io.err(`  try: ${line}\n`);
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      io.err(`portico: ${signal} received, draining in-flight requests\n`);
      gateway.stop().then(
        () => resolveExit(0),
        (err: unknown) => {
          io.err(`portico: error during shutdown: ${String(err)}\n`);
          resolveExit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/** Example URLs for every GET route of every API (path-style, so they work without DNS or Host). */
function tryUrls(model: ReturnType<ReturnType<typeof createGateway>['model']>, dataUrl: string): string[] {
  const out: string[] = [];
  for (const api of model.apis) {
    for (const stage of api.stages) {
      const prefix = `${dataUrl}/_aws/execute-api/${api.apiId}${stage.stageName === '$default' ? '' : `/${stage.stageName}`}`;
      for (const route of api.routes) {
        if (!route.routeKey.startsWith('GET ') && !route.routeKey.startsWith('ANY ')) continue;
        const path = route.routeKey
          .slice(route.routeKey.indexOf(' ') + 1)
          .replace(/\{[^}]+\+\}/g, 'any/path')
          .replace(/\{([^}]+)\}/g, '$1-1');
        out.push(`curl ${prefix}${path === '/' ? '/' : path}`);
      }
    }
  }
  return out.slice(0, 12);
}
