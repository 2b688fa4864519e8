// Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time by area and the top functions.
// Usage: node profile-summary.js <file.cpuprofile> [topN] [requests in the profiled window]
import { readFileSync } from 'node:fs';
import { resolve, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Which area a script URL belongs to. Empty URLs (native bindings) inherit their caller's area. */
export function areaOf(url, functionName) {
  if (!url) {
    if (functionName === '(garbage collector)') return 'gc';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'native (program)';
    // The socket write syscalls show up as these bindings' self time.
    // fs.writeSync (the access log on a file) uses writeBuffer/writeString too: see summarise().
    if (/^(writev|writeBuffer|writeString|write(Latin1|Utf8|Ascii|UCS2)String)$/.test(functionName))
      return 'write';
    return null;
  }
  // undici parses HTTP/1.1 with llhttp compiled to wasm; node:http uses the native llhttp.
  if (url.startsWith('wasm://')) return 'undici';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.includes('/node_modules/')) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const pkg = m ? m[1] : 'node_modules';
    return pkg === 'undici' ? 'undici' : `dep: ${pkg}`;
  }
  if (path.startsWith(REPO_ROOT)) {
    const rel = relative(REPO_ROOT, path);
    if (/observability|access-log|logger/.test(rel)) return 'logging (portico)';
    const m = /^dist\/([^/]+)/.exec(rel);
    return m ? `portico: ${m[1]}` : `other: ${rel}`;
  }
  if (/^node:(_http_|http$|internal\/http)/.test(path)) return 'node:http';
  if (/^node:internal\/deps\/undici/.test(path)) return 'undici (node built-in fetch)';
  if (/^node:internal\/fs\/(sync_write_stream|streams)|^node:fs$|^node:internal\/fs\/utils/.test(path))
    return 'logging (fs write)';
  if (/^node:(net|internal\/net|internal\/stream_base_commons|stream|internal\/streams)/.test(path))
    return 'node:net + streams';
  if (/^node:internal\/(process\/task_queues|timers|async_hooks)|^node:timers/.test(path))
    return 'node: event loop / timers / promises';
  if (path.startsWith('node:')) return 'node: other';
  return 'other';
}

/** Self time (ms) per node id, from samples + timeDeltas. */
function selfTimes(profile) {
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; attribute the next delta to sample i.
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  return self;
}

/** Summarise a parsed profile: { totalMs, busyMs, areas: [{area, ms, pct}], top: [...] }. */
export function summarise(profile, topN = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaCache = new Map();
  const area = (id) => {
    if (areaCache.has(id)) return areaCache.get(id);
    const n = byId.get(id);
    let a = areaOf(n.callFrame.url, n.callFrame.functionName);
    const up = () => (parent.has(id) ? area(parent.get(id)) : 'native (program)');
    if (a === 'write') a = up().startsWith('logging') ? up() : 'socket write (syscall)';
    else if (a === null) a = up();
    areaCache.set(id, a);
    return a;
  };
  const self = selfTimes(profile);
  let totalMs = 0;
  let idleMs = 0;
  const areas = new Map();
  const fns = new Map();
  for (const [id, ms] of self) {
    totalMs += ms;
    const a = area(id);
    if (a === 'idle') {
      idleMs += ms;
      continue;
    }
    areas.set(a, (areas.get(a) ?? 0) + ms);
    const cf = byId.get(id).callFrame;
    const loc = cf.url
      ? `${cf.url.replace(`file://${REPO_ROOT}/`, '').replace(/^.*node_modules\//, '')}:${cf.lineNumber + 1}`
      : '(native)';
    const key = `${cf.functionName || '(anonymous)'} ${loc}`;
    const f = fns.get(key) ?? { fn: cf.functionName || '(anonymous)', loc, area: a, ms: 0 };
    f.ms += ms;
    fns.set(key, f);
  }
  const busyMs = totalMs - idleMs;
  const pct = (ms) => (busyMs > 0 ? (ms / busyMs) * 100 : 0);
  return {
    totalMs,
    busyMs,
    areas: [...areas].map(([a, ms]) => ({ area: a, ms, pct: pct(ms) })).sort((x, y) => y.ms - x.ms),
    top: [...fns.values()]
      .sort((x, y) => y.ms - x.ms)
      .slice(0, topN)
      .map((f) => ({ ...f, pct: pct(f.ms) })),
  };
}

/** Markdown tables (areas, then the top functions); with `requests`, also µs of self time per request. */
export function profileTables(s, topN = 25, requests = 0) {
  const per = (ms) => (requests > 0 ? ` ${((ms * 1000) / requests).toFixed(1)} |` : '');
  const perH = requests > 0 ? ' µs/req |' : '';
  const perS = requests > 0 ? '--:|' : '';
  const lines = [`busy ${(s.busyMs / 1000).toFixed(1)} s of ${(s.totalMs / 1000).toFixed(1)} s sampled`, ''];
  lines.push(`| area | self ms | % of busy |${perH}`, `|:--|--:|--:|${perS}`);
  for (const a of s.areas) lines.push(`| ${a.area} | ${a.ms.toFixed(0)} | ${a.pct.toFixed(1)} |${per(a.ms)}`);
  lines.push('', `| function | where | area | self ms | % of busy |${perH}`, `|:--|:--|:--|--:|--:|${perS}`);
  for (const f of s.top.slice(0, topN))
    lines.push(`| ${f.fn} | ${f.loc} | ${f.area} | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |${per(f.ms)}`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node profile-summary.js <file.cpuprofile> [topN] [requests]');
    process.exit(2);
  }
  const topN = Number(process.argv[3] ?? 25);
  const requests = Number(process.argv[4] ?? 0);
  console.log(`profile: ${file}`);
  console.log(profileTables(summarise(JSON.parse(readFileSync(file, 'utf8')), topN), topN, requests));
}
