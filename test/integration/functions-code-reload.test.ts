import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { send } from '../helpers/http-client.js';

// Editing a config-file function's code applies without a restart: the next invocation runs it.

const handler = (answer: string): string =>
  `let calls = 0;\nexports.handler = async () => ({ statusCode: 200, body: ${JSON.stringify(answer)} + ' ' + (++calls) });\n`;

describe('function code edits apply without a restart', () => {
  const codeDir = mkdtempSync(join(tmpdir(), 'portico-code-'));
  let gw: TestGateway;

  beforeAll(async () => {
    mkdirSync(join(codeDir, 'lib'), { recursive: true });
    writeFileSync(join(codeDir, 'index.js'), handler('v1'));
    gw = await startGateway(
      {
        apis: {
          app: {
            integrations: { fn: { type: 'AWS_PROXY', function: 'edit-me' } },
            routes: { 'GET /hi': 'fn' },
            stages: { $default: {} },
          },
        },
        functions: { 'edit-me': { handler: 'index.handler', code: codeDir } },
      },
      { watchConfig: true },
    );
  });

  afterAll(async () => {
    await gw?.close();
    rmSync(codeDir, { recursive: true, force: true });
  });

  const call = async (): Promise<string> => (await send(`${gw.url}/_aws/execute-api/app/hi`)).body;

  it('serves the new code on the next invocation and keeps warm state until then', async () => {
    expect(await call()).toBe('v1 1');
    expect(await call()).toBe('v1 2');
    writeFileSync(join(codeDir, 'index.js'), handler('v2'));
    const deadline = Date.now() + 5_000;
    let body = await call();
    while (body.startsWith('v1') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      body = await call();
    }
    // A fresh environment: the new code, and module state starts again.
    expect(body).toBe('v2 1');
    expect(await call()).toBe('v2 2');
    expect(gw.logs.some((l) => l.msg === 'function code changed; new invocations load it')).toBe(true);
  });

  it('also reloads when a file in a subdirectory changes', async () => {
    writeFileSync(join(codeDir, 'lib', 'helper.js'), 'module.exports = 1;\n');
    const deadline = Date.now() + 5_000;
    let body = await call();
    while (body !== 'v2 1' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      body = await call();
    }
    expect(body).toBe('v2 1');
  });
});
