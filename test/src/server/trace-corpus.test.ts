/**
 * The contract's third way of running a trace: through a live server, one
 * Socket.IO client per process. Every trace of the corpus (the contract
 * examples, test/traces and test/traces/small-pages) must print exactly what
 * the in-process runTrace prints, and its saved .out where there is one.
 * So must traces from the differential fuzzer's generator (fixed seed;
 * NET_FUZZ_COUNT and NET_FUZZ_SEED change the run).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MalformedTrace, parseTrace, runTrace, type Trace } from '@mmap-lab/shared';
import { generateTrace } from '../conformance/fuzz/generate.ts';
import { Random } from '../conformance/fuzz/random.ts';
import { CONTRACT_EXAMPLES } from '../trace/contract-examples.ts';
import { runTraceOnServer } from '../trace/network-runner.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIRS = [CONTRACT_EXAMPLES, join(root, 'test/traces'), join(root, 'test/traces/small-pages')];

interface Case {
  name: string;
  trace: Trace;
  expected?: string[];
}

function load(dir: string): Case[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.trace'))
    .sort()
    .flatMap((f) => {
      let trace: Trace;
      try {
        trace = parseTrace(readFileSync(join(dir, f), 'utf8'));
      } catch (e) {
        // A trace malformed as text never reaches a runner, in-process or not.
        if (e instanceof MalformedTrace) return [];
        throw e;
      }
      const outPath = join(dir, f.replace(/\.trace$/, '.out'));
      const out = existsSync(outPath) ? readFileSync(outPath, 'utf8') : undefined;
      const expected = out === undefined ? undefined : out === '' ? [] : out.replace(/\n$/, '').split('\n');
      return [{ name: `${basename(dir)}/${basename(f, '.trace')}`, trace, expected }];
    });
}

const cases = DIRS.flatMap(load);

const FUZZ_SEED = Number(process.env.NET_FUZZ_SEED ?? 20261127);
const FUZZ_COUNT = Number(process.env.NET_FUZZ_COUNT ?? 30);

describe('trace corpus over the network', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('finds the contract examples and the corpus', () => {
    expect(cases.filter((c) => c.name.startsWith('examples/')).length).toBe(6);
    expect(cases.length).toBeGreaterThan(6);
  });

  for (const c of cases) {
    it(`${c.name} prints the same through the server`, async () => {
      const local = runTrace(c.trace);
      const remote = await runTraceOnServer(c.trace, server.url);
      expect(remote.lines).toEqual(local.lines);
      expect(remote.error?.message).toEqual(local.error?.message);
      if (c.expected !== undefined && local.error === undefined) expect(remote.lines).toEqual(c.expected);
    });
  }

  it(`${FUZZ_COUNT} fuzzer traces from seed ${FUZZ_SEED} print the same through the server`, async () => {
    const master = new Random(FUZZ_SEED);
    for (let i = 0; i < FUZZ_COUNT; i++) {
      const traceSeed = Math.floor(master.next() * 2 ** 31);
      const trace = parseTrace(generateTrace(new Random(traceSeed), 12 + (i % 30)));
      const local = runTrace(trace);
      const remote = await runTraceOnServer(trace, server.url);
      expect(remote.lines, `fuzz trace seed ${traceSeed}`).toEqual(local.lines);
    }
  });
});
