import { describe, expect, it } from 'vitest';
import { HashGate } from './HashGate.js';

describe('HashGate', () => {
  it('runs at most `concurrency` tasks at once, queues `queue` more, and refuses the rest unrun', async () => {
    const gate = new HashGate(2, 3);
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const task = () =>
      new Promise<string>((resolve) => {
        running++;
        most = Math.max(most, running);
        release.push(() => {
          running--;
          resolve('done');
        });
      });
    const results = Array.from({ length: 8 }, () => gate.run(task));
    // Two run, three wait, three were refused at once without running.
    expect(await Promise.all(results.slice(5))).toEqual([undefined, undefined, undefined]);
    expect(running).toBe(2);
    while (release.length) {
      release.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(results.slice(0, 5))).toEqual(Array(5).fill('done'));
    expect(most).toBe(2);
    expect({ runs: gate.runs, refused: gate.refused }).toEqual({ runs: 5, refused: 3 });
    // Free again: the next task runs at once.
    const next = gate.run(async () => 'again');
    expect(await next).toBe('again');
  });

  it('frees its place when a task fails', async () => {
    const gate = new HashGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 1)).toBe(1);
  });
});
