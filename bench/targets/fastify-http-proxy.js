// Peer: fastify + @fastify/http-proxy (reply-from, undici by default), logger off.
import Fastify from 'fastify';
import proxy from '@fastify/http-proxy';

const port = Number(process.env.PORT);
const upstream = process.env.UPSTREAM;
const app = Fastify({ logger: false, keepAliveTimeout: 65_000 });
await app.register(proxy, { upstream, undici: { connections: 128, pipelining: 1 } });
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening ${port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
