import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Lambda's Node handler string rules: `path/to/module.export[.nested]` — the module is everything up to
 * the first dot after the last slash, the rest names the (possibly nested) export
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html).
 */
export interface ParsedHandler {
  /** Absolute module path without extension. */
  moduleBase: string;
  /** The module as written in the handler string (for error messages). */
  moduleName: string;
  /** Export path, e.g. `['handler']` or `['handlers', 'main']`. */
  exportPath: string[];
}

/** Parses a handler string; `undefined` when malformed (`Runtime.MalformedHandlerName`). */
export function parseHandler(taskRoot: string, handler: string): ParsedHandler | undefined {
  const slash = handler.lastIndexOf('/');
  const dir = handler.slice(0, slash + 1);
  const m = /^([^.]*)\.(.*)$/.exec(handler.slice(slash + 1));
  if (!m || m[1] === undefined || m[2] === undefined || m[1] === '' || m[2] === '') return undefined;
  const moduleName = dir + m[1];
  return { moduleBase: resolve(taskRoot, moduleName), moduleName, exportPath: m[2].split('.') };
}

/** Extensions tried in order: the Lambda runtime's, then TypeScript (compiled on load by Portico). */
export const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;

/** The handler's file, or `undefined` when no candidate exists. */
export function findHandlerFile(moduleBase: string): string | undefined {
  for (const ext of HANDLER_EXTENSIONS) {
    if (existsSync(moduleBase + ext)) return moduleBase + ext;
  }
  return undefined;
}

/** True for files Portico compiles with esbuild before loading. */
export function isTypeScript(file: string): boolean {
  return /\.[mc]?ts$/.test(file);
}

/** ESM or CommonJS, as Node decides: extension first, then the nearest package.json `type`. */
export function moduleFormat(file: string): 'esm' | 'cjs' {
  if (/\.m[jt]s$/.test(file)) return 'esm';
  if (/\.c[jt]s$/.test(file)) return 'cjs';
  return packageType(dirname(file)) === 'module' ? 'esm' : 'cjs';
}

function packageType(startDir: string): string | undefined {
  let dir = startDir;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown };
        return typeof parsed.type === 'string' ? parsed.type : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
