// `npm start`: starts the example "pets" service on 127.0.0.1:3000, then Portico in front of it.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { main } from '../../dist/cli/main.js';

const pets = [
  { id: 1, name: 'Rex', type: 'dog' },
  { id: 2, name: 'Tom', type: 'cat' },
];

const backend = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const m = /^\/pets(?:\/(\d+))?$/.exec(url.pathname);
  if (m && req.method === 'GET' && m[1] === undefined) return send(200, pets);
  if (m && req.method === 'GET') {
    const pet = pets.find((p) => p.id === Number(m[1]));
    return pet
      ? send(200, { ...pet, servedFor: req.headers['x-portico-stage'] })
      : send(404, { message: 'no such pet' });
  }
  if (m && req.method === 'POST' && m[1] === undefined) {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        const pet = { id: pets.length + 1, ...JSON.parse(body || '{}') };
        pets.push(pet);
        send(201, pet);
      } catch {
        send(400, { message: 'body must be JSON' });
      }
    });
    return;
  }
  send(200, {
    service: 'pets',
    method: req.method,
    path: url.pathname,
    query: url.search,
    forwardedFor: req.headers['x-forwarded-for'],
  });
});

const backendPort = 3000; // portico.yaml points its stage variables here
backend.listen(backendPort, '127.0.0.1', async () => {
  process.stderr.write(`example pets service on http://127.0.0.1:${backendPort}\n`);
  const config = fileURLToPath(new URL('./portico.yaml', import.meta.url));
  const code = await main(['start', '--config', config, ...process.argv.slice(2)]);
  backend.close();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
});
