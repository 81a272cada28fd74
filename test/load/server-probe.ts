/**
 * Preloaded into the server children (`--import`) with LOAD_PROBE=1: how late
 * the server's own event loop ran during the measured window, and how busy it
 * was (event loop utilisation). The first SIGUSR2 starts the window, the
 * second prints one `LOAD-PROBE {json}` line on stderr. It observes only;
 * without LOAD_PROBE=1 it does nothing.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

if (process.env.LOAD_PROBE === '1') {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let elu: EventLoopUtilization | null = null;
  process.on('SIGUSR2', () => {
    if (elu === null) {
      delay.reset();
      delay.enable();
      elu = performance.eventLoopUtilization();
      return;
    }
    delay.disable();
    const used = performance.eventLoopUtilization(elu);
    const ms = (ns: number) => Number((ns / 1e6).toFixed(2));
    const figures = {
      loop_delay_p50_ms: ms(delay.percentile(50)),
      loop_delay_p99_ms: ms(delay.percentile(99)),
      loop_delay_max_ms: ms(delay.max),
      elu: Number(used.utilization.toFixed(3)),
    };
    process.stderr.write(`LOAD-PROBE ${JSON.stringify(figures)}\n`);
    elu = null;
  });
}

export {};
