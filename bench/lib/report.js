// Printing the comparison table and writing results JSON.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileTables, summarise } from '../profile-summary.js';

const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results');

const fmt = {
  int: (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-'),
  ms: (us) => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '-'),
  f1: (n) => (Number.isFinite(n) ? n.toFixed(1) : '-'),
  f2: (n) => (Number.isFinite(n) ? n.toFixed(2) : '-'),
  ratio: (n) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '-'),
  pct: (n) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '-'),
};
export { fmt };

/** Render rows (array of arrays of strings) as an aligned plain-text / markdown table. */
export function table(header, rows) {
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) =>
    `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' | ')} |`;
  const sep = `|${w.map((n, i) => (i === 0 ? `:${'-'.repeat(n + 1)}` : `${'-'.repeat(n + 1)}:`)).join('|')}|`;
  return [line(header), sep, ...rows.map(line)].join('\n');
}

/** The standard results table; `ref` is the result whose req/s is 1.00x. */
export function resultsTable(results, ref) {
  const header = [
    'target',
    'req/s',
    'x direct',
    'p50 ms',
    'p99 ms',
    'CPU µs/req',
    'req/s per core',
    'CPU',
    'RSS MB',
    'HWM MB',
    'errors',
  ];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, `skipped: ${r.skipped}`, '', '', '', '', '', '', '', '', '']
      : [
          r.name,
          fmt.int(r.rps),
          fmt.ratio(ref ? r.rps / ref.rps : NaN),
          fmt.ms(r.p50us),
          fmt.ms(r.p99us),
          fmt.int(r.cpuPerReqUs),
          fmt.int(1e6 / r.cpuPerReqUs),
          fmt.pct(r.cpuUtil),
          fmt.f1(r.rssMaxMb),
          fmt.f1(r.hwmMb),
          String(r.non2xx + r.errors),
        ],
  );
  return table(header, rows);
}

/** Write `data` as bench/results/<kind>-<timestamp>.json; returns the path. */
export function writeResults(kind, data) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/**
 * The end of a run: prints the CPU profile of the measured window when one was taken
 * (`profiledRequests` = requests of the profiled target's last round) and writes the results file.
 */
export function finishRun(
  kind,
  { profileOut, profileTarget, profiledRequests, machine, gen, settings, porticoAccessLog, results },
) {
  let profile = null;
  if (profileOut && existsSync(profileOut)) {
    profile = summarise(JSON.parse(readFileSync(profileOut, 'utf8')), 30);
    console.log(`\nCPU profile of ${profileTarget} over the measured window: ${profileOut}`);
    console.log(profileTables(profile, 20, profiledRequests));
  }
  const file = writeResults(kind, {
    date: new Date().toISOString(),
    machine,
    loadgen: { name: gen.name, version: gen.version },
    settings: { ...settings, porticoAccessLog, profiled: profileTarget },
    results,
    profile,
  });
  console.log(`results: ${file}`);
}
