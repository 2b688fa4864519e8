import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from './deadline-queue.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('DeadlineQueue', () => {
  it('fires deadlines in order after the timeout, and not cancelled ones', async () => {
    const q = new DeadlineQueue(30);
    const fired: string[] = [];
    q.add({ expire: () => fired.push('a') });
    const b = q.add({ expire: () => fired.push('b') });
    await sleep(10);
    q.add({ expire: () => fired.push('c') });
    expect(b.cancel()).toBe(true);
    expect(q.size).toBe(2);
    await sleep(25);
    expect(fired).toStrictEqual(['a']);
    await sleep(20);
    expect(fired).toStrictEqual(['a', 'c']);
    expect(q.size).toBe(0);
    expect(b.cancel()).toBe(false);
  });

  it('keeps working after the queue empties', async () => {
    const q = new DeadlineQueue(5);
    const fired: number[] = [];
    q.add({ expire: () => fired.push(1) });
    await sleep(20);
    const d = q.add({ expire: () => fired.push(2) });
    await sleep(20);
    expect(fired).toStrictEqual([1, 2]);
    expect(d.cancel()).toBe(false);
  });
});
