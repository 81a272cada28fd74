import { describe, expect, it } from 'vitest';
import { PacedSender } from './paced-sender.ts';

interface Sent {
  to: string[];
  event: string;
  payload: unknown;
}

function sender(slice: number, budgetMs = Infinity): { paced: PacedSender; sent: Sent[] } {
  const sent: Sent[] = [];
  return { paced: new PacedSender((to, event, payload) => sent.push({ to: [...to], event, payload }), slice, budgetMs), sent };
}

const ids = (n: number, prefix = 's') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Everything each socket received, in order. */
function bySocket(sent: Sent[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const s of sent) for (const id of s.to) out.set(id, [...(out.get(id) ?? []), s.payload]);
  return out;
}

describe('paced broadcasts', () => {
  it('sends a small broadcast at once and a big one a slice per turn of the event loop', async () => {
    const { paced, sent } = sender(4);
    paced.broadcast(ids(3), 'room:bytes', 'small');
    expect(sent).toEqual([{ to: ids(3), event: 'room:bytes', payload: 'small' }]);
    sent.length = 0;

    paced.broadcast(ids(10), 'room:bytes', 'big');
    expect(sent.map((s) => s.to)).toEqual([ids(4)]);
    await turn();
    expect(sent.map((s) => s.to.length)).toEqual([4, 4]);
    await turn();
    expect(sent.map((s) => s.to.length)).toEqual([4, 4, 2]);
    expect(paced.queued).toBe(0);
    expect(new Set(sent.flatMap((s) => s.to))).toEqual(new Set(ids(10)));
  });

  it('sends what is queued for a socket before anything sent to it directly', async () => {
    const { paced, sent } = sender(2);
    paced.broadcast(ids(6), 'room:bytes', 'tick 1');
    paced.broadcast(ids(6), 'room:bytes', 'tick 2');
    paced.release(['s5']); // an answer to s5 is about to go
    paced.broadcast(['s5'], 'process:update', 'direct');
    for (let i = 0; i < 10; i++) await turn();
    const got = bySocket(sent);
    expect(got.get('s5')).toEqual(['tick 1', 'tick 2', 'direct']);
    for (const id of ids(5)) expect(got.get(id)).toEqual(['tick 1', 'tick 2']);
  });

  it('keeps two rooms apart: a small room is never held back by a big room', () => {
    const { paced, sent } = sender(2);
    paced.broadcast(ids(8, 'big'), 'room:bytes', 'big');
    paced.broadcast(ids(2, 'lab'), 'room:bytes', 'lab');
    expect(sent.map((s) => s.payload)).toEqual(['big', 'lab']);
    expect(paced.queued).toBe(1);
  });

  it('writes the rest of a broadcast at once when it has taken longer than its budget', async () => {
    const { paced, sent } = sender(2, 5);
    paced.broadcast(ids(10), 'room:bytes', 'tick');
    const until = performance.now() + 6;
    while (performance.now() < until); // a burst of other work holds the loop past the budget
    await turn();
    expect(sent.map((s) => s.to.length)).toEqual([2, 8]);
    expect(paced.queued).toBe(0);
  });

  it('says when a broadcast has reached all its sockets', async () => {
    const { paced } = sender(4);
    const done: string[] = [];
    paced.broadcast(ids(3), 'room:bytes', 'small', () => done.push('small'));
    paced.broadcast(ids(10), 'room:bytes', 'big', () => done.push('big'));
    expect(done).toEqual(['small']);
    await turn();
    expect(done).toEqual(['small']);
    await turn();
    expect(done).toEqual(['small', 'big']);
  });
});
