// The upstream every target forwards to: plain node:http, keep-alive, a small fixed JSON body.
import http from 'node:http';

const port = Number(process.env.PORT ?? 0);
// ~100 bytes, like a small API reply; BODY=hello makes it the function bench's plain-text reference.
const contentType = process.env.BODY ? 'text/plain' : 'application/json';
const body = Buffer.from(
  process.env.BODY ??
    JSON.stringify({
      ok: true,
      service: 'bench-backend',
      message: 'hello from the upstream',
      items: [1, 2, 3],
    }),
);

const server = http.createServer((req, res) => {
  // Drain any request body so the keep-alive connection stays usable.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(body);
  });
});
// Longer than any proxy's pool idle timeout, so upstream keep-alive sockets are never closed under a proxy.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
