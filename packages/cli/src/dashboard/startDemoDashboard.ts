import type { DemoEnvironment } from '../demo/DemoEnvironment';
import { startDashboard, type RunningDashboard } from './startDashboard';

/** How long `demo --dashboard` waits for the page to be opened before it starts anyway. */
export const DEMO_VIEWER_WAIT_MS = 60_000;

/**
 * `demo --dashboard`: the live dashboard of the demo's stream and lease table. Prints its URL (it
 * opens no browser) and waits until the page is open — at most {@link DEMO_VIEWER_WAIT_MS}, or
 * until Ctrl-C — so a newcomer sees the leases being taken, the split, the merge and the takeover
 * from the start. Reads every second; lag every 5 s.
 */
export async function startDemoDashboard(
  environment: Pick<DemoEnvironment, 'aws' | 'streamName' | 'applicationName'>,
  failoverTimeMs: number,
  say: (line: string) => void,
  signal: AbortSignal,
): Promise<RunningDashboard> {
  const dashboard = await startDashboard(environment.aws, {
    streamName: environment.streamName,
    applicationName: environment.applicationName,
    refreshIntervalMs: 1_000,
    lagIntervalMs: 5_000,
    failoverTimeMs,
  });
  say(`dashboard: ${dashboard.url} — open it in a browser; the demo goes on once the page is open (or in ${DEMO_VIEWER_WAIT_MS / 1000} s)`);
  say((await dashboard.waitForViewer(DEMO_VIEWER_WAIT_MS, signal)) ? 'dashboard: the page is open' : 'dashboard: nobody opened the page yet; going on (it keeps updating)');
  return dashboard;
}
