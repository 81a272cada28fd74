/**
 * `pnpm loadtest` end to end at a size that fits CI: the same CLI, the same
 * server and relay children and bot process, one room of 20 bots at 2
 * rounds/s for 3 s. It checks that the harness works (a JSON line comes out,
 * operations were answered, updates arrived, nothing failed), not how fast
 * anything is: these machines are shared.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function loadtest(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/load/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

describe('pnpm loadtest', () => {
  it('runs a tiny scenario against our server and the relay and prints its JSON line', async () => {
    const { code, stdout, stderr } = await loadtest(['tiny'], { LOAD_SECONDS: '3', LOAD_RETRIES: '0', LOAD_QUIET_WAIT_S: '0', LOAD_DRAIN_MS: '10000' });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{'));
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(r.scenario).toBe('tiny');
    expect(r.students).toBe(20);
    for (const key of ['p99_rtt_ms', 'p99_seen_ms', 'server_cpu', 'rss_per_student_kb', 'rss_per_student_end_kb', 'updates_per_s', 'relay_updates_per_s',
      'relay_p99_rtt_ms', 'relay_p99_seen_ms', 'relay_server_cpu']) {
      expect(typeof r[key], key).toBe('number');
    }
    expect(r.ops_per_s as number).toBeGreaterThan(0);
    expect(r.rounds_per_s as number).toBeGreaterThan(0);
    expect(r.updates_per_s as number).toBeGreaterThan(0);
    expect(r.relay_updates_per_s as number).toBeGreaterThan(0);
    expect(r.server_cpu as number).toBeGreaterThan(0);
    expect(r.errors).toBe(0);
    expect(r.relay_errors).toBe(0);
    expect(r.unseen).toBe(0);
    expect(r.relay_unseen).toBe(0);
  }, 240_000);

  it('runs the batched relay (the floor of our work): two round trips per round, writes seen by the rest of the room', async () => {
    const { code, stdout, stderr } = await loadtest(['tiny', '--relay-only'], {
      LOAD_SECONDS: '3', LOAD_RETRIES: '0', LOAD_QUIET_WAIT_S: '0', LOAD_DRAIN_MS: '10000', LOAD_RELAY_TICK_MS: '40',
    });
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const r = JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{'))[0]) as Record<string, number>;
    // A read and a write per round, where the per-write relay answers one.
    expect(r.relay_ops_per_s / r.relay_rounds_per_s).toBeCloseTo(2, 1);
    expect(r.relay_p99_seen_ms).toBeGreaterThan(0);
    // Each write reaches the 19 others (not its own writer), a tick's worth of writes to a message.
    const perRound = r.relay_updates_per_s / r.relay_rounds_per_s;
    expect(perRound, JSON.stringify(r)).toBeGreaterThan(17);
    expect(perRound, JSON.stringify(r)).toBeLessThan(19.5);
    expect(r.relay_best_updates_per_s).toBe(0);
    expect(r.relay_errors).toBe(0);
    expect(r.relay_unseen).toBe(0);
  }, 240_000);
});
