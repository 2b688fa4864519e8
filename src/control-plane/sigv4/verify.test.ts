import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../../test/helpers/sdk-sha256.js';
import { renderSigV4Error } from './render.js';
import { type SigV4Request, verifySigV4 } from './verify.js';

// Signs with the signer shipped inside the AWS SDK v3 (the reference implementation).

// A request as a client builds it: path already percent-encoded, query decoded.
interface ClientRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

interface SignOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  service?: string;
  region?: string;
  date?: Date;
  presignExpiresIn?: number;
}

const escapeUri = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// Signs (or presigns) and returns what the server receives on the wire.
async function signWithSdk(req: ClientRequest, opts: SignOptions = {}): Promise<SigV4Request> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: opts.accessKeyId ?? 'AKIDEXAMPLE',
      secretAccessKey: opts.secretAccessKey ?? 'secret',
    },
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'lambda',
    sha256: NodeSha256,
  });
  const request = {
    method: req.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: req.path,
    query: req.query ?? {},
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/json', ...req.headers },
    ...(req.body === undefined ? {} : { body: req.body }),
  };
  const signingDate = opts.date ?? new Date();
  const signed =
    opts.presignExpiresIn === undefined
      ? await signer.sign(request, { signingDate })
      : await signer.presign(request, { signingDate, expiresIn: opts.presignExpiresIn });
  const query = signed.query ?? {};
  // The wire query string, built like the SDK's buildQueryString.
  const raw = Object.keys(query)
    .sort()
    .flatMap((k) => [query[k]].flat().map((v) => `${escapeUri(k)}=${escapeUri(v ?? '')}`))
    .join('&');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return {
    method: signed.method,
    path: signed.path,
    query: raw,
    headers,
    body: Buffer.from(req.body ?? ''),
  };
}

const NOW = new Date('2024-05-01T12:00:00Z');
const CREDS = new Map([['AKIDEXAMPLE', 'secret']]);
const verify = (req: SigV4Request, now = NOW) => verifySigV4(req, { credentials: CREDS, now });
const createFunction: ClientRequest = {
  method: 'POST',
  path: '/2015-03-31/functions',
  body: JSON.stringify({ FunctionName: 'f', Runtime: 'nodejs20.x' }),
};

describe('verifySigV4 with credentials', () => {
  it('accepts a request signed by the SDK signer', async () => {
    const req = await signWithSdk(createFunction, { date: NOW });
    expect(verify(req)).toEqual({
      ok: true,
      anonymous: false,
      verified: true,
      presigned: false,
      accessKeyId: 'AKIDEXAMPLE',
      region: 'us-east-1',
      service: 'lambda',
    });
  });

  it('accepts encoded paths and awkward query values, signed for another service and region', async () => {
    const req = await signWithSdk(
      {
        method: 'GET',
        path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Amy-fn/configuration',
        query: { Qualifier: '$LATEST', Marker: 'a b+c/=*', Multi: ['z', 'a'], Empty: '' },
      },
      { date: NOW, region: 'eu-west-1', service: 'apigateway' },
    );
    expect(verify(req)).toMatchObject({ ok: true, region: 'eu-west-1', service: 'apigateway' });
  });

  it('rejects a wrong secret with the AWS message and the canonical strings', async () => {
    const req = await signWithSdk(
      { method: 'GET', path: '/2015-03-31/functions' },
      { date: NOW, secretAccessKey: 'wrong' },
    );
    const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const canonical = [
      'GET',
      '/2015-03-31/functions',
      '',
      'content-type:application/json',
      'host:127.0.0.1:4566',
      `x-amz-content-sha256:${emptyHash}`,
      'x-amz-date:20240501T120000Z',
      '',
      'content-type;host;x-amz-content-sha256;x-amz-date',
      emptyHash,
    ].join('\n');
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      '20240501T120000Z',
      '20240501/us-east-1/lambda/aws4_request',
      createHash('sha256').update(canonical).digest('hex'),
    ].join('\n');
    expect(verify(req)).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
        `The Canonical String for this request should have been\n'${canonical}'\n\n` +
        `The String-to-Sign should have been\n'${stringToSign}'\n`,
    });
  });

  it('rejects an unknown access key', async () => {
    const req = await signWithSdk(createFunction, { date: NOW, accessKeyId: 'AKIDUNKNOWN' });
    expect(verify(req)).toEqual({
      ok: false,
      status: 403,
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('rejects a signature older or newer than 5 minutes and accepts one within', async () => {
    const old = await signWithSdk(createFunction, { date: new Date(NOW.getTime() - 6 * 60_000) });
    expect(verify(old)).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        'Signature expired: 20240501T115400Z is now earlier than 20240501T115500Z (20240501T120000Z - 5 min.)',
    });
    const future = await signWithSdk(createFunction, { date: new Date(NOW.getTime() + 6 * 60_000) });
    expect(verify(future)).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20240501T120600Z is still later than 20240501T120500Z (20240501T120000Z + 5 min.)',
    });
    const recent = await signWithSdk(createFunction, { date: new Date(NOW.getTime() - 4 * 60_000) });
    expect(verify(recent).ok).toBe(true);
  });

  it('rejects a tampered body even when x-amz-content-sha256 is left as signed', async () => {
    const req = await signWithSdk(createFunction, { date: NOW });
    const result = verify({
      ...req,
      body: Buffer.from(JSON.stringify({ FunctionName: 'g', Runtime: 'nodejs20.x' })),
    });
    expect(result).toMatchObject({ ok: false, status: 403, errorType: 'InvalidSignatureException' });
  });

  it('rejects a tampered signed header, ignores unsigned ones', async () => {
    const req = await signWithSdk(createFunction, { date: NOW });
    expect(verify({ ...req, headers: { ...req.headers, 'content-type': 'text/plain' } })).toMatchObject({
      ok: false,
      errorType: 'InvalidSignatureException',
    });
    expect(verify({ ...req, headers: { ...req.headers, host: 'evil.example' } })).toMatchObject({
      ok: false,
    });
    expect(verify({ ...req, method: 'PUT' })).toMatchObject({ ok: false });
    expect(verify({ ...req, path: '/2015-03-31/functions/x' })).toMatchObject({ ok: false });
    expect(verify({ ...req, query: 'Marker=1' })).toMatchObject({ ok: false });
    expect(verify({ ...req, headers: { ...req.headers, 'user-agent': 'changed', 'X-Extra': 'x' } }).ok).toBe(
      true,
    );
  });

  it('rejects a scope date that differs from x-amz-date', async () => {
    const req = await signWithSdk(createFunction, { date: NOW });
    const auth = String(req.headers.authorization).replace('/20240501/', '/20240502/');
    expect(verify({ ...req, headers: { ...req.headers, authorization: auth } })).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240502' != '20240501', from '20240501T120000Z'.",
    });
  });

  it('requires a signature when credentials are configured', () => {
    expect(
      verify({ method: 'GET', path: '/2015-03-31/functions', query: '', headers: {}, body: Buffer.alloc(0) }),
    ).toEqual({
      ok: false,
      status: 403,
      errorType: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });

  it('verifies presigned URLs and refuses them once expired', async () => {
    const req = await signWithSdk(
      { method: 'GET', path: '/2015-03-31/functions/f', query: { Qualifier: '1' } },
      { date: NOW, presignExpiresIn: 60 },
    );
    expect(req.headers.authorization).toBeUndefined();
    expect(verify(req, new Date(NOW.getTime() + 59_000))).toMatchObject({ ok: true, presigned: true });
    expect(verify(req, new Date(NOW.getTime() + 61_000))).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        'Signature expired: 20240501T120000Z is now earlier than 20240501T120001Z (20240501T120101Z - 60 sec.)',
    });
    const forged = String(req.query).replace('Qualifier=1', 'Qualifier=2');
    expect(verify({ ...req, query: forged }, NOW)).toMatchObject({
      ok: false,
      errorType: 'InvalidSignatureException',
    });
  });
});

describe('verifySigV4 without credentials (open mode)', () => {
  it('accepts any well-formed signature without checking key, time or secret', async () => {
    const req = await signWithSdk(createFunction, {
      date: new Date('2001-01-01T00:00:00Z'),
      secretAccessKey: 'any',
    });
    expect(verifySigV4(req)).toMatchObject({
      ok: true,
      anonymous: false,
      verified: false,
      accessKeyId: 'AKIDEXAMPLE',
    });
    expect(verifySigV4(req, { credentials: new Map() })).toMatchObject({ ok: true, verified: false });
  });

  it('accepts unsigned requests as anonymous', () => {
    expect(verifySigV4({ method: 'GET', path: '/', query: '', headers: {}, body: Buffer.alloc(0) })).toEqual({
      ok: true,
      anonymous: true,
      verified: false,
    });
  });

  it.each([
    [
      'Bearer abc.def',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc.def",
    ],
    [
      'AWS4-HMAC-SHA256 Credential=AKID /20240501/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab',
      "'/20240501/us-east-1/lambda/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=AKID /20240501/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab'.",
    ],
    [
      'AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab',
      "Credential should be of the form '<AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request', got 'AKID/20240501/us-east-1/aws4_request'.",
    ],
    [
      'AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/lambda/aws4_request, SignedHeaders=x-amz-date, Signature=ab',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    ],
  ])('refuses the malformed header %j with 400 IncompleteSignatureException', (authorization, message) => {
    const headers = { authorization, 'x-amz-date': '20240501T120000Z', host: 'h' };
    expect(verifySigV4({ method: 'GET', path: '/', query: '', headers, body: Buffer.alloc(0) })).toEqual({
      ok: false,
      status: 400,
      errorType: 'IncompleteSignatureException',
      message,
    });
  });

  it('takes the signing time from the Date header when X-Amz-Date is absent', () => {
    const headers = {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/lambda/aws4_request, SignedHeaders=date;host, Signature=ab',
      date: 'Wed, 01 May 2024 12:00:00 GMT',
      host: 'h',
    };
    expect(
      verifySigV4({ method: 'GET', path: '/', query: '', headers, body: Buffer.alloc(0) }),
    ).toMatchObject({
      ok: true,
      accessKeyId: 'AKID',
    });
    const nextDay = { ...headers, date: 'Thu, 02 May 2024 12:00:00 GMT' };
    expect(
      verifySigV4({ method: 'GET', path: '/', query: '', headers: nextDay, body: Buffer.alloc(0) }),
    ).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('reports a missing date together with the other missing parts', () => {
    const headers = {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/lambda/aws4_request',
    };
    expect(
      verifySigV4({ method: 'GET', path: '/', query: '', headers, body: Buffer.alloc(0) }),
    ).toMatchObject({
      status: 400,
      message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKID/20240501/us-east-1/lambda/aws4_request",
    });
  });
});

describe('renderers', () => {
  const failure = {
    ok: false as const,
    status: 403 as const,
    errorType: 'UnrecognizedClientException' as const,
    message: 'The security token included in the request is invalid.',
  };
  it('renders the Lambda shape', () => {
    expect(renderSigV4Error(failure, 'lambda')).toEqual({
      status: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException' },
      body: '{"Type":"User","message":"The security token included in the request is invalid."}',
    });
  });
  it('renders the API Gateway shape', () => {
    expect(renderSigV4Error(failure, 'apigateway')).toEqual({
      status: 403,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException' },
      body: '{"message":"The security token included in the request is invalid."}',
    });
  });
});
