import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeDirFor } from '../../functions/index.js';
import { listAll } from '../../storage/index.js';
import type { ControlPlaneContext } from '../context.js';

/** The names `codeDirFor` gives: the first 32 hex digits of the package's SHA-256. */
const CODE_DIR_NAME = /^[0-9a-f]{32}$/;

/**
 * Removes unpacked code directories (`<dataDir>/code/<hash>`) that no stored function, no published
 * version and no function of the config file uses any more: old `UpdateFunctionCode` packages,
 * deleted functions and versions. The store drops such packages itself; their unpacked copies stayed
 * on disk. Run once at start, before any environment runs: an environment that is still finishing an
 * invocation keeps reading its directory after its code changed, so a sweep while serving could pull
 * files from under it. Returns the names removed.
 */
export async function sweepUnusedCode(ctx: ControlPlaneContext): Promise<string[]> {
  const keep = new Set<string>();
  for (const def of await listAll((p) => ctx.store.functions.list(p))) {
    keep.add(resolve(def.codeDir));
    if (def.codeSha256 !== undefined) keep.add(codeDirFor(ctx.dataDir, def.codeSha256));
    for (const v of await listAll((p) => ctx.store.versions.list(def.functionName, p)))
      keep.add(codeDirFor(ctx.dataDir, v.code.sha256));
  }
  // From here on without a pause, so a config reload cannot unpack a directory in between.
  for (const def of ctx.configModel().functions) keep.add(resolve(def.codeDir));
  const root = join(resolve(ctx.dataDir), 'code');
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!CODE_DIR_NAME.test(name) || keep.has(join(root, name))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
