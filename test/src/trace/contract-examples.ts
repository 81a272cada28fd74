import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The contract's examples as the team keeps them, beside this repository (../shared/spec). */
export const SHARED_EXAMPLES = join(root, '../shared/spec/examples');
/** Their copy in this repository, so that a clone anywhere runs them; contract-examples.test.ts keeps it equal. */
export const COPIED_EXAMPLES = join(root, 'test/traces/examples');
/** The contract's example traces and outputs: the team's when they are there, else the copy. */
export const CONTRACT_EXAMPLES = existsSync(SHARED_EXAMPLES) ? SHARED_EXAMPLES : COPIED_EXAMPLES;
