import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { FunctionDef } from '../../src/model/types.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/functions/', import.meta.url));

/** A temp copy of the function fixtures (tests never write into the repo) plus a data dir. */
export interface FunctionSandbox {
  root: string;
  dataDir: string;
  code(name: string): string;
  cleanup(): void;
}

/** Copies test/fixtures/functions to a temp dir; installs the TS fixture's dependency into node_modules. */
export function createFunctionSandbox(): FunctionSandbox {
  const root = mkdtempSync(join(tmpdir(), 'portico-fn-'));
  cpSync(FIXTURES, join(root, 'code'), { recursive: true });
  mkdirSync(join(root, 'code', 'node-ts', 'node_modules'), { recursive: true });
  cpSync(
    join(FIXTURES, 'node-ts-deps', 'tiny-dep'),
    join(root, 'code', 'node-ts', 'node_modules', 'tiny-dep'),
    {
      recursive: true,
    },
  );
  // Syntax errors are written here so the repo's typecheck and prettier never see them.
  writeFileSync(
    join(root, 'code', 'node-ts', 'src', 'broken.ts'),
    'export const handler = async (: number) => 1;\n',
  );
  writeFileSync(join(root, 'code', 'node-cjs', 'syntax-error.js'), 'exports.handler = async () => {\n');
  const dataDir = join(root, 'data');
  return {
    root,
    dataDir,
    code: (name) => join(root, 'code', name),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A FunctionDef with test defaults (1 s timeout keeps timeout tests fast). */
export function fn(
  name: string,
  codeDir: string,
  handler: string,
  extra: Partial<FunctionDef> = {},
): FunctionDef {
  return {
    functionName: name,
    runtime: 'nodejs20.x',
    handler,
    codeDir,
    timeout: 1,
    memorySize: 128,
    environment: {},
    source: 'config',
    ...extra,
  };
}

/** The real Lambda SDK client pointed at a test admin server (no retries, fake credentials). */
export function lambdaClient(url: string): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** Decodes an SDK Payload. */
export function json(payload: Uint8Array | undefined): unknown {
  return JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8'));
}
