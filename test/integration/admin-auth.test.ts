import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ApiGatewayV2Client, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../dist/index.js';

// Issue 4 item 3: SigV4 on the admin port, and no unauthenticated admin port off loopback.

const silent = { info() {}, warn() {}, error() {} };

describe('admin port authentication', () => {
  const dirs: string[] = [];
  const running: Gateway[] = [];
  const gateway = (options: Parameters<typeof createGateway>[0]): Gateway => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-auth-'));
    dirs.push(dir);
    const gw = createGateway({
      port: 0,
      adminPort: 0,
      dataDir: dir,
      accessLog: false,
      logger: silent,
      ...options,
    });
    running.push(gw);
    return gw;
  };

  afterEach(async () => {
    for (const gw of running.splice(0)) await gw.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unauthenticated admin port on a non-loopback address', async () => {
    await expect(gateway({ adminHost: '0.0.0.0' }).start()).rejects.toThrow(
      'refusing to serve an unauthenticated admin port on 0.0.0.0: configure admin credentials ' +
        '(PORTICO_ADMIN_CREDENTIALS=KEY:SECRET) or pass --allow-unauthenticated-admin',
    );
  });

  it('serves it there when told explicitly, or when credentials are configured', async () => {
    const told = await gateway({ adminHost: '0.0.0.0', allowUnauthenticatedAdmin: true }).start();
    expect((await fetch(`http://127.0.0.1:${told.adminPort}/health`)).status).toBe(200);
    const keyed = await gateway({
      adminHost: '0.0.0.0',
      adminCredentials: { AKIDPORTICO: 's3cret' },
    }).start();
    expect((await fetch(`http://127.0.0.1:${keyed.adminPort}/health`)).status).toBe(200);
  });

  it('verifies signatures when credentials are configured', async () => {
    const { adminUrl } = await gateway({ adminCredentials: { AKIDPORTICO: 's3cret' } }).start();
    const client = (secretAccessKey: string, accessKeyId = 'AKIDPORTICO') => ({
      endpoint: adminUrl,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
    // The right key works for both services.
    expect(
      (await new LambdaClient(client('s3cret')).send(new ListFunctionsCommand({}))).Functions,
    ).toStrictEqual([]);
    expect((await new ApiGatewayV2Client(client('s3cret')).send(new GetApisCommand({}))).Items).toStrictEqual(
      [],
    );
    // A wrong secret or an unknown key is refused with AWS's errors.
    await expect(new LambdaClient(client('wrong')).send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(
      new ApiGatewayV2Client(client('s3cret', 'AKIDOTHER')).send(new GetApisCommand({})),
    ).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
    // Unsigned requests are refused; /health stays open.
    const unsigned = await fetch(`${adminUrl}/2015-03-31/functions`);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect((await fetch(`${adminUrl}/health`)).status).toBe(200);
  });

  it('accepts any well-formed signature, or none, on loopback without credentials', async () => {
    const { adminUrl } = await gateway({}).start();
    const anyKey = {
      endpoint: adminUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    };
    expect((await new LambdaClient(anyKey).send(new ListFunctionsCommand({}))).Functions).toStrictEqual([]);
    expect((await fetch(`${adminUrl}/2015-03-31/functions`)).status).toBe(200);
  });
});
