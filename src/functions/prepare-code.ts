import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { codeDirFor, unpackZipOnce } from './zip-extract.js';

/**
 * Returns the code directory of a function: a directory as is, or a `.zip` unpacked (once per content
 * hash) into `<dataDir>/code/<sha>`. Entries that would escape the directory (`../`, absolute paths) are
 * rejected (symlink entries are written as plain files).
 */
export function prepareCode(pathOrZip: string, dataDir: string): string {
  const abs = resolve(pathOrZip);
  if (statSync(abs).isDirectory()) return abs;
  const zip = readFileSync(abs);
  const target = codeDirFor(dataDir, createHash('sha256').update(zip).digest('base64'));
  return unpackZipOnce(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength), target);
}
