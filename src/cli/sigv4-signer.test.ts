import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../test/helpers/sdk-sha256.js';
import {
  amzDate,
  canonicalPath,
  credentialsFromEnv,
  signRequest,
  type SignableRequest,
} from './sigv4-signer.js';

// The reference: the signer shipped inside the AWS SDK v3 (`sdkAuthorization`).
const DATE = new Date('2024-05-01T12:00:00.000Z');

async function sdkAuthorization(
  req: SignableRequest,
  service: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials, region: 'eu-west-1', service, sha256: NodeSha256 });
  const query: Record<string, string> = {};
  for (const [k, v] of req.query) query[k] = v;
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8081,
      path: req.path,
      query,
      headers: { ...req.headers, host: req.host },
      body: req.body.length > 0 ? req.body.toString('utf8') : undefined,
    },
    { signingDate: DATE },
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = v;
  return out;
}

const CASES: Array<{ name: string; service: string; req: SignableRequest }> = [
  {
    name: 'GET with a query',
    service: 'apigateway',
    req: {
      method: 'GET',
      host: '127.0.0.1:8081',
      path: '/v2/apis/abc123/exports/OAS30',
      query: [
        ['stageName', '$default'],
        ['outputType', 'YAML'],
      ],
      headers: {},
      body: Buffer.alloc(0),
    },
  },
  {
    name: 'POST with a JSON body and x-amz headers',
    service: 'lambda',
    req: {
      method: 'POST',
      host: '127.0.0.1:8081',
      path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Ahello/invocations',
      query: [['Qualifier', '$LATEST']],
      headers: {
        'content-type': 'application/json',
        'x-amz-invocation-type': 'RequestResponse',
        'x-amz-log-type': 'Tail',
      },
      body: Buffer.from('{"a":  "b c"}'),
    },
  },
  {
    name: 'PUT with spaces in the query (RFC 3986 encoding)',
    service: 'apigateway',
    req: {
      method: 'PUT',
      host: 'localhost',
      path: '/v2/apis',
      query: [
        ['basepath', 'prepend'],
        ['failOnWarnings', 'true'],
        ['x', "a b!'()*"],
      ],
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"body":"openapi: 3.0.1"}'),
    },
  },
];

describe('signRequest', () => {
  for (const c of CASES) {
    it(`matches the AWS SDK signer: ${c.name}`, async () => {
      const credentials = {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      };
      const ours = signRequest(c.req, { service: c.service, region: 'eu-west-1', credentials, now: DATE });
      const sdk = await sdkAuthorization(c.req, c.service, credentials);
      expect(ours.authorization).toBe(sdk.authorization);
      expect(ours['x-amz-date']).toBe('20240501T120000Z');
    });
  }

  it('signs the session token like the SDK', async () => {
    const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token/+=' };
    const req = CASES[0]?.req as SignableRequest;
    const ours = signRequest(req, { service: 'apigateway', region: 'eu-west-1', credentials, now: DATE });
    const sdk = await sdkAuthorization(req, 'apigateway', credentials);
    expect(ours['x-amz-security-token']).toBe('token/+=');
    expect(ours.authorization).toBe(sdk.authorization);
  });
});

describe('helpers', () => {
  it('double-encodes the path and drops dot segments', () => {
    expect(canonicalPath('/a/./b/../c%3Ad/')).toBe('/a/c%253Ad/');
    expect(canonicalPath('/')).toBe('/');
  });
  it('formats the date', () => {
    expect(amzDate(DATE)).toBe('20240501T120000Z');
  });
  it('reads credentials from the environment', () => {
    expect(credentialsFromEnv({})).toBeUndefined();
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a' })).toBeUndefined();
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    expect(
      credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 't' }),
    ).toEqual({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' });
  });
});
