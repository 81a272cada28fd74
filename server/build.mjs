/**
 * Bundle the server into one file, dist/main.mjs, which `pnpm start` and the
 * tests' child servers run. A start then loads plain JavaScript instead of
 * transpiling every module through tsx: a server killed with kill -9 must take
 * students again within 2 s of its restart (issue 5), and tsx alone took that
 * long whenever other work held a core.
 *
 * Packages from node_modules stay external (better-sqlite3 is native); only
 * our shared package is bundled, because it exports TypeScript source that
 * plain node cannot load. dist/ sits two levels below the repo root like src/,
 * so config.ts's paths from `import.meta.dirname` mean the same in the bundle.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const here = import.meta.dirname;

const { outputFiles } = await build({
  entryPoints: [`${here}/src/main.ts`],
  outfile: `${here}/dist/main.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // esbuild applies an alias before it decides what is external, so this package is bundled.
  alias: { '@mmap-lab/shared': `${here}/../shared/src` },
  logLevel: 'warning',
  write: false,
});

// Write then rename: a server starting while another process rebuilds (a test beside a load
// run) reads the old bundle or the new one, never half of one.
mkdirSync(`${here}/dist`, { recursive: true });
for (const file of outputFiles) {
  writeFileSync(`${file.path}.${process.pid}.tmp`, file.contents);
  renameSync(`${file.path}.${process.pid}.tmp`, file.path);
}
