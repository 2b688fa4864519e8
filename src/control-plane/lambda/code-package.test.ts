import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { codeDirFor, prepareCode } from '../../functions/index.js';
import { LambdaServiceError } from '../../functions/errors.js';
import { decodeZipFile, unpackZip } from './code-package.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const b64 = (zip: Uint8Array): string => Buffer.from(zip).toString('base64');
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'portico-code-'));
  dirs.push(d);
  return d;
};

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function refusal(fn: () => unknown): { name: string; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LambdaServiceError);
    return { name: (err as LambdaServiceError).name, message: (err as LambdaServiceError).message };
  }
  throw new Error('expected a refusal');
}

describe('decodeZipFile', () => {
  it('returns the bytes with their Lambda reference', () => {
    const zip = zipSync({ 'index.js': text('exports.handler = () => 1;') });
    const pkg = decodeZipFile(b64(zip), 'CreateFunction');
    expect(pkg.ref).toEqual({ sha256: createHash('sha256').update(zip).digest('base64'), size: zip.length });
    expect(Buffer.compare(pkg.zip, Buffer.from(zip))).toBe(0);
  });

  it.each([
    [
      'not base64 at all!',
      'InvalidRequestContentException',
      'Could not parse request body into json: ZipFile is not valid base64',
    ],
    [
      b64(text('plain text, not a zip')),
      'InvalidParameterValueException',
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    ],
    [
      b64(zipSync({ 'x/../../up.js': text('1') })),
      'InvalidParameterValueException',
      "Could not unzip uploaded file: entry 'x/../../up.js' would be written outside the function's code directory.",
    ],
  ])('refuses %s', (input, name, message) => {
    expect(refusal(() => decodeZipFile(input, 'UpdateFunctionCode'))).toEqual({ name, message });
  });

  it('refuses more than 50 MB from the base64 length, before decoding', () => {
    const justOver = 'A'.repeat(Math.ceil(((50 * 1024 * 1024 + 1) * 4) / 3 / 4) * 4);
    expect(refusal(() => decodeZipFile(justOver, 'UpdateFunctionCode'))).toEqual({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation',
    });
  });
});

describe('unpackZip', () => {
  it('unpacks once into the directory prepareCode uses for the same zip', () => {
    const data = tempDir();
    const zip = Buffer.from(
      zipSync({ 'index.js': text('A'), 'bin/tool': text('#!/bin/sh'), lib: { 'b.js': text('B') } }),
    );
    const dir = unpackZip(zip, data);
    const zipFile = join(tempDir(), 'code.zip');
    writeFileSync(zipFile, zip);
    expect(prepareCode(zipFile, data)).toBe(dir);
    expect(dir).toBe(codeDirFor(data, createHash('sha256').update(zip).digest('base64')));
    expect(readFileSync(join(dir, 'lib', 'b.js'), 'utf8')).toBe('B');
    expect(statSync(join(dir, 'bin', 'tool')).mode & 0o111).not.toBe(0);
    writeFileSync(join(dir, 'index.js'), 'changed');
    expect(unpackZip(zip, data)).toBe(dir);
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toBe('changed');
  });
});
