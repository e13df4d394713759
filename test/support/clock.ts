/**
 * A clock the tests hold: time moves only when a test advances it or the code under test sleeps (a
 * sleep returns at once, the clock moved on by its length). Waits and expiries then take the same
 * number of steps on any machine, however loaded; nothing depends on the wall clock. It starts at
 * the real time, so signatures made from it are fresh to anything that reads the real clock.
 */
import type { Clock } from '../../shared/runtime/clock';

export class TestClock implements Clock {
  #now: number;

  constructor(start: number = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time on by `ms` and yields once, so work that was waiting gets to run. */
  async sleep(ms: number): Promise<void> {
    this.#now += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** No jitter: retries wait their whole backoff, the same every run. */
  random(): number {
    return 0.5;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
