// Peer: the smallest sensible Node proxy — node:http server + an undici Pool, streaming both ways.
import http from 'node:http';
import { Pool } from 'undici';

const port = Number(process.env.PORT);
const upstream = process.env.UPSTREAM;
const pool = new Pool(upstream, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });
// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded.
const hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

const server = http.createServer(async (req, res) => {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (!hop.has(k)) headers[k] = v;
  try {
    const up = await pool.request({
      path: req.url,
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
    });
    const out = {};
    for (const [k, v] of Object.entries(up.headers)) if (!hop.has(k)) out[k] = v;
    res.writeHead(up.statusCode, out);
    for await (const chunk of up.body) res.write(chunk);
    res.end();
  } catch (err) {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(err.message));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
