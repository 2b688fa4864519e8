// The function-path targets: the same hello-world handler behind Portico (AWS_PROXY, payload 2.0) and
// behind serverless-offline (worker threads, and --useInProcess), plus the plain node:http reference.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { startChild, freePort } from './proc.js';
import { ensurePorticoBuilt, API_ID, REPO_ROOT } from './portico.js';
import { profiling, profileWindow } from './targets.js';

const require = createRequire(import.meta.url);
const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(BENCH_DIR, 'fixtures');

/**
 * Portico config: function `hello` + `GET /hello` -> AWS_PROXY (payload 2.0) on the `$default` stage;
 * `isolation`: the function's environments as child processes (default) or worker threads.
 */
export function functionConfigYaml(isolation = 'process') {
  return `apis:
  ${API_ID}:
    name: Portico function bench
    protocolType: HTTP
    integrations:
      hello:
        type: AWS_PROXY
        function: hello
        payloadFormatVersion: '2.0'
    routes:
      'GET /hello': hello
    stages:
      $default: {}
functions:
  hello:
    runtime: nodejs20.x
    handler: index.handler
    code: ./functions/hello
    timeout: 3
    memorySize: 128
${isolation === 'process' ? '' : `    isolation: ${isolation}\n`}`;
}

function slsBin() {
  try {
    return require.resolve('serverless/bin/serverless.js');
  } catch {
    return null;
  }
}

/**
 * The targets, in run order. Each `start()` spawns the process (without waiting) and returns
 * { handle, url, spawnedAt }: the caller measures the cold start by polling `url`.
 */
export function functionTargets({ workDir, cpus, backendCpus, porticoAccessLog, profile }) {
  const profileOut = (name) => (profile && profile.target === name ? profile.out : null);
  const porticoTarget = (name, isolation) => ({
    name,
    description: `Portico, GET /hello -> AWS_PROXY function (payload 2.0), access log on, ${isolation} environments`,
    skip: async () => ensurePorticoBuilt(),
    start: async () => {
      const dir = join(workDir, name.replace(/\W+/g, '_'));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'portico.yaml'), functionConfigYaml(isolation));
      cpSync(join(FIXTURES, 'hello'), join(dir, 'functions', 'hello'), { recursive: true });
      mkdirSync(join(dir, 'data'), { recursive: true });
      const port = await freePort();
      const adminPort = await freePort();
      const out = profileOut(name);
      const prof = out ? profiling(out) : { nodeFlags: [], env: {} };
      const spawnedAt = performance.now();
      const handle = startChild({
        name,
        cmd: process.execPath,
        args: [
          ...prof.nodeFlags,
          join(REPO_ROOT, 'bin', 'portico.js'),
          'start',
          '--config',
          join(dir, 'portico.yaml'),
          '--port',
          String(port),
          '--admin-port',
          String(adminPort),
          '--data-dir',
          join(dir, 'data'),
        ],
        cpus,
        cwd: dir,
        env: prof.env,
        stdoutFile: porticoAccessLog === 'null' ? '/dev/null' : join(dir, 'access.log'),
      });
      return {
        handle,
        url: `http://127.0.0.1:${port}/_aws/execute-api/${API_ID}/hello`,
        spawnedAt,
        ...(out ? profileWindow(handle, out) : {}),
      };
    },
  });
  const sls = (name, extraArgs) => ({
    name,
    description: `serverless@3 + serverless-offline 13${extraArgs.length ? ` ${extraArgs.join(' ')}` : ' (worker threads)'}`,
    skip: () => (slsBin() ? null : 'serverless is not installed (cd bench && npm ci)'),
    start: async () => {
      const dir = join(workDir, name.replace(/\W+/g, '_'));
      mkdirSync(dir, { recursive: true });
      cpSync(join(FIXTURES, 'serverless.yml'), join(dir, 'serverless.yml'));
      cpSync(join(FIXTURES, 'hello'), join(dir, 'hello'), { recursive: true });
      const httpPort = await freePort();
      const lambdaPort = await freePort();
      const spawnedAt = performance.now();
      const handle = startChild({
        name,
        cmd: process.execPath,
        args: [
          slsBin(),
          'offline',
          'start',
          '--httpPort',
          String(httpPort),
          '--lambdaPort',
          String(lambdaPort),
          '--noPrependStageInUrl',
          ...extraArgs,
        ],
        cpus,
        cwd: dir,
        env: {
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
          SLS_DEPRECATION_DISABLE: '*',
          SLS_INTERACTIVE_SETUP_DISABLE: '1',
          AWS_ACCESS_KEY_ID: 'bench',
          AWS_SECRET_ACCESS_KEY: 'bench',
        },
        stdoutFile: join(dir, 'stdout.log'),
      });
      return { handle, url: `http://127.0.0.1:${httpPort}/hello`, spawnedAt };
    },
  });
  return [
    {
      name: 'direct',
      description: 'node:http serving "hello" (no function runtime), reference',
      skip: () => null,
      start: async () => {
        const port = await freePort();
        const spawnedAt = performance.now();
        const handle = startChild({
          name: 'direct',
          cmd: process.execPath,
          args: [join(BENCH_DIR, 'targets', 'backend.js')],
          cpus: backendCpus,
          env: { PORT: String(port), BODY: 'hello' },
        });
        return { handle, url: `http://127.0.0.1:${port}/hello`, spawnedAt };
      },
    },
    porticoTarget('portico', 'process'),
    porticoTarget('portico (threads)', 'thread'),
    sls('serverless-offline', []),
    sls('serverless-offline --useInProcess', ['--useInProcess']),
  ];
}
