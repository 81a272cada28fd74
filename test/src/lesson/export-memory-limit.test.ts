/**
 * A room's memory limit (ROOM_MEMORY_BYTES) has no trace statement: the
 * exported trace stops at the first result the limit decided, saying why,
 * so what it does print replays on the simulator and on Linux.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrace, runTrace } from '@mmap-lab/shared';
import { classExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { Disposables, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { startServer, type TestServer } from '../server/helpers/server.ts';
import { student } from './helpers.ts';

const d = new Disposables();
let server: TestServer;
afterEach(async () => {
  await d.closeAll();
  await server.close();
});

const hex = (s: string): string => Buffer.from(s).toString('hex');

describe("a room's memory limit in the export", () => {
  it('a pwrite cut short by ROOM_MEMORY_BYTES: the trace stops there, saying why', async () => {
    server = await startServer({ roomMemoryBytes: 64 });
    const room = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: hex('x'.repeat(16)) });
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    const w = await must(ada.socket, 'op:pwrite', { fd: 3, off: 0, data: hex('y'.repeat(200)) });
    expect(w.outcome.display).toContain('64');
    const res = await fetch(`${server.url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
    const [segment] = classExport.parse(await res.json()).segments;
    expect(segment.stoppedAt).toEqual({ seq: 1, reason: expect.stringContaining('memory limit') });
    expect(segment.expected).toEqual(['Ada open -> fd 3']);
    const run = runTrace(parseTrace(segment.trace));
    expect(run.lines).toEqual(segment.expected);
  });
});
