import { describe, expect, it } from 'vitest';
import { BusyShare } from './busy-share.js';

describe('BusyShare', () => {
  it('starts busy', () => {
    expect(new BusyShare().mostlyWaiting).toBe(false);
  });

  it('flips after a run of invocations that mostly waited, not after one', () => {
    const b = new BusyShare();
    const flips: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      b.observe(100, 2);
      flips.push(b.mostlyWaiting);
    }
    expect(flips).toEqual([false, false, false, true, true]);
  });

  it('keeps a quick CPU-bound function busy whatever a rare slow sample says', () => {
    const b = new BusyShare();
    for (let round = 0; round < 20; round++) {
      b.observe(7.09, 0.79); // an outlier seen on a saturated core
      for (let i = 0; i < 10; i++) b.observe(0.05, undefined); // quick: not measured
      expect(b.mostlyWaiting).toBe(false);
    }
  });

  it('counts environments that do not measure as busy, and returns to busy', () => {
    const b = new BusyShare();
    for (let i = 0; i < 10; i++) b.observe(100, 1);
    expect(b.mostlyWaiting).toBe(true);
    for (let i = 0; i < 10; i++) b.observe(100, undefined);
    expect(b.mostlyWaiting).toBe(false);
    for (let i = 0; i < 10; i++) b.observe(100, 1);
    for (let i = 0; i < 10; i++) b.observe(20, 20);
    expect(b.mostlyWaiting).toBe(false);
  });
});
