import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { lambdaClient } from '../helpers/functions.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { send } from '../helpers/http-client.js';
import { startUpstream, type TestUpstream } from '../helpers/upstream.js';

// The control-plane commands end to end: the CLI entry against the real gateway (createGateway from
// dist/) with its real apigatewayv2 and Lambda control plane, a real upstream and a real function.

let gw: TestGateway;
let upstream: TestUpstream;
let dir: string;
let file: string;
/** The API `portico deploy` created for the file's `pets`. */
let apiId = '';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { PORTICO_ENDPOINT: gw.adminUrl },
  });
  return { code, out, err };
}

function config(opts: {
  greeting: string;
  extraRoute?: boolean;
  stages?: string[];
  /** More YAML lines of function hello (indented 4). */
  functionExtra?: string;
}): string {
  const stages = (opts.stages ?? ['prod'])
    .map((s) => `      ${s}: { stageVariables: { who: ${s} } }`)
    .join('\n');
  return `
functions:
  hello:
    handler: index.handler
    code: ./hello
    timeout: 5
    environment: { GREETING: ${opts.greeting} }
${opts.functionExtra ?? ''}apis:
  pets:
    name: Pet store
    integrations:
      backend: { type: HTTP_PROXY, uri: '${upstream.origin}/{proxy}' }
      hello: { type: AWS_PROXY, function: hello }
    routes:
      'GET /pets/{proxy+}': backend
      'GET /hello': hello
${opts.extraRoute ? "      'POST /hello': hello\n" : ''}    stages:
${stages}
`;
}

/** Replaces server-issued ids (10-char API ids, 7-char deployment ids) so outputs compare exactly. */
function ids(text: string, apiId: string): string {
  return text.replaceAll(apiId, 'API_ID').replace(/deployment [a-z0-9]{7}/g, 'deployment DEP_ID');
}

beforeAll(async () => {
  upstream = await startUpstream();
  gw = await startGateway({});
  dir = mkdtempSync(join(tmpdir(), 'portico-cli-e2e-'));
  mkdirSync(join(dir, 'hello'));
  writeFileSync(
    join(dir, 'hello', 'index.js'),
    "exports.handler = async (event) => { console.log('hello log line'); " +
      'return { statusCode: 200, headers: { "content-type": "text/plain" }, ' +
      'body: `${process.env.GREETING} ${event.rawPath ?? event.name} ${event.stageVariables?.who ?? "-"}` }; };\n',
  );
  file = join(dir, 'portico.yaml');
});

afterAll(async () => {
  await gw?.close();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('portico deploy', () => {
  it('creates functions, the API, integrations, routes and stages, and deploys the stages', async () => {
    writeFileSync(file, config({ greeting: 'hi' }));
    const r = await run(['deploy', file]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    apiId = /^api pets: created \(([a-z0-9]+)\)$/m.exec(r.out)?.[1] ?? '';
    expect(apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(ids(r.out, apiId)).toBe(
      'function hello: created\n' +
        'api pets: created (API_ID)\n' +
        'api pets: integration backend: created\n' +
        'api pets: integration hello: created\n' +
        'api pets: route GET /pets/{proxy+}: created\n' +
        'api pets: route GET /hello: created\n' +
        'api pets: stage prod: created\n' +
        'api pets: stage prod: deployed (deployment DEP_ID)\n' +
        '7 created, 0 updated, 0 deleted, 1 stage deployments.\n',
    );
    const hello = await send(`${gw.url}/_aws/execute-api/${apiId}/prod/hello`);
    expect({ status: hello.status, body: hello.body }).toEqual({ status: 200, body: 'hi /prod/hello prod' });
    const pets = await send(`${gw.url}/_aws/execute-api/${apiId}/prod/pets/7`);
    expect(pets.status).toBe(200);
    expect(JSON.parse(pets.body)).toMatchObject({ method: 'GET', url: '/7' });
  });

  it('changes nothing when run again with the same file', async () => {
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
  });

  it('applies edits: function configuration, a new route, stages added and removed', async () => {
    writeFileSync(file, config({ greeting: 'hello', extraRoute: true, stages: ['beta'] }));
    const r = await run(['deploy', file]);
    expect(r.code).toBe(0);
    expect(ids(r.out, apiId)).toBe(
      'function hello: updated (Environment)\n' +
        'api pets: route POST /hello: created\n' +
        'api pets: stage beta: created\n' +
        'api pets: stage prod: deleted\n' +
        'api pets: stage beta: deployed (deployment DEP_ID)\n' +
        '2 created, 1 updated, 1 deleted, 1 stage deployments.\n',
    );
    const res = await send(`${gw.url}/_aws/execute-api/${apiId}/beta/hello`, { method: 'POST' });
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: 'hello /beta/hello beta' });
    expect((await send(`${gw.url}/_aws/execute-api/${apiId}/prod/hello`)).status).toBe(404);
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
  });

  it('applies and removes a function\u2019s logging config and event invoke config', async () => {
    const extra =
      '    loggingConfig: { logFormat: JSON, applicationLogLevel: WARN }\n' +
      '    eventInvokeConfig: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 600 }\n';
    writeFileSync(
      file,
      config({ greeting: 'hello', extraRoute: true, stages: ['beta'], functionExtra: extra }),
    );
    const r = await run(['deploy', file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'function hello: updated (LoggingConfig)\n' +
        'function hello: updated (event invoke config)\n' +
        '0 created, 2 updated, 0 deleted, 0 stage deployments.\n',
    );
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
    const lambda = lambdaClient(gw.adminUrl);
    try {
      const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
      expect(cfg.LoggingConfig).toStrictEqual({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'WARN',
        SystemLogLevel: 'INFO',
        LogGroup: '/aws/lambda/hello',
      });
      const events = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'hello' }));
      expect([events.MaximumRetryAttempts, events.MaximumEventAgeInSeconds]).toStrictEqual([0, 600]);
      writeFileSync(file, config({ greeting: 'hello', extraRoute: true, stages: ['beta'] }));
      const removed = await run(['deploy', file]);
      expect(removed.out).toBe(
        'function hello: updated (LoggingConfig)\n' +
          'function hello: updated (event invoke config removed)\n' +
          '0 created, 2 updated, 0 deleted, 0 stage deployments.\n',
      );
      const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
      expect(after.LoggingConfig).toStrictEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/hello' });
      await expect(
        lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'hello' })),
      ).rejects.toThrow(/doesn't have an EventInvokeConfig/);
      expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
    } finally {
      lambda.destroy();
    }
  });

  it('lists what was deployed: apis, routes, functions', async () => {
    const apis = await run(['apis']);
    expect(apis.code).toBe(0);
    expect(apis.out.split('\n')[0]).toMatch(/^API ID +NAME +PROTOCOL +STAGES +ENDPOINT/);
    expect(apis.out).toMatch(
      new RegExp(`^${apiId} +Pet store +HTTP +beta +https://${apiId}\\.execute-api\\.`, 'm'),
    );

    const routes = await run(['routes', apiId]);
    expect(routes.code).toBe(0);
    const lines = routes.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ROUTE ID +ROUTE KEY +AUTH +INTEGRATION +TARGET$/);
    expect(
      lines.slice(1).map((l) => l.replace(/^\S+ +/, '').replace(/ {2,}[a-z0-9]{7} {2,}/, '  ID  ')),
    ).toEqual([
      'GET /hello          NONE  ID  AWS_PROXY function hello',
      `GET /pets/{proxy+}  NONE  ID  HTTP_PROXY ANY ${upstream.origin}/{proxy}`,
      'POST /hello         NONE  ID  AWS_PROXY function hello',
    ]);

    const fns = await run(['functions']);
    expect(fns.code).toBe(0);
    expect(fns.out).toMatch(
      /^NAME +RUNTIME +HANDLER +MEMORY +TIMEOUT +LAST MODIFIED\nhello +nodejs20\.x +index\.handler +128 +5s +\d{4}-/,
    );
  });

  it('invoke and logs reach the deployed function', async () => {
    const inv = await run(['invoke', 'hello', '--payload', '{"name":"direct"}']);
    expect(inv).toEqual({
      code: 0,
      out: '{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"hello direct -"}\n',
      err: '',
    });
    const logs = await run(['logs', 'hello']);
    expect(logs.code).toBe(0);
    expect(logs.out).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(logs.out).toContain('\tINFO\thello log line\n');
  });

  it('export prints the OpenAPI definition; import creates an API from it', async () => {
    const exported = await run(['export', apiId, '--format', 'json']);
    expect(exported.code).toBe(0);
    const doc = JSON.parse(exported.out) as {
      openapi: string;
      info: { title: string };
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.info.title).toBe('Pet store');
    expect(Object.keys(doc.paths).sort()).toEqual(['/hello', '/pets/{proxy+}']);

    const oas = join(dir, 'import.yaml');
    writeFileSync(
      oas,
      `openapi: 3.0.1
info: { title: Imported, version: '1' }
paths:
  /up:
    get:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: ${upstream.origin}/up
        payloadFormatVersion: '1.0'
`,
    );
    const imported = await run(['import', 'openapi', oas]);
    expect(imported.code).toBe(0);
    const newId = /^Imported API ([a-z0-9]{10}) \(Imported\)\n$/.exec(imported.out)?.[1];
    expect(newId).toBeDefined();
    const routes = await run(['routes', newId as string]);
    expect(routes.out).toMatch(
      new RegExp(`GET /up +NONE +[a-z0-9]{7} +HTTP_PROXY GET ${upstream.origin}/up\\n$`),
    );
  });

  it('reports control-plane errors with exit code 1', async () => {
    const r = await run(['routes', 'doesnotexist']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^portico routes: NotFoundException: Invalid API identifier specified \d{12}:doesnotexist\n$/,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apis:\n  x:\n    routes:\n      GET /a: nope\n');
    const d = await run(['deploy', bad]);
    expect(d.code).toBe(1);
    expect(d.out).toBe('');
    expect(d.err).toMatch(/^portico deploy: .*bad\.yaml:4: apis\.x\.routes\.GET \/a/);
  });
});

describe('portico deploy (in-place updates and config-file resources)', () => {
  it('updates a changed integration in place and re-uploads changed code', async () => {
    writeFileSync(
      file,
      config({ greeting: 'hello', extraRoute: true, stages: ['beta'] }).replace('/{proxy}', '/v2/{proxy}'),
    );
    writeFileSync(join(dir, 'hello', 'extra.txt'), 'new file in the package');
    const r = await run(['deploy', file, '--json']);
    expect(r.code).toBe(0);
    const changes = JSON.parse(r.out) as Array<Record<string, string>>;
    expect(
      changes.map((c) =>
        `${c.api ?? '-'} ${c.kind} ${c.name} ${c.action} ${c.detail ?? ''}`.replace(/[a-z0-9]{7}$/, 'ID'),
      ),
    ).toEqual([
      '- function hello updated code',
      'pets integration backend updated integrationUri',
      'pets stage beta deployed deployment ID',
    ]);
    const res = await send(`${gw.url}/_aws/execute-api/${apiId}/beta/pets/7`);
    expect(JSON.parse(res.body)).toMatchObject({ method: 'GET', url: '/v2/7' });
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
  });

  it('adds and removes CORS (UpdateApi, DeleteCorsConfiguration) and redeploys', async () => {
    const base = config({ greeting: 'hello', extraRoute: true, stages: ['beta'] }).replace(
      '/{proxy}',
      '/v2/{proxy}',
    );
    const withCors = base.replace(
      '    name: Pet store\n',
      "    name: Pet store\n    corsConfiguration: { allowOrigins: ['https://a.example'] }\n",
    );
    writeFileSync(file, withCors);
    const added = await run(['deploy', file]);
    expect(ids(added.out, apiId)).toBe(
      'api pets: updated (corsConfiguration)\n' +
        'api pets: stage beta: deployed (deployment DEP_ID)\n' +
        '0 created, 1 updated, 0 deleted, 1 stage deployments.\n',
    );
    const corsOf = async (): Promise<unknown> => {
      const listed = JSON.parse((await run(['apis', '--json'])).out) as Array<Record<string, unknown>>;
      return listed.find((a) => a.apiId === apiId)?.corsConfiguration;
    };
    expect(await corsOf()).toEqual({ allowOrigins: ['https://a.example'] });
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
    writeFileSync(file, base);
    expect(ids((await run(['deploy', file])).out, apiId)).toBe(
      'api pets: updated (corsConfiguration)\n' +
        'api pets: stage beta: deployed (deployment DEP_ID)\n' +
        '0 created, 1 updated, 0 deleted, 1 stage deployments.\n',
    );
    expect(await corsOf()).toBeUndefined();
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
  });

  it('creates a domain name and its API mappings; custom-domain requests reach the mapped stage', async () => {
    const base = config({ greeting: 'hello', extraRoute: true, stages: ['beta', 'prod'] }).replace(
      '/{proxy}',
      '/v2/{proxy}',
    );
    const withDomain = (v1Stage: string): string =>
      `${base}domainNames:\n  shop.example.com:\n    apiMappings:\n` +
      '      - { apiId: pets, stage: beta }\n' +
      `      - { apiId: pets, stage: ${v1Stage}, apiMappingKey: v1 }\n`;
    writeFileSync(file, withDomain('prod'));
    const r = await run(['deploy', file]);
    expect(r.err).toBe('');
    expect(ids(r.out, apiId)).toBe(
      'api pets: stage prod: created\n' +
        'api pets: stage prod: deployed (deployment DEP_ID)\n' +
        'domain shop.example.com: created\n' +
        'api mapping shop.example.com/(none): created (pets beta)\n' +
        'api mapping shop.example.com/v1: created (pets prod)\n' +
        '4 created, 0 updated, 0 deleted, 1 stage deployments.\n',
    );
    const viaDomain = async (path: string): Promise<{ status: number; body: string }> => {
      const res = await send(`${gw.url}${path}`, { headers: { host: 'shop.example.com' } });
      return { status: res.status, body: res.body };
    };
    expect(await viaDomain('/hello')).toEqual({ status: 200, body: 'hello /hello beta' });
    expect(await viaDomain('/v1/hello')).toEqual({ status: 200, body: 'hello /v1/hello prod' });
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });

    writeFileSync(file, withDomain('beta'));
    expect(await run(['deploy', file])).toEqual({
      code: 0,
      out:
        'api mapping shop.example.com/v1: updated (stage)\n' +
        '0 created, 1 updated, 0 deleted, 0 stage deployments.\n',
      err: '',
    });
    expect(await viaDomain('/v1/hello')).toEqual({ status: 200, body: 'hello /v1/hello beta' });
    expect(await run(['deploy', file])).toEqual({ code: 0, out: 'No changes.\n', err: '' });
  });

  it("skips APIs, functions and domains that come from the server's own config file", async () => {
    const domains = 'domainNames:\n  own.example.com:\n    apiMappings: [{ apiId: pets, stage: prod }]\n';
    const own = await startGateway(
      config({ greeting: 'hi' }).replaceAll('./hello', join(dir, 'hello')) + domains,
    );
    try {
      let out = '';
      const io = {
        out: (t: string) => (out += t),
        err: () => undefined,
        env: { PORTICO_ENDPOINT: own.adminUrl },
      };
      writeFileSync(
        file,
        config({ greeting: 'changed' }) + domains.replace('prod }', 'prod, apiMappingKey: x }'),
      );
      expect(await main(['deploy', file], io)).toBe(0);
      expect(out).toBe(
        "function hello: skipped (defined in the server's config file)\n" +
          "api pets: skipped (defined in the server's config file)\n" +
          "domain own.example.com: skipped (defined in the server's config file)\n" +
          'No changes.\n',
      );
    } finally {
      await own.close();
    }
  });
});

describe('signed requests', () => {
  it('signs with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when the admin port requires credentials', async () => {
    const locked = await startGateway({}, { adminCredentials: { AKIDCLITEST: 'cli-test-secret' } });
    try {
      const go = async (env: Record<string, string>): Promise<{ code: number; out: string; err: string }> => {
        let out = '';
        let err = '';
        const io = {
          out: (t: string) => (out += t),
          err: (t: string) => (err += t),
          env: { PORTICO_ENDPOINT: locked.adminUrl, ...env },
        };
        return { code: await main(['functions'], io), out, err };
      };
      expect(
        await go({ AWS_ACCESS_KEY_ID: 'AKIDCLITEST', AWS_SECRET_ACCESS_KEY: 'cli-test-secret' }),
      ).toEqual({
        code: 0,
        out: 'No functions.\n',
        err: '',
      });
      expect(await go({})).toEqual({
        code: 1,
        out: '',
        err: 'portico functions: MissingAuthenticationTokenException: Missing Authentication Token\n',
      });
      const wrong = await go({ AWS_ACCESS_KEY_ID: 'AKIDCLITEST', AWS_SECRET_ACCESS_KEY: 'wrong' });
      expect(wrong.code).toBe(1);
      expect(wrong.err).toMatch(
        /^portico functions: InvalidSignatureException: The request signature we calculated does not match/,
      );
    } finally {
      await locked.close();
    }
  });
});
