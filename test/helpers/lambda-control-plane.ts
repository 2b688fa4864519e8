import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  LambdaClient,
  type CreateFunctionCommandInput,
  type CreateFunctionCommandOutput,
} from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { loadStoredModel, mergeModels } from '../../dist/app/model-source.js';
import { AdminRouter } from '../../dist/control-plane/admin-router.js';
import { createAdminServer } from '../../dist/control-plane/admin-server.js';
import type { ControlPlaneContext } from '../../dist/control-plane/context.js';
import {
  createFunctionLogRoutes,
  createInvokeRoutes,
  createLambdaControlPlane,
  type LambdaControlPlane,
} from '../../dist/control-plane/lambda/index.js';
import {
  createFunctionRuntime,
  type PorticoFunctionRuntime,
  type RuntimeLogEntry,
} from '../../dist/functions/index.js';
import type { FunctionDef, GatewayModel } from '../../dist/model/types.js';
import { createLogger } from '../../dist/observability/logger.js';
import { createStore, type Store } from '../../dist/storage/index.js';
import { requireBuild } from './gateway.js';

/** The Lambda control plane on a real admin port: SQLite store, real runtime, changed() like the gateway's. */
export interface LambdaTestServer {
  url: string;
  dataDir: string;
  store: Store;
  runtime: PorticoFunctionRuntime;
  lambda: LambdaControlPlane;
  ctx: ControlPlaneContext;
  /** Unexpected errors the control plane reported (a test may assert none happened). */
  errors: unknown[];
  /** The real SDK client (no retries, static credentials). */
  client: LambdaClient;
  /** Closes server, client, runtime and store; keeps the data dir (for restarts). */
  close(): Promise<void>;
}

/** Options of {@link startLambdaServer}. */
export interface LambdaTestOptions {
  /** Reuse a data dir (a restart); default: a new temp dir. */
  dataDir?: string;
  /** Functions as if from the config file (read-only through the API). */
  configFunctions?: FunctionDef[];
  maxBodyBytes?: number;
  /** Delays before the retries of a failed `Event` invocation (default: Lambda's 1 and 2 minutes). */
  eventRetryDelaysMs?: readonly number[];
  /** Receives the runtime's own log entries (dropped events, undelivered records). */
  runtimeLog?: (entry: RuntimeLogEntry) => void;
}

/** A new temp data dir and its cleanup. */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'portico-lambda-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the Lambda control plane + Invoke on port 0. `changed()` merges config and stored functions
 * and hands them to the runtime, as the gateway's activation does.
 */
export async function startLambdaServer(options: LambdaTestOptions = {}): Promise<LambdaTestServer> {
  requireBuild();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'portico-lambda-'));
  const region = 'us-east-1';
  const accountId = '123456789012';
  const store = createStore({ kind: 'sqlite', dataDir });
  const runtime = createFunctionRuntime({
    dataDir,
    region,
    accountId,
    ...(options.eventRetryDelaysMs === undefined ? {} : { eventRetryDelaysMs: options.eventRetryDelaysMs }),
    ...(options.runtimeLog === undefined ? {} : { logger: options.runtimeLog }),
  });
  const configModel: GatewayModel = { apis: [], domainNames: [], functions: options.configFunctions ?? [] };
  const activate = async (): Promise<void> => {
    const merged = mergeModels(configModel, await loadStoredModel(store));
    runtime.setFunctions(merged.functions);
  };
  await activate();
  const ctx: ControlPlaneContext = {
    store,
    region,
    accountId,
    configModel: () => configModel,
    changed: activate,
    functions: runtime,
    dataDir,
    now: () => new Date(),
  };
  const errors: unknown[] = [];
  const lambda = createLambdaControlPlane(ctx, { onError: (err) => errors.push(err) });
  await lambda.refresh();
  const router = new AdminRouter();
  router.add(...lambda.routes, ...createInvokeRoutes(runtime), ...createFunctionLogRoutes(runtime));
  const server: Server = createAdminServer({
    router,
    logger: createLogger({ write: () => undefined }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new LambdaClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  return {
    url,
    dataDir,
    store,
    runtime,
    lambda,
    ctx,
    errors,
    client,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.close();
      await store.close();
    },
  };
}

/** A zip (fflate `zipSync`) of text files. */
export function zipOf(files: Record<string, string>): Uint8Array {
  const tree: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) tree[name] = new TextEncoder().encode(text);
  return zipSync(tree);
}

/** A CommonJS handler answering `{ tag, env, event }` (so tests can tell code versions apart). */
export function handlerZip(tag: string): Uint8Array {
  return zipOf({
    'index.js': `exports.handler = async (event) => ({ tag: ${JSON.stringify(tag)}, env: process.env.STAGE ?? null, event });\n`,
  });
}

/** An execution role ARN for CreateFunction (Portico checks its shape only). */
export const ROLE = 'arn:aws:iam::123456789012:role/lambda-ex';

/** A package's `CodeSha256` as Lambda reports it (base64 SHA-256). */
export function codeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

/**
 * CreateFunction of a Node function `index.handler` with the test role and `handlerZip(name)` as
 * its code, unless `extra` says otherwise.
 */
export function createFunction(
  client: LambdaClient,
  name: string,
  extra: Partial<CreateFunctionCommandInput> = {},
): Promise<CreateFunctionCommandOutput> {
  return client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: handlerZip(name) },
      ...extra,
    }),
  );
}

/** The SDK error a call fails with: its name, HTTP status and message (throws if it succeeds). */
export async function sdkError(
  p: Promise<unknown>,
): Promise<{ name: string; status?: number; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected an error');
}
