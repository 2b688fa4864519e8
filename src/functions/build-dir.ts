import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * This process's directory for compiled TypeScript handlers, `<root>/<pid>`. Compiled output is
 * never reused by a later process (each compile has its own name), so the directories of processes
 * that are gone are removed here; those of live processes (another Portico on the same data dir) stay.
 * Directories of the earlier layout (`<root>/<function>`) are removed too.
 */
export function claimBuildDir(root: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // No builds yet.
  }
  for (const name of names) {
    if (/^\d+$/.test(name) && alive(Number(name))) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
  return join(root, String(process.pid));
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
