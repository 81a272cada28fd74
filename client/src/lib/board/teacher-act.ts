import type { ClientEventName, ReplyOf, RequestIn } from '@mmap-lab/shared/protocol/index.ts';
import type { RoomConnection } from '../net/room-connection.svelte.ts';
import { controlAlert } from './control-alert.svelte.ts';

/**
 * One of the teacher's controls: send it, apply what its answer says the
 * moment it arrives (in wire order, before any board update sent after it),
 * and report "done" or why it failed; a failure is also shown on the board.
 */
export async function teacherAct<E extends ClientEventName>(
  conn: RoomConnection, report: (status: string) => void, what: string,
  event: E, payload: RequestIn<E>, then?: (data: ReplyOf<E>) => void,
): Promise<boolean> {
  const res = await conn.call(event, payload, {
    apply: (answer) => {
      if (answer.ok) then?.(answer.data);
    },
  });
  if (res.ok) {
    report(`${what}: done.`);
  } else {
    const failure = `${what} failed: ${res.error.message}`;
    report(failure);
    controlAlert(conn).show(failure);
  }
  return res.ok;
}
