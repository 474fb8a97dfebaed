import { strict as assert } from 'node:assert';
import { RequestBudget, type BudgetClock } from './budget';

/** A clock whose timers run when the test advances time. */
function fakeClock(): BudgetClock & { advance(ms: number): void } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  return {
    now: () => now,
    setTimer(fn, ms) {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => (t.cancelled = true) };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now && !t.cancelled);
      timers = timers.filter((t) => t.at > now && !t.cancelled);
      for (const t of due) t.fn();
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A task that stays running until released. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { run: () => done, release };
}

describe('RequestBudget', () => {
  it('runs at most `concurrency` tasks at a time', async () => {
    const budget = new RequestBudget(2, 100, fakeClock());
    const gates = [gate(), gate(), gate()];
    let started = 0;
    const results = gates.map((g) =>
      budget.schedule(() => {
        started++;
        return g.run();
      }),
    );
    await tick();
    assert.equal(started, 2);
    assert.equal(budget.pending, 1);
    gates[0]!.release();
    await tick();
    await tick();
    assert.equal(started, 3);
    gates[1]!.release();
    gates[2]!.release();
    assert.deepEqual(await Promise.all(results), [true, true, true]);
  });

  it('waits for the minute window when the budget is spent', async () => {
    const clock = fakeClock();
    const budget = new RequestBudget(5, 2, clock);
    let runs = 0;
    const all = [1, 2, 3].map(() => budget.schedule(async () => void runs++));
    await tick();
    assert.equal(runs, 2);
    clock.advance(59_000);
    await tick();
    assert.equal(runs, 2);
    clock.advance(2_000);
    await tick();
    assert.equal(runs, 3);
    assert.deepEqual(await Promise.all(all), [true, true, true]);
  });

  it('drops tasks that are no longer wanted, and everything on dispose', async () => {
    const budget = new RequestBudget(1, 100, fakeClock());
    const g = gate();
    let wanted = true;
    const first = budget.schedule(g.run);
    const dropped = budget.schedule(
      async () => assert.fail('must not run'),
      () => wanted,
    );
    const disposed = budget.schedule(async () => assert.fail('must not run'));
    wanted = false;
    budget.sweep();
    assert.equal(await dropped, false);
    budget.dispose();
    assert.equal(await disposed, false);
    g.release();
    assert.equal(await first, true);
    assert.equal(await budget.schedule(async () => undefined), false);
  });

  it('keeps going after a task throws', async () => {
    const budget = new RequestBudget(1, 100, fakeClock());
    const a = budget.schedule(async () => {
      throw new Error('boom');
    });
    const b = budget.schedule(async () => undefined);
    assert.deepEqual(await Promise.all([a, b]), [true, true]);
  });
});
