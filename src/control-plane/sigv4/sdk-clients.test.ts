import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderSigV4Error } from './render.js';
import { type SigV4Result, verifySigV4 } from './verify.js';

// Real AWS SDK v3 clients sign real requests over a socket; the server verifies what arrives on the wire.

const credentials = new Map([['AKIDPORTICO', 'portico-secret']]);
let server: Server;
let endpoint = '';
let seen: Array<{ rawUrl: string; result: SigV4Result }> = [];

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const rawUrl = req.url ?? '/';
      const q = rawUrl.indexOf('?');
      const result = verifySigV4(
        {
          method: req.method ?? 'GET',
          path: q < 0 ? rawUrl : rawUrl.slice(0, q),
          query: q < 0 ? '' : rawUrl.slice(q + 1),
          headers: req.headers,
          body,
        },
        { credentials },
      );
      seen.push({ rawUrl, result });
      if (!result.ok) {
        const rendered = renderSigV4Error(result, rawUrl.startsWith('/v2/') ? 'apigateway' : 'lambda');
        res.writeHead(rendered.status, rendered.headers).end(rendered.body);
        return;
      }
      if (rawUrl.startsWith('/v2/apis')) {
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"apiId":"abc123","name":"n"}');
      } else if (rawUrl.includes('/invocations')) {
        res.writeHead(200, { 'x-amz-executed-version': '$LATEST' }).end(body);
      } else if (rawUrl.startsWith('/2015-03-31/functions?') || rawUrl === '/2015-03-31/functions') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"Functions":[]}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"FunctionName":"my-fn"}');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
});

const lambda = (accessKeyId = 'AKIDPORTICO', secretAccessKey = 'portico-secret'): LambdaClient =>
  new LambdaClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });

describe('SigV4 verification of real SDK v3 requests', () => {
  it('accepts Lambda calls with an ARN in the path, a qualifier, a marker and a binary payload', async () => {
    const client = lambda();
    try {
      const conf = await client.send(
        new GetFunctionConfigurationCommand({
          FunctionName: 'arn:aws:lambda:eu-central-1:123456789012:function:my-fn',
          Qualifier: '$LATEST',
        }),
      );
      expect(conf.FunctionName).toBe('my-fn');
      await client.send(new ListFunctionsCommand({ Marker: 'next page/=+*', MaxItems: 5 }));
      const out = await client.send(
        new InvokeCommand({ FunctionName: 'my fn', Payload: new Uint8Array([0, 1, 2, 255]) }),
      );
      expect(Buffer.from(out.Payload ?? new Uint8Array()).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
    } finally {
      client.destroy();
    }
    expect(seen.map((s) => s.rawUrl)).toEqual([
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Amy-fn/configuration?Qualifier=%24LATEST',
      '/2015-03-31/functions?Marker=next%20page%2F%3D%2B%2A&MaxItems=5',
      '/2015-03-31/functions/my%20fn/invocations',
    ]);
    for (const { result } of seen) {
      expect(result).toEqual({
        ok: true,
        anonymous: false,
        verified: true,
        presigned: false,
        accessKeyId: 'AKIDPORTICO',
        region: 'eu-central-1',
        service: 'lambda',
      });
    }
  });

  it('accepts apigatewayv2 calls (signing name apigateway)', async () => {
    const client = new ApiGatewayV2Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDPORTICO', secretAccessKey: 'portico-secret' },
      maxAttempts: 1,
    });
    try {
      const api = await client.send(new CreateApiCommand({ Name: 'n', ProtocolType: 'HTTP' }));
      expect(api.ApiId).toBe('abc123');
    } finally {
      client.destroy();
    }
    expect(seen[0]?.result).toMatchObject({ ok: true, service: 'apigateway', region: 'us-east-1' });
  });

  it('the SDK surfaces a wrong secret as InvalidSignatureException (Lambda shape)', async () => {
    const client = lambda('AKIDPORTICO', 'not-the-secret');
    try {
      const err = (await client.send(new ListFunctionsCommand({})).catch((e: unknown) => e)) as {
        name: string;
        message: string;
        $metadata: { httpStatusCode: number };
      };
      expect(err.name).toBe('InvalidSignatureException');
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toMatch(
        /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'GET\n\/2015-03-31\/functions\n\namz-sdk-invocation-id:/,
      );
    } finally {
      client.destroy();
    }
  });

  it('the SDK surfaces an unknown key as UnrecognizedClientException (API Gateway shape)', async () => {
    const client = new ApiGatewayV2Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      const err = (await client
        .send(new CreateApiCommand({ Name: 'n', ProtocolType: 'HTTP' }))
        .catch((e: unknown) => e)) as {
        name: string;
        message: string;
        $metadata: { httpStatusCode: number };
      };
      expect(err.name).toBe('UnrecognizedClientException');
      expect(err.message).toBe('The security token included in the request is invalid.');
      expect(err.$metadata.httpStatusCode).toBe(403);
    } finally {
      client.destroy();
    }
  });
});
