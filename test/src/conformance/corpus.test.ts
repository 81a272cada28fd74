/**
 * The trace corpus: focused scenarios in test/traces, each pinning down one
 * rule of the contract (/work/shared/spec/trace-format.md) or one Linux fact.
 *
 * - test/traces/*.trace (page 4096): the real kernel (C harness) and the
 *   simulator, given this machine's memory, print the same lines, and the
 *   simulator on its default machine prints the saved .out (which was
 *   recorded from the real kernel). So a trace must not depend on how much
 *   memory the machine has.
 * - the six contract examples: both the real kernel and the simulator print
 *   their .out.
 * - test/traces/small-pages/*.trace (page 16/64, simulator only): the
 *   simulator prints the saved .out, written by hand from the contract.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrace, runTrace, type MachineOptions } from '@mmap-lab/shared';
import { CONTRACT_EXAMPLES } from '../trace/contract-examples.ts';
import { buildHarness, runOnRealKernel, thisMachine } from './real-kernel.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const CORPUS = join(root, 'test/traces');
const SMALL_PAGES = join(CORPUS, 'small-pages');
const EXAMPLES = CONTRACT_EXAMPLES;

interface CorpusTrace {
  name: string;
  comment: string;
  text: string;
  expected: string[];
}

function load(dir: string): CorpusTrace[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.trace'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const first = text.split('\n', 1)[0];
      const out = readFileSync(join(dir, f.replace(/\.trace$/, '.out')), 'utf8');
      return {
        name: basename(f, '.trace'),
        comment: first.startsWith('#') ? first.replace(/^#\s*/, '') : '',
        text,
        expected: out === '' ? [] : out.replace(/\n$/, '').split('\n'),
      };
    });
}

function simulate(text: string, machine?: MachineOptions): string[] {
  const run = runTrace(parseTrace(text), machine);
  expect(run.error, 'the simulator calls the trace malformed').toBeUndefined();
  return run.lines;
}

function onLinux(text: string): string[] {
  const run = runOnRealKernel(parseTrace(text));
  expect(run.status, `the harness failed: ${run.stderr}`).toBe(0);
  return run.lines;
}

const corpus = load(CORPUS);
const smallPages = load(SMALL_PAGES);
const examples = load(EXAMPLES);

describe('trace corpus: real kernel and simulator', () => {
  beforeAll(() => {
    buildHarness();
  });

  it('has at least 90 traces, each opening with a # comment and using page 4096', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(90);
    for (const t of corpus) {
      expect(t.comment, `${t.name} has no leading # comment`).not.toBe('');
      expect(parseTrace(t.text).pageSize, `${t.name} must run on the real kernel`).toBe(4096);
    }
  });

  for (const t of corpus) {
    describe(`${t.name}: ${t.comment}`, () => {
      it('Linux prints what the simulator prints', () => {
        expect(simulate(t.text, thisMachine())).toEqual(onLinux(t.text));
      });

      it('the simulator prints the saved .out', () => {
        expect(simulate(t.text)).toEqual(t.expected);
      });
    });
  }
});

describe("this machine's commit limit (MemTotal + SwapTotal) on both kernels", () => {
  it('a writable private mapping of exactly the limit maps, one page more is ENOMEM; mprotect likewise', () => {
    const limit = thisMachine().commitLimitBytes!;
    const pages = Math.floor(limit / 4096) * 4096;
    const text = `file zeros 4096
A open O_RDWR
A mmap ${pages} PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A mmap ${pages + 4096} PROT_READ|PROT_WRITE MAP_PRIVATE 3 0
A mmap ${pages + 4096} PROT_READ MAP_PRIVATE 3 0
A mprotect m2 0 ${pages + 4096} PROT_READ|PROT_WRITE
A mprotect m2 4096 ${pages} PROT_READ|PROT_WRITE
`;
    expect(onLinux(text)).toEqual(['A open -> fd 3', 'A mmap -> map m1', 'A mmap -> ENOMEM', 'A mmap -> map m2', 'A mprotect -> ENOMEM', 'A mprotect -> ok']);
    expect(simulate(text, thisMachine())).toEqual(onLinux(text));
  });
});

describe('contract examples (shared/spec/examples) on both kernels', () => {
  beforeAll(() => {
    buildHarness();
  });

  it('finds the six examples', () => {
    expect(examples).toHaveLength(6);
  });

  for (const t of examples) {
    describe(`${t.name}: ${t.comment}`, () => {
      it('Linux prints the .out', () => {
        expect(onLinux(t.text)).toEqual(t.expected);
      });

      it('the simulator prints the .out', () => {
        expect(simulate(t.text)).toEqual(t.expected);
      });
    });
  }
});

describe('small-page traces (simulator only)', () => {
  it('has traces with page 16 and page 64, each opening with a # comment', () => {
    const sizes = new Set(smallPages.map((t) => parseTrace(t.text).pageSize));
    expect([...sizes].sort((a, b) => a - b)).toEqual([16, 64]);
    for (const t of smallPages) expect(t.comment, `${t.name} has no leading # comment`).not.toBe('');
  });

  for (const t of smallPages) {
    it(`${t.name}: ${t.comment}`, () => {
      expect(simulate(t.text)).toEqual(t.expected);
    });
  }
});
