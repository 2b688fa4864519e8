import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  chmodSync,
  existsSync,
  rmSync,
  renameSync,
} from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';

/**
 * Returns the code directory of a function: a directory as is, or a `.zip` unpacked (once per content
 * hash) into `<dataDir>/code/<sha>`. Entries that would escape the directory (`../`, absolute paths) are
 * rejected (symlink entries are written as plain files).
 */
export function prepareCode(pathOrZip: string, dataDir: string): string {
  const abs = resolve(pathOrZip);
  if (statSync(abs).isDirectory()) return abs;
  const zip = readFileSync(abs);
  const sha = createHash('sha256').update(zip).digest('hex').slice(0, 32);
  const target = join(resolve(dataDir), 'code', sha);
  if (existsSync(target)) return target;
  const files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength));
  const staging = `${target}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  for (const [name, data] of Object.entries(files)) {
    const rel = safeEntry(name);
    const dest = join(staging, rel);
    if (name.endsWith('/')) {
      mkdirSync(dest, { recursive: true });
      continue;
    }
    mkdirSync(join(dest, '..'), { recursive: true });
    writeFileSync(dest, data);
    // Zips made on Linux usually keep the exec bit in the external attributes, which fflate does not
    // expose; custom runtimes need `bootstrap` to be executable, so mark it (and bin/ helpers) so.
    if (rel === 'bootstrap' || rel.endsWith('.sh') || rel.startsWith(`bin${sep}`)) chmodSync(dest, 0o755);
  }
  renameSync(staging, target);
  return target;
}

function safeEntry(name: string): string {
  if (name.includes('\0') || name.includes('\\') || isAbsolute(name) || /^[a-zA-Z]:/.test(name)) {
    throw new Error(`Unsafe zip entry: ${name}`);
  }
  const rel = normalize(name);
  if (rel === '..' || rel.startsWith(`..${sep}`) || rel.split(sep).includes('..')) {
    throw new Error(`Unsafe zip entry: ${name}`);
  }
  return rel;
}
