// What the numbers were measured on.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { which } from './proc.js';

function nginxVersion() {
  const bin = which('nginx');
  if (!bin) return null;
  try {
    // nginx -v prints to stderr
    return execFileSync('sh', ['-c', `${bin} -v 2>&1`])
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** nproc, CPU model, memory, kernel, Node and nginx versions. */
export function machineInfo() {
  let cpuModel = 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    // not Linux
  }
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc').toString().trim());
  } catch {
    // keep availableParallelism
  }
  return {
    nproc,
    cpuModel,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    nginx: nginxVersion(),
  };
}
