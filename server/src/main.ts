/**
 * The process: read the environment, listen, print the address, and on
 * SIGTERM or Ctrl-C close gracefully (every dirty page reaches the disk).
 */
import { configFromEnv } from './config.ts';
import { buildServer } from './server.ts';

const config = configFromEnv();
const server = await buildServer(config);
const address = await server.listen({ port: config.port, host: config.host });
process.stdout.write(`mmap-lab listening on ${address} (data in ${config.dataDir})\n`);

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
