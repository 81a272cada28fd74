// Preloaded into a child server (NODE_OPTIONS=--import=<this file>) by the fuzz test, never by
// the server itself: on SIGUSR2 it runs a full garbage collection and prints the process's memory
// on stdout as one line, `gc-probe {...}`, so the test can tell retained memory from garbage.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

process.on('SIGUSR2', () => {
  gc();
  gc();
  const m = process.memoryUsage();
  process.stdout.write(`gc-probe ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
});
