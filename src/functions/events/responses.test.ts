import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseResponseV1, parseResponseV2 } from './index.js';
import type { ProxyApiFlavour, ProxyResponseResult } from './index.js';

type ExpectedResult =
  | { ok: true; statusCode: number; headers: Array<[string, string]>; body?: string; bodyBase64?: string }
  | { ok: false; reason: string; status: number };

interface ResponseCase {
  name: string;
  flavour?: ProxyApiFlavour;
  binaryMediaTypes?: string[];
  accept?: string;
  payload?: unknown;
  payloadText?: string;
  expected: ExpectedResult;
}

function load(file: string): ResponseCase[] {
  const text = readFileSync(new URL(`./fixtures/responses/${file}`, import.meta.url), 'utf8');
  return (JSON.parse(text) as { cases: ResponseCase[] }).cases;
}

function payloadOf(c: ResponseCase): Buffer {
  return Buffer.from(c.payloadText ?? JSON.stringify(c.payload), 'utf8');
}

function expectedResult(expected: ExpectedResult): ProxyResponseResult {
  if (!expected.ok) return expected;
  const body =
    expected.bodyBase64 !== undefined
      ? Buffer.from(expected.bodyBase64, 'base64')
      : Buffer.from(expected.body ?? '', 'utf8');
  return { ok: true, statusCode: expected.statusCode, headers: expected.headers, body };
}

describe('parseResponseV1 (fixtures/responses/v1.json)', () => {
  it.each(load('v1.json'))('$name', (c) => {
    const result = parseResponseV1(payloadOf(c), {
      flavour: c.flavour ?? 'REST',
      binaryMediaTypes: c.binaryMediaTypes,
      accept: c.accept,
    });
    expect(result).toStrictEqual(expectedResult(c.expected));
  });
});

describe('parseResponseV2 (fixtures/responses/v2.json)', () => {
  it.each(load('v2.json'))('$name', (c) => {
    expect(parseResponseV2(payloadOf(c))).toStrictEqual(expectedResult(c.expected));
  });
});
