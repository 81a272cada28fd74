import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTRACT_EXAMPLES } from './contract-examples.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const examples = CONTRACT_EXAMPLES;

function trace(...args: string[]) {
  return spawnSync('node', ['--import', 'tsx', join(root, 'test/src/trace/cli.ts'), ...args], { cwd: root, encoding: 'utf8' });
}

describe('pnpm trace', () => {
  const names = readdirSync(examples).filter((f) => f.endsWith('.trace'));

  it('finds the six contract examples', () => {
    expect(names).toHaveLength(6);
  });

  it.each(names)('prints exactly the contract output of %s', (name) => {
    const run = trace(join(examples, name));
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(examples, name.replace(/\.trace$/, '.out')), 'utf8'));
  });

  it('exits 2 on a malformed trace, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    const file = join(dir, 'bad.trace');
    writeFileSync(file, 'file zeros 1\nA open O_RDWR\nA mmap 1 PROT_READ MAP_SHARED 3\n');
    const run = trace(file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/line 3/);
  });

  it('exits 2 after the lines before a step for a blocked process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-'));
    const file = join(dir, 'blocked.trace');
    writeFileSync(file, 'file zeros 1\nA open O_RDWR\nB open O_RDWR\nA lock 3 F_SETLK F_WRLCK 0 0\nB lock 3 F_SETLKW F_RDLCK 0 0\nB fstat 3\n');
    const run = trace(file);
    expect(run.status).toBe(2);
    expect(run.stdout.trim().split('\n')).toHaveLength(4);
    expect(run.stderr).toMatch(/line 6/);
  });
});
