// Preloaded (node --import) into a gateway under test: SIGUSR2 starts the V8 CPU profiler, the next
// SIGUSR2 stops it and writes BENCH_PROFILE_OUT. Lets the bench profile exactly the measured window.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_PROFILE_OUT;
const session = new Session();
session.connect();
const post = (method, params = {}) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))),
  );

await post('Profiler.enable');
await post('Profiler.setSamplingInterval', {
  interval: Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 500),
});
let running = false;
process.on('SIGUSR2', () => {
  running = !running;
  if (running) {
    post('Profiler.start');
    return;
  }
  post('Profiler.stop').then(({ profile }) => writeFileSync(out, JSON.stringify(profile)));
});
