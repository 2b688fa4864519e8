// The proxy targets: how to start each one in front of the backend, and the URL to load.
import { writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild, waitFor, probe, freePort, which } from './proc.js';
import { ensurePorticoBuilt, startPortico, proxyConfigYaml } from './portico.js';

const TARGETS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'targets');
const PATH = '/bench';

/** Start a node script from bench/targets as a child and wait until `url` answers 200. */
async function startNodeTarget(name, script, { cpus, upstream, profileOut }) {
  const port = await freePort();
  const prof = profileOut ? profiling(profileOut) : { nodeFlags: [], env: {} };
  const handle = startChild({
    name,
    cmd: process.execPath,
    args: [...prof.nodeFlags, join(TARGETS_DIR, script)],
    cpus,
    env: { PORT: String(port), UPSTREAM: upstream, ...prof.env },
  });
  return {
    handle,
    url: `http://127.0.0.1:${port}${PATH}`,
    ...(profileOut ? profileWindow(handle, profileOut) : {}),
  };
}

function nginxConf({ dir, port, backendPort }) {
  return `worker_processes 1;
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 100000;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/**
 * Every target of the proxy benchmark, in run order. `skip()` returns a reason when the target cannot
 * run on this machine; `start()` returns { handle, url } once the target is serving.
 */
export function proxyTargets({ backend, workDir, cpus, porticoAccessLog, profile }) {
  // profile = { target, out }: that one Node target runs with the window profiler preloaded.
  const profileOut = (name) => (profile && profile.target === name ? profile.out : null);
  const upstream = `http://127.0.0.1:${backend.port}`;
  return [
    {
      name: 'direct',
      description: 'node:http backend, no proxy',
      skip: () => null,
      // The measured process is the backend itself.
      start: async () => ({ handle: backend.handle, url: `${upstream}${PATH}`, shared: true }),
    },
    {
      name: 'portico',
      description: 'Portico HTTP API, ANY /{proxy+} HTTP_PROXY, access log on',
      skip: async () => ensurePorticoBuilt(),
      start: async () => {
        const dir = join(workDir, 'portico');
        const p = await startPortico({
          configYaml: proxyConfigYaml(backend.port),
          workDir: dir,
          cpus,
          accessLogFile: porticoAccessLog === 'null' ? '/dev/null' : join(dir, 'access.log'),
          ...(profileOut('portico') ? profiling(profileOut('portico')) : {}),
        });
        return {
          handle: p.handle,
          url: `${p.baseUrl}${PATH}`,
          accessLog: porticoAccessLog,
          ...(profileOut('portico') ? profileWindow(p.handle, profileOut('portico')) : {}),
        };
      },
    },
    {
      name: 'nginx',
      description: 'nginx, 1 worker, upstream keepalive, access log on',
      skip: () => (which('nginx') ? null : 'nginx not installed (apt-get install nginx)'),
      start: async () => {
        const dir = join(workDir, 'nginx');
        mkdirSync(dir, { recursive: true });
        const port = await freePort();
        writeFileSync(join(dir, 'nginx.conf'), nginxConf({ dir, port, backendPort: backend.port }));
        const handle = startChild({
          name: 'nginx',
          cmd: which('nginx'),
          args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
          cpus,
        });
        return { handle, url: `http://127.0.0.1:${port}${PATH}` };
      },
    },
    {
      name: 'http-proxy',
      description: 'http-proxy 1.18 + keep-alive agent',
      skip: () => null,
      start: () =>
        startNodeTarget('http-proxy', 'http-proxy.js', {
          cpus,
          upstream,
          profileOut: profileOut('http-proxy'),
        }),
    },
    {
      name: '@fastify/http-proxy',
      description: 'fastify 5 + @fastify/http-proxy 11 (undici)',
      skip: () => null,
      start: () =>
        startNodeTarget('@fastify/http-proxy', 'fastify-http-proxy.js', {
          cpus,
          upstream,
          profileOut: profileOut('@fastify/http-proxy'),
        }),
    },
    {
      name: 'fast-gateway',
      description: 'fast-gateway 3 (restana + fast-proxy-lite)',
      skip: () => null,
      start: () =>
        startNodeTarget('fast-gateway', 'fast-gateway.js', {
          cpus,
          upstream,
          profileOut: profileOut('fast-gateway'),
        }),
    },
    {
      name: 'node+undici',
      description: 'bare node:http server + undici Pool',
      skip: () => null,
      start: () =>
        startNodeTarget('node+undici', 'undici-proxy.js', {
          cpus,
          upstream,
          profileOut: profileOut('node+undici'),
        }),
    },
  ];
}

const PRELOAD = resolve(dirname(fileURLToPath(import.meta.url)), 'profile-preload.js');

/** Node flags + env that load the SIGUSR2-driven profiler into a gateway. */
export function profiling(out) {
  return { nodeFlags: ['--import', PRELOAD], env: { BENCH_PROFILE_OUT: out } };
}

/** Measure hooks: profile exactly the measured window, wait until the profile is on disk. */
export function profileWindow(handle, out) {
  return {
    profileOut: out,
    onWindowStart: async () => {
      rmSync(out, { force: true });
      process.kill(handle.pid, 'SIGUSR2');
    },
    onWindowEnd: async () => {
      process.kill(handle.pid, 'SIGUSR2');
      await waitFor(() => existsSync(out), { timeoutMs: 30000, what: `profile ${out}` });
    },
  };
}

/** Wait until `url` answers 200 with the backend's body (proves the target really proxies). */
export async function waitServing(handle, url, expectedBody) {
  let exited = false;
  handle.exited.then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`${handle.name} exited: ${handle.stderr()}`);
      const r = await probe(url);
      if (r.status === 200 && r.body !== expectedBody) {
        throw new Error(`${handle.name} answered 200 with an unexpected body: ${r.body.slice(0, 200)}`);
      }
      return r.status === 200;
    },
    { timeoutMs: 20000, what: `${handle.name} at ${url}` },
  );
}
