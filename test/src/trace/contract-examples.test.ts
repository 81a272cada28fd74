import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COPIED_EXAMPLES, SHARED_EXAMPLES } from './contract-examples.ts';

describe("the repository's copy of the contract examples", () => {
  it('holds six traces, each with its output', () => {
    const files = readdirSync(COPIED_EXAMPLES).sort();
    const traces = files.filter((f) => f.endsWith('.trace'));
    expect(traces).toHaveLength(6);
    expect(files).toEqual(traces.flatMap((t) => [t.replace(/\.trace$/, '.out'), t]).sort());
  });

  // Only where the team's contract sits beside the repository (as on our machines and in CI).
  it.skipIf(!existsSync(SHARED_EXAMPLES))('is the contract, byte for byte', () => {
    const shared = readdirSync(SHARED_EXAMPLES).sort();
    expect(readdirSync(COPIED_EXAMPLES).sort()).toEqual(shared);
    for (const f of shared) expect(readFileSync(join(COPIED_EXAMPLES, f), 'utf8'), f).toBe(readFileSync(join(SHARED_EXAMPLES, f), 'utf8'));
  });
});
