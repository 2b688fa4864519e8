import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, spawnPortico, waitForStart, type Spawned } from '../helpers/cli.js';
import { requireBuild, waitFor } from '../helpers/gateway.js';
import { send } from '../helpers/http-client.js';
import { startUpstream, type TestUpstream } from '../helpers/upstream.js';

/** A GET whose outcome (response or error) is recorded, for requests that outlive a test step. */
function startRequest(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

describe('portico start: graceful shutdown on SIGTERM/SIGINT', () => {
  let dir = '';
  let up: TestUpstream;
  let configFile = '';
  /** Finishes the held upstream response of /slow. */
  let release: (() => void) | undefined;
  const running: Spawned[] = [];

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'portico-sig-'));
    up = await startUpstream((req, res) => {
      if (req.url === '/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('started;');
        release = () => res.end('finished');
        return;
      }
      if (req.url === '/never') return; // never answers
      res.end('fast');
    });
    configFile = join(dir, 'portico.yaml');
    writeFileSync(
      configFile,
      `apis:\n  s:\n    integrations:\n      up: { type: HTTP_PROXY, uri: 'http://${up.host}' }\n    routes:\n      $default: up\n    stages:\n      $default: {}\n`,
    );
  });

  afterEach(async () => {
    release?.();
    release = undefined;
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    await up?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (extra: string[] = []) => {
    const p = spawnPortico([
      'start',
      '--config',
      configFile,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--no-access-log',
      ...extra,
    ]);
    running.push(p);
    const urls = await waitForStart(p);
    return {
      p,
      ...urls,
      port: Number(new URL(urls.dataUrl).port),
      adminPort: Number(new URL(urls.adminUrl).port),
    };
  };

  it('SIGTERM: stops accepting, the in-flight request completes with 200, exit code 0', async () => {
    const { p, dataUrl, port, adminPort } = await start();
    const inFlight = startRequest(`${dataUrl}/_aws/execute-api/s/slow`);
    await waitFor(() => release, 'the slow request at the upstream');

    p.child.kill('SIGTERM');
    await p.waitForStderr(/portico: SIGTERM received, draining in-flight requests\n/);
    await expectRefused(port);
    expect(p.child.exitCode).toBe(null); // still draining

    release?.();
    expect(await inFlight).toEqual({ status: 200, body: 'started;finished' });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    await expectRefused(adminPort);
  });

  it('SIGINT: exits 0 when idle', async () => {
    const { p, dataUrl } = await start();
    expect((await send(`${dataUrl}/_aws/execute-api/s/fast`)).body).toBe('fast');
    p.child.kill('SIGINT');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stderr()).toContain('portico: SIGINT received, draining in-flight requests\n');
  });

  it('the drain is bounded (--drain-timeout): a request that never ends is cut, exit code 0', async () => {
    const { p, dataUrl } = await start(['--drain-timeout', '300']);
    const stuck = startRequest(`${dataUrl}/_aws/execute-api/s/never`);
    await waitFor(() => up.requests.some((r) => r.url === '/never'), 'the stuck request at the upstream');
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(await stuck).toEqual({ error: 'ECONNRESET' });
  });
});
