import { describe, expect, it } from 'vitest';
import { UsageError } from './io.js';
import { startOptions } from './start.js';

describe('startOptions', () => {
  it('reads the function idle timeout in seconds, from the flag or the environment', () => {
    expect(startOptions(['--function-idle-timeout', '0.5'], {})).toStrictEqual({
      functions: { idleTimeoutMs: 500 },
    });
    expect(startOptions([], { PORTICO_FUNCTION_IDLE_TIMEOUT: '600' })).toStrictEqual({
      functions: { idleTimeoutMs: 600_000 },
    });
    for (const bad of ['0', '0.05', '-1', 'x', '', '86401']) {
      expect(() => startOptions([`--function-idle-timeout=${bad}`], {})).toThrow(
        new UsageError(`--function-idle-timeout must be seconds from 0.1 to 86400, got "${bad}"`),
      );
    }
  });

  it('keeps the log format and the function settings apart', () => {
    expect(
      startOptions(['--log-format', 'clf', '--no-spare-processes', '--function-idle-timeout', '2'], {}),
    ).toStrictEqual({
      accessLog: 'clf',
      functions: { spareProcesses: false, idleTimeoutMs: 2000 },
    });
    expect(startOptions(['--log-format', 'clf', '--no-access-log'], {})).toStrictEqual({ accessLog: false });
    expect(startOptions(['--log-format', 'clf'], {})).toStrictEqual({ accessLog: 'clf' });
  });
});
