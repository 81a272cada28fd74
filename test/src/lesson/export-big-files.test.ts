/**
 * The export and a restart with files a student made big: a sparse file
 * costs what its written pages cost (loading, exporting, replaying).
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrace, runTrace } from '@mmap-lab/shared';
import { classExport, type ClassExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { call, connect, Disposables, must } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { startServer, tempDir, type TestServer } from '../server/helpers/server.ts';
import { student } from './helpers.ts';

const d = new Disposables();
let servers: TestServer[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  await d.closeAll();
  for (const s of servers) await s.close();
  servers = [];
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const hex = (s: string): string => Buffer.from(s).toString('hex');

async function exported(url: string, room: TestRoom): Promise<ClassExport> {
  const res = await fetch(`${url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
  expect(res.status).toBe(200);
  return classExport.parse(await res.json());
}

/** Every segment's trace, run on the simulated kernel, prints what the export says it prints. */
function expectReplays(doc: ClassExport): void {
  for (const s of doc.segments) {
    const run = runTrace(parseTrace(s.trace));
    expect(run.error?.message).toBeUndefined();
    expect(run.lines, `segment ${s.segment}`).toEqual(s.expected);
  }
}

describe('a sparse file across a graceful restart', () => {
  it.each([
    ['1 TiB', 2 ** 40],
    ['64 MiB', 64 * 2 ** 20],
  ])('ftruncate to %s and one pwrite at its end: after a restart the room opens, the teacher attaches, the export is small and replays', async (_label, len) => {
    dataDir = tempDir();
    const first = await startServer({ dataDir });
    servers.push(first);
    const room = await openRoom(first.url, d);
    const ada = await student(first.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:ftruncate', { fd: 3, len: String(len) });
    await must(ada.socket, 'op:pwrite', { fd: 3, off: len - 16, data: hex('A') });
    await d.closeAll();
    await first.close();
    servers = [];

    const second = await startServer({ dataDir });
    servers.push(second);
    const info = await fetch(`${second.url}/api/rooms/${room.code}`);
    expect(info.status).toBe(200);
    const teacher = d.socket(await connect(second.url));
    const attached = await call(teacher, 'teacher:attach', { code: room.code, credential: room.credential });
    expect(attached.ok).toBe(true);
    const doc = await exported(second.url, { ...room, teacher });
    expect(doc.segments.map((s) => s.reason)).toEqual(['created', 'restart']);
    // The restart's trace builds the file with steps: it costs the one written page, not the file.
    expect(doc.segments[1].trace.length).toBeLessThan(20_000);
    expect(doc.segments[1].trace).toContain(`ftruncate 3 ${len}`);
    expectReplays(doc);
  });
});
