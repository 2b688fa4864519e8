import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createGateway } from '../../dist/index.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { send } from '../helpers/http-client.js';
import { startUpstream, type TestUpstream } from '../helpers/upstream.js';

describe('config validation', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-cfg-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const integration = (extra: string): string =>
    `apis:\n  shop:\n    integrations:\n      up:\n        type: HTTP_PROXY\n        uri: http://127.0.0.1:1/x\n${extra}`;

  // Each error names the file, the line, the path of the bad field and what is wrong.
  it.each([
    [
      'an out-of-range value',
      integration('        timeoutInMillis: 10\n'),
      ':7: apis.shop.integrations.up.timeoutInMillis: must be >= 50',
    ],
    [
      'an unknown field',
      integration('        timeout: 10\n'),
      ':7: apis.shop.integrations.up.timeout: unknown field',
    ],
    [
      'a route to a missing integration',
      integration('    routes:\n      GET /a: nope\n'),
      ':8: apis.shop.routes.GET /a: no integration "nope" in this API',
    ],
    [
      'a bad parameter mapping key',
      integration("        requestParameters:\n          'bogus:header.x': 'y'\n"),
      ':8: apis.shop.integrations.up.requestParameters.bogus:header.x: invalid parameter mapping key: bogus:header.x',
    ],
    [
      'a mapping of a reserved header',
      integration("        requestParameters:\n          'overwrite:header.Connection': 'y'\n"),
      ':8: apis.shop.integrations.up.requestParameters.overwrite:header.Connection: header Connection cannot be mapped',
    ],
    [
      'a non-http URI',
      "apis:\n  shop:\n    integrations:\n      up: { type: HTTP_PROXY, uri: 'ftp://x' }\n",
      ':4: apis.shop.integrations.up.uri: not an http(s) URL: ftp://x',
    ],
    ['a YAML syntax error', 'apis:\n  shop:\n    routes: [\n', ':4: '],
  ])('refuses to start on %s', async (_name, text, expected) => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const gateway = createGateway({
      configFile: file,
      port: 0,
      adminPort: 0,
      dataDir: join(dir, 'data'),
      logger: silent,
    });
    const err = await gateway.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    await gateway.stop();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message.startsWith(`${file}${expected}`)).toBe(true);
  });

  it('refuses to start when the file is missing', async () => {
    const file = join(dir, 'missing.yaml');
    const gateway = createGateway({
      configFile: file,
      port: 0,
      adminPort: 0,
      dataDir: join(dir, 'data'),
      logger: silent,
    });
    await expect(gateway.start()).rejects.toThrow(`${file}: cannot read file: ENOENT`);
    await gateway.stop();
  });
});

const silent = { info() {}, warn() {}, error() {} };

describe('config edits apply without a restart', () => {
  let up: TestUpstream;
  let gw: TestGateway;
  let releaseSlow: (() => void) | undefined;

  const configWith = (routes: Record<string, string>): object => ({
    apis: {
      shop: {
        integrations: {
          a: { type: 'HTTP_PROXY', uri: `http://${up.host}/a` },
          b: { type: 'HTTP_PROXY', uri: `http://${up.host}/b` },
          slow: { type: 'HTTP_PROXY', uri: `http://${up.host}/slow` },
        },
        routes,
        stages: { $default: {} },
      },
    },
  });

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('slow-start;');
        releaseSlow = () => res.end('slow-end');
        return;
      }
      res.end(`upstream ${req.url ?? ''}`);
    });
    gw = await startGateway(configWith({ 'GET /x': 'a', 'GET /slow': 'slow' }), { watchConfig: true });
  });

  afterAll(async () => {
    releaseSlow?.();
    await gw?.close();
    await up?.close();
  });

  const get = (path: string) => send(`${gw.url}/_aws/execute-api/shop${path}`);

  it('applies a good edit, keeping in-flight requests; logs a bad edit and keeps the last good config', async () => {
    expect((await get('/x')).body).toBe('upstream /a');

    // A request in flight while the config changes completes on the config it started with.
    const inFlight = get('/slow');
    await waitFor(() => releaseSlow, 'the slow request at the upstream');

    await gw.writeConfig(configWith({ 'GET /x': 'b', 'GET /new': 'a' }));
    await waitFor(() => gw.logs.some((l) => l.msg === 'config reloaded'), 'the reload');
    expect((await get('/x')).body).toBe('upstream /b');
    expect((await get('/new')).body).toBe('upstream /a');
    expect((await get('/slow')).status).toBe(404);

    releaseSlow?.();
    const slow = await inFlight;
    expect(slow.status).toBe(200);
    expect(slow.body).toBe('slow-start;slow-end');

    // A bad edit: logged with file, line and reason; the last good config keeps serving.
    await gw.writeConfig('apis:\n  shop:\n    routes:\n      GET /x: missing\n');
    const rejected = await waitFor(
      () => gw.logs.find((l) => l.msg === 'config change rejected; still serving the last good config'),
      'the rejection',
    );
    expect(rejected.level).toBe('error');
    expect(rejected.fields).toEqual({
      file: gw.configFile,
      error: `${gw.configFile}:4: apis.shop.routes.GET /x: no integration "missing" in this API`,
    });
    expect((await get('/x')).body).toBe('upstream /b');
    expect((await get('/new')).body).toBe('upstream /a');

    // reload() reports the same error to an embedder and also keeps serving.
    await expect(gw.gateway.reload()).rejects.toThrow(/no integration "missing" in this API/);
    expect((await get('/x')).body).toBe('upstream /b');

    // Fixing the file recovers.
    const reloads = gw.logs.filter((l) => l.msg === 'config reloaded').length;
    await gw.writeConfig(configWith({ 'GET /x': 'a' }));
    await waitFor(() => gw.logs.filter((l) => l.msg === 'config reloaded').length > reloads, 'the recovery');
    expect((await get('/x')).body).toBe('upstream /a');
    expect((await get('/new')).status).toBe(404);
  });
});
