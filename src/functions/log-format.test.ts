import { describe, expect, it } from 'vitest';
import {
  appLine,
  billedDuration,
  closingLines,
  endLine,
  logStreamName,
  reportLine,
  startLine,
  timeoutMessage,
} from './log-format.js';

describe('CloudWatch log lines', () => {
  it('formats START, END and REPORT', () => {
    expect(startLine('id-1', '$LATEST')).toBe('START RequestId: id-1 Version: $LATEST\n');
    expect(endLine('id-1')).toBe('END RequestId: id-1\n');
    expect(
      reportLine('id-1', {
        durationMs: 128.834,
        memorySizeMB: 128,
        maxMemoryUsedMB: 74,
        initDurationMs: 166.624,
      }),
    ).toBe(
      'REPORT RequestId: id-1\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t\n',
    );
    expect(
      reportLine('id-2', {
        durationMs: 3000,
        memorySizeMB: 256,
        maxMemoryUsedMB: 256,
        status: 'timeout',
        errorType: 'Sandbox.Timedout',
      }),
    ).toBe(
      'REPORT RequestId: id-2\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 256 MB\tMax Memory Used: 256 MB\tStatus: timeout\tError Type: Sandbox.Timedout\t\n',
    );
  });

  it.each([
    [0, 1],
    [0.2, 1],
    [1, 1],
    [1.01, 2],
    [128.83, 129],
  ])('bills %s ms as %s ms', (d, billed) => {
    expect(billedDuration(d)).toBe(billed);
  });

  it('formats application lines, timeouts and stream names', () => {
    const t = new Date('2019-06-07T19:11:20.562Z');
    expect(appLine(t, 'c793', 'INFO', 'hi')).toBe('2019-06-07T19:11:20.562Z\tc793\tINFO\thi\n');
    expect(appLine(t, undefined, 'WARN', 'init')).toBe('2019-06-07T19:11:20.562Z\tundefined\tWARN\tinit\n');
    expect(timeoutMessage(3)).toBe('Task timed out after 3.00 seconds');
    expect(logStreamName(t, '$LATEST', 'e6f4a0c4241adcd70c262d34c0bbc85c')).toBe(
      '2019/06/07/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c',
    );
  });
});

describe('closingLines', () => {
  const base = { payload: Buffer.alloc(0), durationMs: 1.5, maxMemoryUsedMB: 40 };
  it.each([
    [
      'a warm success',
      { ...base, error: false, retire: false },
      'END RequestId: r\nREPORT RequestId: r\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n',
    ],
    [
      'a handled function error (environment kept: no status)',
      { ...base, error: true, errorType: 'Error', retire: false, initDurationMs: 80 },
      'END RequestId: r\nREPORT RequestId: r\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 80.00 ms\t\n',
    ],
    [
      'a crash',
      { ...base, error: true, errorType: 'Runtime.ExitError', retire: true },
      'END RequestId: r\nREPORT RequestId: r\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: error\tError Type: Runtime.ExitError\t\n',
    ],
    [
      'a timeout with its trailer',
      {
        ...base,
        durationMs: 1000,
        error: true,
        errorType: 'Sandbox.Timedout',
        retire: true,
        timedOut: true,
        trailer: 'T r Task timed out after 1.00 seconds\n',
      },
      'END RequestId: r\nREPORT RequestId: r\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout\tError Type: Sandbox.Timedout\t\nT r Task timed out after 1.00 seconds\n',
    ],
  ])('%s', (_name, outcome, expected) => {
    expect(closingLines('r', 128, outcome)).toBe(expected);
  });
});
