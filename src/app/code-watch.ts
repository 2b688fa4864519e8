import { watch, type FSWatcher } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FunctionDef } from '../model/types.js';

/** Watches of config-file functions' code directories. */
export interface CodeWatcher {
  /** Watches exactly these functions' directories from now on. */
  update(functions: readonly FunctionDef[]): void;
  close(): void;
}

/**
 * Calls `onChange(functionName)` (debounced) when a file under a config-file function's code
 * directory changes, so edited handler code answers on the next invocation without a restart
 * (the stale-code complaint about local emulators). Zipped code and functions created through the
 * control plane live in the data dir and are not watched; changes inside the data dir (compiled
 * TypeScript, logs) are ignored even when it sits inside a code directory.
 */
export function createCodeWatcher(
  dataDir: string,
  onChange: (functionName: string) => void,
  debounceMs = 100,
): CodeWatcher {
  const data = resolve(dataDir);
  const watchers = new Map<string, { dir: string; watcher: FSWatcher | undefined }>();
  const timers = new Map<string, NodeJS.Timeout>();

  const fire = (name: string): void => {
    const t = timers.get(name);
    if (t) clearTimeout(t);
    const timer = setTimeout(() => {
      timers.delete(name);
      onChange(name);
    }, debounceMs);
    timer.unref();
    timers.set(name, timer);
  };

  const start = (name: string, dir: string): FSWatcher | undefined => {
    try {
      return watch(dir, { recursive: true, persistent: false }, (_event, file) => {
        if (file !== null && isInside(join(dir, file.toString()), data)) return;
        fire(name);
      });
    } catch {
      return undefined; // a directory that cannot be watched still works, it just doesn't reload
    }
  };

  return {
    update(functions) {
      const wanted = new Map<string, string>();
      for (const fn of functions) {
        if (fn.source !== 'config') continue;
        const dir = resolve(fn.codeDir);
        if (isInside(dir, data)) continue;
        wanted.set(fn.functionName, dir);
      }
      for (const [name, w] of watchers) {
        if (wanted.get(name) === w.dir) continue;
        w.watcher?.close();
        watchers.delete(name);
      }
      for (const [name, dir] of wanted) {
        if (!watchers.has(name)) watchers.set(name, { dir, watcher: start(name, dir) });
      }
    },
    close() {
      for (const w of watchers.values()) w.watcher?.close();
      watchers.clear();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
