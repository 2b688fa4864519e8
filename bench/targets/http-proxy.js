// Peer: http-proxy (node-http-proxy) with a keep-alive agent, the way it is deployed in production.
import http from 'node:http';
import httpProxy from 'http-proxy';

const port = Number(process.env.PORT);
const upstream = process.env.UPSTREAM;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const proxy = httpProxy.createProxyServer({ target: upstream, agent, xfwd: false });
proxy.on('error', (err, _req, res) => {
  if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
  res.end(String(err.message));
});
const server = http.createServer((req, res) => proxy.web(req, res));
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
