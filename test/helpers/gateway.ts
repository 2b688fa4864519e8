import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, type Gateway, type GatewayAddresses, type GatewayOptions } from '../../dist/index.js';

const DIST_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Throws a clear error when the suite runs without a build (the tests exercise what users run). */
export function requireBuild(): void {
  if (!existsSync(DIST_ENTRY)) throw new Error(`${DIST_ENTRY} is missing: run \`npm run build\` first`);
}

type Logger = NonNullable<GatewayOptions['logger']>;

/** One line of Portico's operational log, as captured by the test logger. */
export interface LogRecord {
  level: 'info' | 'warn' | 'error';
  msg: string;
  fields: Record<string, unknown> | undefined;
}

/** A gateway started in-process on port 0 with a temporary config file and data dir. */
export interface TestGateway {
  gateway: Gateway;
  addresses: GatewayAddresses;
  /** Data-plane base URL (`http://127.0.0.1:PORT`). */
  url: string;
  port: number;
  adminUrl: string;
  dir: string;
  configFile: string;
  /** Access log lines as written (each ends with a newline). */
  accessLog: string[];
  /** Operational log records. */
  logs: LogRecord[];
  /** Access log lines parsed as JSON (json format only). */
  accessLogJson(): Array<Record<string, unknown>>;
  /** Replaces the config file atomically (write temp + rename, as editors do). */
  writeConfig(config: string | object): Promise<void>;
  close(): Promise<void>;
}

/** Serialises a config for the file: YAML text as is, objects as JSON (a YAML subset). */
export function configText(config: string | object): string {
  return typeof config === 'string' ? config : JSON.stringify(config, null, 2);
}

/** Starts a gateway from `config`; `options` override the test defaults (ports 0, no watch, capture logs). */
export async function startGateway(
  config: string | object,
  options: Partial<GatewayOptions> = {},
): Promise<TestGateway> {
  requireBuild();
  const dir = mkdtempSync(join(tmpdir(), 'portico-gw-'));
  const configFile = join(dir, 'portico.yaml');
  await writeFile(configFile, configText(config));
  const accessLog: string[] = [];
  const logs: LogRecord[] = [];
  const logger: Logger = {
    info: (msg, fields) => logs.push({ level: 'info', msg, fields }),
    warn: (msg, fields) => logs.push({ level: 'warn', msg, fields }),
    error: (msg, fields) => logs.push({ level: 'error', msg, fields }),
  };
  const gateway = createGateway({
    configFile,
    port: 0,
    adminPort: 0,
    dataDir: join(dir, 'data'),
    accessLogSink: { write: (line) => accessLog.push(line) },
    logger,
    watchConfig: false,
    drainTimeoutMs: 2_000,
    ...options,
  });
  let addresses: GatewayAddresses;
  try {
    addresses = await gateway.start();
  } catch (err) {
    await gateway.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let seq = 0;
  return {
    gateway,
    addresses,
    url: addresses.dataUrl,
    port: addresses.dataPort,
    adminUrl: addresses.adminUrl,
    dir,
    configFile,
    accessLog,
    logs,
    accessLogJson: () => accessLog.map((l) => JSON.parse(l) as Record<string, unknown>),
    async writeConfig(next) {
      const tmp = join(dir, `.portico.yaml.${++seq}.tmp`);
      await writeFile(tmp, configText(next));
      await rename(tmp, configFile);
    },
    async close() {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` returns a truthy value (polling); throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
