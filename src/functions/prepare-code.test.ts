import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareCode } from './prepare-code.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('prepareCode', () => {
  it('returns a directory as is and unpacks a zip into the data dir once', () => {
    dir = mkdtempSync(join(tmpdir(), 'portico-zip-'));
    expect(prepareCode(dir, join(dir, 'data'))).toBe(dir);
    const zip = join(dir, 'fn.zip');
    writeFileSync(
      zip,
      zipSync({
        'index.js': strToU8('exports.handler = 1'),
        'lib/': {},
        'lib/a.js': strToU8('a'),
        bootstrap: strToU8('#!/bin/sh'),
      }),
    );
    const out = prepareCode(zip, join(dir, 'data'));
    expect(out.startsWith(join(dir, 'data', 'code'))).toBe(true);
    expect(readFileSync(join(out, 'index.js'), 'utf8')).toBe('exports.handler = 1');
    expect(readFileSync(join(out, 'lib', 'a.js'), 'utf8')).toBe('a');
    expect(statSync(join(out, 'bootstrap')).mode & 0o111).toBe(0o111);
    expect(prepareCode(zip, join(dir, 'data'))).toBe(out);
  });

  it.each([['../evil.js'], ['a/../../evil.js'], ['/etc/evil'], ['C:/evil']])(
    'rejects the unsafe entry %s',
    (name) => {
      dir = mkdtempSync(join(tmpdir(), 'portico-zip-'));
      const zip = join(dir, 'bad.zip');
      writeFileSync(zip, zipSync({ [name]: strToU8('x') }));
      expect(() => prepareCode(zip, join(dir, 'data'))).toThrow(`Unsafe zip entry: ${name}`);
      expect(existsSync(join(dir, 'evil.js'))).toBe(false);
    },
  );
});
