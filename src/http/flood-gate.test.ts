import { describe, expect, it } from 'vitest';
import { createFloodGate } from './flood-gate.ts';

describe('the flood gate', () => {
  it('remembers a flooding address for a while after its last over-limit lead', () => {
    let now = 0;
    const gate = createFloodGate({ holdMs: 10_000, now: () => now });
    gate.mark('203.0.113.66');
    expect(gate.isMarked('203.0.113.66')).toBe(true);
    expect(gate.isMarked('198.51.100.7')).toBe(false);
    now = 9_000;
    gate.mark('203.0.113.66');
    now = 18_999;
    expect(gate.isMarked('203.0.113.66')).toBe(true);
    now = 19_000;
    expect(gate.isMarked('203.0.113.66')).toBe(false);
  });

  it('forgets the longest-quiet address first when full', () => {
    const gate = createFloodGate({ maxAddresses: 2 });
    gate.mark('a');
    gate.mark('b');
    gate.mark('a');
    gate.mark('c');
    expect([gate.isMarked('a'), gate.isMarked('b'), gate.isMarked('c')]).toEqual([true, false, true]);
  });

  it('lets one waiting request through per turn of the event loop, oldest first', async () => {
    const gate = createFloodGate();
    const order: string[] = [];
    const turns = ['first', 'second', 'third'].map((name) => gate.turn().then(() => order.push(name)));
    expect(gate.waiting).toBe(3);
    // Work queued by other requests after the flood's: it runs between the flood's turns, not after all of them.
    setImmediate(() => order.push('other request'));
    await Promise.all(turns);
    expect(order).toEqual(['first', 'other request', 'second', 'third']);
    expect(gate.waiting).toBe(0);
  });
});
