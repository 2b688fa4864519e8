import { describe, expect, it } from 'vitest';
import { safeZipEntry } from './zip-extract.js';

describe('safeZipEntry', () => {
  it.each([
    ['index.js', 'index.js'],
    ['lib/a.js', 'lib/a.js'],
    ['lib/../a.js', 'a.js'],
    ['./a.js', 'a.js'],
    ['../a.js', undefined],
    ['lib/../../a.js', undefined],
    ['/etc/passwd', undefined],
    ['C:/x.js', undefined],
    ['a\\..\\b.js', undefined],
    ['a\0b', undefined],
  ])('%s -> %s', (name, expected) => {
    expect(safeZipEntry(name)).toBe(expected);
  });
});
