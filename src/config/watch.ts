import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** A running watch of the config file. */
export interface ConfigWatcher {
  close(): void;
}

/**
 * Calls `onChange` (debounced) when the file changes. Watches the directory, not the file, so
 * editors that replace the file (write temp + rename) keep being seen.
 */
export function watchConfigFile(file: string, onChange: () => void, debounceMs = 150): ConfigWatcher {
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
  } catch {
    watcher = undefined;
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
