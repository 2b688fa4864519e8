// The measurement loop both benches share: skip checks, then rounds over every target in a rotating
// order (so a noisy stretch of time does not always hit the same target), each target started fresh
// and stopped after its window.

/**
 * Runs `rounds` rounds. `measureTarget(target, started, entry)` measures one started target and
 * returns `{ result, line }`; it may keep extra per-round data on `entry`. Returns a Map
 * name -> { target, rounds, skipped, ... }.
 */
export async function runRounds(targets, rounds, measureTarget) {
  const state = new Map(targets.map((t) => [t.name, { target: t, rounds: [], skipped: null }]));
  for (const t of targets) {
    const reason = await t.skip();
    if (reason) {
      state.get(t.name).skipped = reason;
      console.log(`skip ${t.name}: ${reason}`);
    }
  }
  for (let round = 1; round <= rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round - 1) % targets.length]);
    for (const t of order) {
      const entry = state.get(t.name);
      if (entry.skipped) continue;
      let started;
      try {
        started = await t.start();
        const { result, line } = await measureTarget(t, started, entry);
        entry.rounds.push(result);
        console.log(`  [${round}/${rounds}] ${line}`);
      } catch (err) {
        entry.skipped = `failed: ${err.message.split('\n')[0]}`;
        console.log(`  ${t.name} failed: ${err.message}`);
      } finally {
        // A shared target (the direct backend) outlives the round.
        if (started && !started.shared) await started.handle.stop();
      }
    }
  }
  return state;
}

/** The throughput part of a round's progress line. */
export function roundSummary(r) {
  return (
    `${Math.round(r.rps)} req/s, p99 ${(r.p99us / 1000).toFixed(2)} ms, ${Math.round(r.cpuPerReqUs)} µs CPU/req` +
    (r.non2xx + r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} socket errors` : '')
  );
}
