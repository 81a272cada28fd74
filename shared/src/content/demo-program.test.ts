import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROGRAM_NAME, DEMO_PROGRAM_SOURCE, demoOutput, parseDemoOffset } from './demo-program.ts';
import { DEMO_SOURCE, templateBytes } from './templates.ts';

const source = new TextEncoder().encode(DEMO_PROGRAM_SOURCE);
const hasCc = spawnSync('cc', ['--version']).status === 0;

describe.skipIf(!hasCc)('the demo program, compiled and run', () => {
  let dir = '';
  let exe = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'peek-'));
    const file = join(dir, DEMO_PROGRAM_NAME);
    exe = join(dir, 'peek');
    writeFileSync(file, DEMO_PROGRAM_SOURCE);
    // An absolute path, so __FILE__ finds the source from any working directory.
    const cc = spawnSync('cc', ['-std=c11', '-Wall', '-Wextra', '-pedantic', '-Werror', '-O2', '-o', exe, file], { encoding: 'utf8' });
    expect(cc.stderr).toBe('');
    expect(cc.status).toBe(0);
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) => {
    const r = spawnSync(exe, args, { encoding: 'utf8', cwd: tmpdir() });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  };

  it('prints the byte at a valid offset, as the simulator says it will', () => {
    const newline = source.indexOf(10);
    const quote = source.indexOf(0x27);
    for (const arg of ['0', '1', '42', String(newline), String(quote), String(source.length - 1), ' 7', '+8']) {
      const out = run([arg]);
      expect(out).toEqual(demoOutput(source, arg));
      expect(out.status).toBe(0);
    }
    expect(run(['6'])).toEqual({ stdout: "offset 6: 'p' (0x70)\n", stderr: '', status: 0 });
    expect(run([String(newline)]).stdout).toBe(`offset ${newline}: 0x0a\n`);
  });

  it('refuses offsets outside the file, and arguments that are not numbers', () => {
    for (const args of [['-1'], [String(source.length)], ['99999999999'], ['9223372036854775808'], ['12x'], [''], ['abc'], [], ['1', '2']]) {
      const out = run(args);
      expect(out).toEqual(demoOutput(source, args.length === 1 ? args[0] : undefined));
      expect(out.status).not.toBe(0);
      expect(out.stdout).toBe('');
    }
    expect(run([String(source.length)]).stderr).toBe(`peek: offset ${source.length} is outside the file (${source.length} bytes)\n`);
  });
});

describe('the demo program as text', () => {
  it('is what the demo-source template holds', () => {
    expect(DEMO_SOURCE).toBe(DEMO_PROGRAM_SOURCE);
    expect(templateBytes('demo-source')).toEqual(source);
  });

  it('uses the calls the lesson names, checks MAP_FAILED, and is plain ASCII', () => {
    for (const call of ['open(', 'fstat(', 'mmap(', 'MAP_FAILED', 'munmap(', 'close(']) expect(DEMO_PROGRAM_SOURCE).toContain(call);
    expect([...source].every((b) => b === 10 || (b >= 0x20 && b < 0x7f))).toBe(true);
  });

  it('reads offsets as strtoll does', () => {
    expect([' 12', '+3', '-0', '007'].map(parseDemoOffset)).toEqual([12n, 3n, 0n, 7n]);
    expect(['', '1 ', '0x10', '1e3', '9223372036854775808'].map(parseDemoOffset)).toEqual([null, null, null, null, null]);
    expect(parseDemoOffset('-9223372036854775808')).toBe(-(1n << 63n));
  });
});
