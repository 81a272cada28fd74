import { describe, expect, it } from 'vitest';
import { PacedSender } from './paced-sender.ts';

interface Sent {
  to: string[];
  event: string;
  payload: unknown;
}

function sender(slice: number, budgetMs = Infinity): { paced: PacedSender; sent: Sent[]; errors: unknown[] } {
  const sent: Sent[] = [];
  const errors: unknown[] = [];
  const emit = (to: string[], event: string, payload: unknown) => sent.push({ to: [...to], event, payload });
  return { paced: new PacedSender(emit, slice, budgetMs, (e) => errors.push(e)), sent, errors };
}

/** An answer as dispatch.ts makes one: a write to one socket, later. */
function answer(paced: PacedSender, sent: Sent[], id: string, payload: unknown): void {
  paced.answer(id, (p) => sent.push({ to: [id], event: 'ack', payload: p }), payload);
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

  it('sends what is queued for a socket before an answer or anything else sent to it directly', async () => {
    const { paced, sent } = sender(2);
    paced.broadcast(ids(6), 'room:bytes', 'tick 1');
    paced.broadcast(ids(6), 'room:bytes', 'tick 2');
    answer(paced, sent, 's5', 'answer');
    paced.writeAnswers();
    paced.broadcast(['s4'], 'process:update', 'direct');
    for (let i = 0; i < 10; i++) await turn();
    const got = bySocket(sent);
    expect(got.get('s5')).toEqual(['tick 1', 'tick 2', 'answer']);
    expect(got.get('s4')).toEqual(['tick 1', 'tick 2', 'direct']);
    for (const id of ids(4)) expect(got.get(id)).toEqual(['tick 1', 'tick 2']);
  });

  it('holds answers to the end of the turn and writes them together, in the order they were made', async () => {
    const { paced, sent } = sender(4);
    answer(paced, sent, 'a', 1);
    answer(paced, sent, 'b', 2);
    answer(paced, sent, 'a', 3);
    expect(sent).toEqual([]);
    await turn();
    expect(sent.map((s) => [s.to[0], s.payload])).toEqual([['a', 1], ['b', 2], ['a', 3]]);
    await turn();
    expect(sent).toHaveLength(3);
  });

  it('writes the answers of a busy turn in bursts of 64, so none waits for hundreds of others', async () => {
    const { paced, sent } = sender(4);
    for (let i = 0; i < 150; i++) answer(paced, sent, `s${i}`, i);
    expect(sent.map((s) => s.payload)).toEqual(Array.from({ length: 128 }, (_, i) => i));
    await turn();
    expect(sent).toHaveLength(150);
  });

  it('never lets a broadcast made after an answer overtake it', async () => {
    const { paced, sent } = sender(4);
    answer(paced, sent, 's0', 'stored');
    paced.broadcast(ids(3), 'room:bytes', 'tick with the store');
    expect(bySocket(sent).get('s0')).toEqual(['stored', 'tick with the store']);
    await turn();
    expect(sent).toHaveLength(2);
  });

  it('reports an answer that throws and still writes the others', async () => {
    const { paced, sent, errors } = sender(4);
    answer(paced, sent, 'a', 1);
    paced.answer('b', () => {
      throw new Error('cannot encode');
    }, 2);
    answer(paced, sent, 'c', 3);
    await turn();
    expect(sent.map((s) => s.payload)).toEqual([1, 3]);
    expect(errors).toEqual([new Error('cannot encode')]);
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
