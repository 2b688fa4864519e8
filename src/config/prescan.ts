import { readFile } from 'node:fs/promises';
import { CONFIG_DEFAULTS } from './to-model.js';

/** What a prescan reads of each function in a config file. */
export interface FunctionSketch {
  runtime: string;
  isolation?: string | undefined;
  memorySize: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The functions a config file declares (runtime, isolation, memory size with the file's defaults),
 * read before the gateway loads: only the YAML parser is needed, nothing is validated. `portico
 * start` uses it to boot spare processes while the gateway's modules load. A file that cannot be
 * read or parsed yields none (the real load reports it); a memory size out of range is left out.
 */
export async function prescanFunctions(file: string): Promise<FunctionSketch[]> {
  try {
    const [{ parse }, text] = await Promise.all([import('yaml'), readFile(file, 'utf8')]);
    const doc: unknown = parse(text);
    const functions = isRecord(doc) && isRecord(doc.functions) ? Object.values(doc.functions) : [];
    const out: FunctionSketch[] = [];
    for (const f of functions) {
      if (!isRecord(f)) continue;
      const memorySize = f.memorySize ?? CONFIG_DEFAULTS.functionMemory;
      if (typeof memorySize !== 'number' || !Number.isInteger(memorySize)) continue;
      if (memorySize < 128 || memorySize > 10240) continue;
      out.push({
        runtime: typeof f.runtime === 'string' ? f.runtime : CONFIG_DEFAULTS.runtime,
        isolation: typeof f.isolation === 'string' ? f.isolation : undefined,
        memorySize,
      });
    }
    return out;
  } catch {
    return [];
  }
}
