import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { portIsFree, REPO_ROOT, spawnPortico, waitForStart, type Spawned } from '../helpers/cli.js';
import { requireBuild } from '../helpers/gateway.js';
import { send } from '../helpers/http-client.js';
import { TLS_CERT_FILE, TLS_KEY_FILE } from '../helpers/tls.js';
import { startUpstream, type Echo, type TestUpstream } from '../helpers/upstream.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('portico CLI', () => {
  let dir = '';
  let up: TestUpstream;
  let configFile = '';
  const running: Spawned[] = [];

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'portico-cli-'));
    up = await startUpstream();
    configFile = join(dir, 'portico.yaml');
    writeFileSync(
      configFile,
      [
        'apis:',
        '  shop:',
        '    integrations:',
        `      up: { type: HTTP_PROXY, uri: 'http://${up.host}/{proxy}' }`,
        '    routes:',
        "      'ANY /{proxy+}': up",
        '    stages:',
        '      $default: {}',
        '',
      ].join('\n'),
    );
  });

  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill();
  });

  afterAll(async () => {
    await up?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}, cwd?: string): Spawned => {
    const p = spawnPortico(args, { env, ...(cwd === undefined ? {} : { cwd }) });
    running.push(p);
    return p;
  };

  /** Stops a started process with SIGTERM and expects a clean exit. */
  const stop = async (p: Spawned): Promise<void> => {
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  };

  /** Health answers 200 JSON once ready. */
  const expectHealthy = async (adminUrl: string, apis: number): Promise<void> => {
    const health = await send(`${adminUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toBe('application/json');
    const body = JSON.parse(health.body) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', version: VERSION, apis, functions: 0 });
    expect(typeof body.uptimeSeconds).toBe('number');
  };

  it('--help, --version, and usage errors (exit 2)', async () => {
    let p = run(['--help']);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stdout()).toMatch(/^Usage: portico <command> \[options\]\n/);
    expect(p.stdout()).toContain('  start ');

    p = run(['--version']);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.stdout()).toBe(`${VERSION}\n`);

    p = run(['start', '--help']);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    for (const [flag, env] of [
      ['--config FILE', 'PORTICO_CONFIG'],
      ['--port P', 'PORTICO_PORT'],
      ['--admin-port Q', 'PORTICO_ADMIN_PORT'],
      ['--host H', 'PORTICO_HOST'],
      ['--data-dir D', 'PORTICO_DATA_DIR'],
      ['--log-format F', 'PORTICO_LOG_FORMAT'],
      ['--tls-cert FILE', 'PORTICO_TLS_CERT'],
      ['--tls-key FILE', 'PORTICO_TLS_KEY'],
    ] as const) {
      expect(p.stdout()).toMatch(new RegExp(`^  ${flag} .*${env}$`, 'm'));
    }

    for (const [args, message] of [
      [[], ''],
      [['frobnicate'], 'portico: unknown command "frobnicate"'],
      // Names of Object.prototype members are not commands either.
      [['constructor'], 'portico: unknown command "constructor"'],
      [['start', '--port', 'abc'], 'portico start: --port must be a port number, got "abc"\n'],
      [['start', '--bogus'], "portico start: Unknown option '--bogus'"],
      [['start', '--tls-cert', TLS_CERT_FILE], 'portico start: --tls-cert and --tls-key go together\n'],
    ] as const) {
      p = run([...args]);
      expect(await p.exited, args.join(' ')).toEqual({ code: 2, signal: null });
      expect(p.stderr().startsWith(message), p.stderr()).toBe(true);
    }
  });

  it('start with flags: serves the config, /health answers 200 JSON, SIGTERM exits 0', async () => {
    const dataDir = join(dir, 'flags-data');
    const p = run([
      'start',
      '--config',
      configFile,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
    ]);
    const { dataUrl, adminUrl } = await waitForStart(p);
    expect(dataUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dataUrl).not.toBe(adminUrl);
    await expectHealthy(adminUrl, 1);
    await p.waitForStderr(/^ {2}try: curl \S+\n/m);
    expect(p.stderr()).toContain(`  try: curl ${dataUrl}/_aws/execute-api/shop/any/path\n`);
    const res = await send(`${dataUrl}/_aws/execute-api/shop/pets?a=1`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as Echo).url).toBe('/pets?a=1');
    expect(existsSync(dataDir)).toBe(true);
    // The default access log: one JSON line per request on stdout.
    const line = await p.waitForStdout(/^\{.*\}\n/m);
    expect(JSON.parse(line[0])).toMatchObject({ httpMethod: 'GET', routeKey: 'ANY /{proxy+}', status: 200 });
    await stop(p);
  });

  it('start with environment variables; flags win over them', async () => {
    const dataDir = join(dir, 'env-data');
    const p = run(['start', '--log-format', 'clf'], {
      PORTICO_CONFIG: configFile,
      PORTICO_PORT: '0',
      PORTICO_ADMIN_PORT: '0',
      PORTICO_HOST: '127.0.0.1',
      PORTICO_DATA_DIR: dataDir,
      PORTICO_LOG_FORMAT: 'json',
    });
    const { dataUrl, adminUrl } = await waitForStart(p);
    await expectHealthy(adminUrl, 1);
    const res = await send(`${dataUrl}/_aws/execute-api/shop/env`);
    expect(res.status).toBe(200);
    expect(existsSync(dataDir)).toBe(true);
    const clf = await p.waitForStdout(
      /^127\.0\.0\.1 - - \[[^\]]+\] "GET ANY \/\{proxy\+\} HTTP\/1\.1" 200 \d+ (\S+)\n/m,
    );
    expect(clf[1]).toBe(res.headers['apigw-requestid']);
    await stop(p);

    // PORTICO_LOG_FORMAT alone selects clf; PORTICO_ACCESS_LOG=off turns the log off.
    const q = run(['start'], {
      PORTICO_CONFIG: configFile,
      PORTICO_PORT: '0',
      PORTICO_ADMIN_PORT: '0',
      PORTICO_DATA_DIR: dataDir,
      PORTICO_ACCESS_LOG: 'off',
    });
    const started = await waitForStart(q);
    expect((await send(`${started.dataUrl}/_aws/execute-api/shop/quiet`)).status).toBe(200);
    await stop(q);
    expect(q.stdout()).toBe('');
  });

  it('defaults: data plane 8080, admin 8081, bound to 127.0.0.1, data dir .portico/', async (ctx) => {
    if (!(await portIsFree(8080)) || !(await portIsFree(8081))) {
      ctx.skip('ports 8080/8081 are in use on this machine');
      return;
    }
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const p = run(['start', '--config', configFile], {}, cwd);
    const { dataUrl, adminUrl } = await waitForStart(p);
    expect([dataUrl, adminUrl]).toEqual(['http://127.0.0.1:8080', 'http://127.0.0.1:8081']);
    await expectHealthy('http://127.0.0.1:8081', 1);
    expect((await send('http://127.0.0.1:8080/_aws/execute-api/shop/x')).status).toBe(200);
    expect(existsSync(join(cwd, '.portico'))).toBe(true);
    await stop(p);
  });

  it('--tls-cert/--tls-key serve HTTPS on the data-plane port', async () => {
    const p = run([
      'start',
      '--config',
      configFile,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'tls-data'),
      '--tls-cert',
      TLS_CERT_FILE,
      '--tls-key',
      TLS_KEY_FILE,
    ]);
    const { dataUrl } = await waitForStart(p);
    expect(dataUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await send(`${dataUrl.replace('127.0.0.1', 'localhost')}/_aws/execute-api/shop/tls`, {
      ca: readFileSync(TLS_CERT_FILE),
    });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as Echo).headers['x-forwarded-proto']).toBe('https');
    await stop(p);
  });

  it('an invalid config: exit code 1 and a message naming file, line, field and problem', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apis:\n  shop:\n    stages:\n      $default:\n        stageVariables: { bad key: x }\n',
    );
    const p = run([
      'start',
      '--config',
      bad,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'bad'),
    ]);
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.stderr()).toBe(
      `portico: invalid config: ${bad}:5: apis.shop.stages.$default.stageVariables.bad key: invalid name "bad key" (expected letters, digits and "_", at most 64)\n`,
    );
    expect(p.stdout()).toBe('');
  });

  it('a port that is taken: exit code 1 and a message', async () => {
    const p = run([
      'start',
      '--config',
      configFile,
      '--port',
      String(up.port),
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'busy'),
    ]);
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.stderr()).toMatch(new RegExp(`^portico: cannot listen: .*EADDRINUSE.*${up.port}`));
  });
});
