import type { OpName } from '@mmap-lab/shared';
import type { OpReply } from '@mmap-lab/shared/protocol/replies.ts';
import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import { mapBudgetRefusal } from '@mmap-lab/shared/protocol/map-budget.ts';
import { toKernelOp, type OpRequest } from '@mmap-lab/shared/protocol/ops.ts';
import type { Later } from '../../rooms/ordering/later.ts';
import { Refused } from '../../rooms/refused.ts';
import type { StudentContext } from '../context.ts';

/** Any op:* event: only ever for the caller's own process. */
export function operation<N extends OpName>(name: N) {
  return (ctx: StudentContext, req: OpRequest<N>): OpReply | Later<OpReply> => {
    const claimed = (req as { pid?: number }).pid;
    if (claimed !== undefined && claimed !== ctx.session.pid) {
      throw new Refused('FORBIDDEN', `You can act only as your own process (pid ${ctx.session.pid}), not as pid ${claimed}.`);
    }
    const op = toKernelOp(name, req);
    const p = ctx.room.kernel.process(ctx.session.pid);
    const over = p === undefined ? undefined : mapBudgetRefusal(p, op);
    if (over !== undefined) throw new Refused('LIMIT_REACHED', over);
    return ctx.room.submit(ctx.session, op, ctx.socket.id);
  };
}

export function viewMemory(ctx: StudentContext, req: RequestOf<'view:memory'>) {
  return ctx.room.viewMemory(ctx.session, req.map, req.offset, req.length);
}
