// Building and starting Portico from this repo for a benchmark run.
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, waitFor, probe, freePort } from './proc.js';

/** Repository root (bench/..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const BIN = join(REPO_ROOT, 'bin', 'portico.js');

/**
 * Make sure dist/ exists: run `npm run build` at the repo root when dist/cli/main.js is missing.
 * Returns null when ready, else the reason Portico cannot be benchmarked.
 */
export async function ensurePorticoBuilt({ log = console.log } = {}) {
  if (existsSync(CLI_MAIN)) return null;
  if (!existsSync(join(REPO_ROOT, 'node_modules', 'typescript'))) {
    return `dist/cli/main.js is missing and ${REPO_ROOT}/node_modules is not installed (run npm ci && npm run build at the repo root)`;
  }
  log('Portico: dist/cli/main.js missing, running `npm run build` at the repo root ...');
  const err = await new Promise((res) =>
    execFile('npm', ['run', 'build'], { cwd: REPO_ROOT, maxBuffer: 16 << 20 }, (e, so, se) =>
      res(e ? `${so}\n${se}`.trim() : null),
    ),
  );
  // tsc still emits on type errors: carry on (with a warning) if the CLI came out.
  if (err && existsSync(CLI_MAIN))
    log(`Portico: build reported errors, using the emitted dist/ anyway:\n${head(err)}`);
  else if (err) return `npm run build failed:\n${head(err)}`;
  if (!existsSync(CLI_MAIN)) return 'npm run build did not produce dist/cli/main.js';
  return null;
}

function head(text) {
  return text.split('\n').slice(0, 8).join('\n');
}

/** The API id every benchmark config uses. */
export const API_ID = 'bench';

/** YAML config: one HTTP API, `$default` stage, `ANY /{proxy+}` -> HTTP_PROXY to the backend. */
export function proxyConfigYaml(backendPort) {
  return `apis:
  ${API_ID}:
    name: Portico bench
    protocolType: HTTP
    integrations:
      backend:
        type: HTTP_PROXY
        uri: http://127.0.0.1:${backendPort}/{proxy}
    routes:
      'ANY /{proxy+}': backend
    stages:
      $default: {}
`;
}

/**
 * Start `node bin/portico.js start` pinned to `cpus` and wait for the admin /health to answer 200.
 * stdout (the access log) goes to `accessLogFile` ('/dev/null' to discard).
 */
export async function startPortico({ configYaml, workDir, cpus, accessLogFile, nodeFlags = [], env = {} }) {
  mkdirSync(workDir, { recursive: true });
  const configPath = join(workDir, 'portico.yaml');
  writeFileSync(configPath, configYaml);
  const dataDir = join(workDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const adminPort = await freePort();
  const startedAt = performance.now();
  const handle = startChild({
    name: 'portico',
    cmd: process.execPath,
    args: [
      ...nodeFlags,
      BIN,
      'start',
      '--config',
      configPath,
      '--port',
      String(port),
      '--admin-port',
      String(adminPort),
      '--data-dir',
      dataDir,
    ],
    cpus,
    env,
    cwd: workDir,
    stdoutFile: accessLogFile,
  });
  let exited = false;
  handle.exited.then(() => (exited = true));
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`portico exited: ${handle.stderr()}`);
        return (await probe(`http://127.0.0.1:${adminPort}/health`)).status === 200;
      },
      { timeoutMs: 20000, what: 'Portico /health' },
    );
  } catch (err) {
    await handle.stop();
    throw new Error(`${err.message}\n${handle.stderr()}`);
  }
  return {
    handle,
    port,
    adminPort,
    startedAt,
    healthyAt: performance.now(),
    baseUrl: `http://127.0.0.1:${port}/_aws/execute-api/${API_ID}`,
  };
}
