import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';

/** The relative path of a zip entry, or undefined when it is absolute or climbs out with `..`. */
export function safeZipEntry(name: string): string | undefined {
  if (name.includes('\0') || name.includes('\\') || isAbsolute(name) || /^[a-zA-Z]:/.test(name))
    return undefined;
  const rel = normalize(name);
  if (rel.split(sep).includes('..')) return undefined;
  return rel;
}

/** Where a package is unpacked: `<dataDir>/code/<hex sha256, 32 chars>`, from its base64 SHA-256. */
export function codeDirFor(dataDir: string, sha256Base64: string): string {
  const hex = Buffer.from(sha256Base64, 'base64').toString('hex').slice(0, 32);
  return join(resolve(dataDir), 'code', hex);
}

/** How `unpackZipOnce` reports a package it cannot unpack. */
export interface UnpackErrors {
  /** The zip does not inflate (default: fflate's own error). */
  unreadable?: (err: unknown) => Error;
  /** An entry would be written outside the directory (default: `Unsafe zip entry: <name>`). */
  unsafe?: (name: string) => Error;
}

/**
 * Unpacks a zip into `target` unless it is there already (content-addressed directories never change).
 * A staging directory is renamed into place, so a crash never leaves a half-written directory behind;
 * entries that would escape it (`../`, absolute paths) are refused, symlink entries become plain files.
 */
export function unpackZipOnce(zip: Uint8Array, target: string, errors: UnpackErrors = {}): string {
  if (existsSync(target)) return target;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (err) {
    throw errors.unreadable ? errors.unreadable(err) : err;
  }
  const staging = `${target}.tmp-${randomUUID()}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const [name, data] of Object.entries(files)) {
      const rel = safeZipEntry(name);
      if (rel === undefined) {
        throw errors.unsafe ? errors.unsafe(name) : new Error(`Unsafe zip entry: ${name}`);
      }
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
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another caller unpacked the same content first: theirs is identical.
      if (!existsSync(target)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}
