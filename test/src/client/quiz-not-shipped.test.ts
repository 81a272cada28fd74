/**
 * The live quiz's answers stay on the server: no file of the client build
 * (what the server serves to any browser, a student's included) holds a
 * question of the bank. A question there would come with its answer index
 * (the bank is one structure), and its explanation gives the answer away.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONS } from '@mmap-lab/shared/content/quiz/index.ts';
import { ensureClientBuilt, ROOT } from '../browser/harness.ts';

const DIST = join(ROOT, 'client/dist');

/**
 * The longest run of a text between characters a bundler may escape or
 * requote (quotes, backslashes, `$`, anything not printable ASCII): found
 * in a bundle however its string literals were written.
 */
function longestPlainRun(text: string): string {
  return text.split(/[^\x20-\x7e]|['"`\\$]/).reduce((a, b) => (b.length > a.length ? b : a), '');
}

let files: { name: string; text: string }[];

beforeAll(() => {
  ensureClientBuilt();
  files = readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ name: join(e.parentPath, e.name).slice(DIST.length + 1), text: readFileSync(join(e.parentPath, e.name), 'latin1') }));
});

describe('the client build', () => {
  it('has its scripts to scan', () => {
    expect(files.filter((f) => f.name.endsWith('.js')).length).toBeGreaterThan(0);
  });

  it.each(QUESTIONS.map((q) => [q.id, q] as const))('does not hold question %s: its id, prompt or explanation', (_id, q) => {
    const runs = [q.prompt, q.explanation].map(longestPlainRun);
    for (const run of runs) expect(run.length, `"${run}" is too short to tell anything`).toBeGreaterThanOrEqual(20);
    const found = [q.id, ...runs].flatMap((secret) => files.filter((f) => f.text.includes(secret)).map((f) => `${f.name}: ${secret}`));
    expect(found).toEqual([]);
  });
});
