// Peer: fast-gateway (restana + fast-proxy-lite) with one catch-all route (prefix '' -> '/*').
import gateway from 'fast-gateway';

const port = Number(process.env.PORT);
const upstream = process.env.UPSTREAM;
const server = gateway({ routes: [{ prefix: '', target: upstream }] });
await server.start(port, '127.0.0.1');
process.stdout.write(`listening ${port}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
