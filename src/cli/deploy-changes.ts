/** One thing `portico deploy` did (or found already in place). */
export interface DeployChange {
  action: 'created' | 'updated' | 'deleted' | 'deployed' | 'skipped';
  /** `function`, `api`, `integration`, `route`, `stage`, `cors`. */
  kind: string;
  /** Name of the resource in the file (function name, api key, route key, ...). */
  name: string;
  /** The API the resource belongs to (file key), for nested resources. */
  api?: string;
  /** What changed, or why it was skipped. */
  detail?: string;
}

/** Collects changes as deploy applies them. */
export class ChangeLog {
  readonly changes: DeployChange[] = [];

  /** Records one change. */
  add(change: DeployChange): void {
    this.changes.push(change);
  }
}

/** The human summary of a deploy: one line per change, then counts (or "No changes."). */
export function renderChanges(changes: readonly DeployChange[]): string {
  const real = changes.filter((c) => c.action !== 'skipped');
  let out = '';
  for (const c of changes) {
    const where = c.api === undefined ? '' : `api ${c.api}: `;
    out += `${where}${c.kind} ${c.name}: ${c.action}${c.detail ? ` (${c.detail})` : ''}\n`;
  }
  if (real.length === 0) return `${out}No changes.\n`;
  const count = (a: DeployChange['action']): number => real.filter((c) => c.action === a).length;
  return `${out}${count('created')} created, ${count('updated')} updated, ${count('deleted')} deleted, ${count('deployed')} stage deployments.\n`;
}

/** Deep equality of JSON values where absent, `null`, `''`, `false` and `{}` / `[]` all mean "not set". */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

function normalize(v: unknown): unknown {
  if (v === null || v === undefined || v === '' || v === false) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) {
      const n = normalize((v as Record<string, unknown>)[key]);
      if (n !== undefined) out[key] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}
