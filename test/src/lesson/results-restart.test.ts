/**
 * A stopped exercise's final results stay on the board (and answer
 * `teacher:exercise:results` without a run) until the next exercise: also
 * after a graceful restart of the real server (a child process), and after
 * the room left memory idle and came back, which is the same.
 */
import { describe, expect, it } from 'vitest';
import { connect, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { openDatabase } from '@mmap-lab/server/persistence/database.ts';
import { restartableServer } from '../server/helpers/restartable-server.ts';
import { increment, mapShared, student } from './helpers.ts';

/** Idle rooms leave memory within a second; the periodic flush is pushed out of the way. */
const live = restartableServer({ FLUSH_MS: '3600000', ROOM_IDLE_MS: '400', RESUME_GRACE_MS: '50' });
const { d } = live;
const start = (): Promise<string> => live.start();

async function attach(url: string, code: string, credential: string) {
  const teacher = d.socket(await connect(url));
  const { board } = await must(teacher, 'teacher:attach', { code, credential });
  const { results } = await must(teacher, 'teacher:exercise:results', {});
  teacher.close();
  return { board, results };
}

/** A counter race in which Ada made both her increments, stopped: the room and its final results. */
async function stoppedRun(url: string) {
  const room = await openRoom(url, d);
  await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 2 } });
  const ada = await student(url, d, room.code, 'Ada');
  await mapShared(ada);
  await increment(ada, false);
  await increment(ada, false);
  const { results: final } = await must(room.teacher, 'teacher:exercise:stop', {});
  return { room, final };
}

describe("a stopped exercise's final results", () => {
  it('come back after a graceful restart and after the room was idle', async () => {
    let url = await start();
    const { room, final } = await stoppedRun(url);
    expect(final).toMatchObject({ run: 1, final: true, exercise: { id: 'counter-race', results: { increments: 2, actual: 2 } } });
    expect((await attach(url, room.code, room.credential)).board.results).toEqual(final);

    await d.closeAll();
    live.server.child.kill('SIGTERM');
    await live.server.exited;
    url = await start();
    const restarted = await attach(url, room.code, room.credential);
    expect(restarted.board.feed[0].name).toBe('server');
    expect(restarted.board.results).toEqual(final);
    expect(restarted.results).toEqual(final);

    // Someone comes and goes, so the feed tells a room loaded again (only the restart line) from this one.
    const bo = await student(url, d, room.code, 'Bo');
    bo.socket.close();
    for (let t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
      expect(Date.now() - t0, 'the idle room never left memory').toBeLessThan(10_000);
      const { board, results } = await attach(url, room.code, room.credential);
      if (board.feed.length > 1) continue;
      expect(board.results).toEqual(final);
      expect(results).toEqual(final);
      break;
    }
  });

  it('are kept at the stop, not computed again from the log (which takes a second or more for a long run)', async () => {
    let url = await start();
    const { room, final } = await stoppedRun(url);
    await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 2 } });
    await d.closeAll();
    live.server.child.kill('SIGTERM');
    await live.server.exited;

    // Without its log, run 1's results could only come from what the stop kept.
    const db = openDatabase(live.dataDir);
    db.prepare('DELETE FROM log_chunks WHERE code = ?').run(room.code);
    db.close();
    url = await start();
    const teacher = d.socket(await connect(url));
    await must(teacher, 'teacher:attach', { code: room.code, credential: room.credential });
    expect((await must(teacher, 'teacher:exercise:results', { run: 1 })).results).toEqual(final);
  });
});
