import type { Clock } from '../../src/Clock.js';

/** A clock that follows the real one, moved forward by hand. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
