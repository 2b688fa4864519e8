import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Zippable, zipSync } from 'fflate';

/** Every entry gets this timestamp so the same files always make the same zip (and CodeSha256). */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

/** A deployment package: the zip bytes and their Lambda `CodeSha256` (base64 SHA-256). */
export interface CodePackage {
  zip: Buffer;
  sha256: string;
}

/** Lambda's `CodeSha256` of a package: base64 of the SHA-256 of the zip bytes (reference §5.2). */
export function codeSha256(zip: Buffer): string {
  return createHash('sha256').update(zip).digest('base64');
}

/**
 * Zips a function's code: a `.zip` file is used as is; a directory is zipped deterministically (sorted
 * entries, fixed timestamps, Unix modes kept so `bootstrap` stays executable), so an unchanged directory
 * gives an unchanged CodeSha256 and `portico deploy` can skip the upload.
 */
export async function packageCode(pathOrZip: string): Promise<CodePackage> {
  const info = await stat(pathOrZip);
  if (!info.isDirectory()) {
    const zip = await readFile(pathOrZip);
    return { zip, sha256: codeSha256(zip) };
  }
  const files: Zippable = {};
  for (const rel of await listFiles(pathOrZip, '')) {
    const abs = join(pathOrZip, rel);
    const [data, st] = await Promise.all([readFile(abs), stat(abs)]);
    files[rel] = [
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      // External attributes: regular file type and permission bits in the high 16 bits (os 3 = Unix).
      { os: 3, attrs: ((0o100000 | (st.mode & 0o777)) << 16) >>> 0, mtime: FIXED_MTIME },
    ];
  }
  const zip = Buffer.from(zipSync(files, { level: 6, mtime: FIXED_MTIME }));
  return { zip, sha256: codeSha256(zip) };
}

/** Relative paths (with `/`) of the regular files under `dir`, sorted; symlinks are followed. */
async function listFiles(root: string, rel: string): Promise<string[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const isDir = entry.isSymbolicLink()
      ? (await stat(join(root, child))).isDirectory()
      : entry.isDirectory();
    if (isDir) out.push(...(await listFiles(root, child)));
    else if (entry.isFile() || entry.isSymbolicLink()) out.push(child);
  }
  return out;
}
