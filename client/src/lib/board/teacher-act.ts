import type { ClientEventName, ReplyOf, RequestIn } from '@mmap-lab/shared/protocol/index.ts';
import type { RoomConnection } from '../net/room-connection.svelte.ts';

/**
 * One of the teacher's controls: send it, apply what its answer says the
 * moment it arrives (in wire order, before any board update sent after it),
 * and report "done" or why it failed.
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
  report(res.ok ? `${what}: done.` : `${what} failed: ${res.error.message}`);
  return res.ok;
}
