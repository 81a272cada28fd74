/**
 * Preloaded into the server children (`--import`), so the server under test
 * never outlives the harness: the harness holds the write end of the child's
 * stdin, and when the harness goes away, however it dies (even kill -9), the
 * pipe closes and the child shuts down gracefully (SIGTERM: main.ts closes
 * and, under --cpu-prof, the profile is written), or hard if that hangs.
 * It changes nothing else about the server; without LOAD_ORPHAN_GUARD=1 it
 * does nothing at all.
 */
const GRACE_MS = 15_000;

if (process.env.LOAD_ORPHAN_GUARD === '1') {
  process.stdin.on('end', () => {
    setTimeout(() => process.exit(1), GRACE_MS).unref();
    process.kill(process.pid, 'SIGTERM');
  });
  process.stdin.on('error', () => {});
  process.stdin.resume();
  // Reading stdin must not keep an otherwise finished server alive.
  (process.stdin as unknown as { unref?: () => void }).unref?.();
}

export {};
