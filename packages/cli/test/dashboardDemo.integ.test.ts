import type { DashboardSnapshot } from '../src/dashboard/DashboardSnapshot';
import { startCli, type CliProcess } from './runCli';

// `kinesis-toolkit demo --dashboard`, the built binary: the demo's own local stack, PostgreSQL,
// worker processes and chaos steps, watched through the dashboard's event stream as a page would.

let demo: CliProcess | undefined;
afterEach(() => demo?.kill('SIGKILL'));

/** Every snapshot the event stream sends until it ends (the demo stops the dashboard when it is done). */
async function watch(url: string): Promise<DashboardSnapshot[]> {
  const snapshots: DashboardSnapshot[] = [];
  const response = await fetch(`${url}api/events`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        buffer = buffer.slice(end + 2);
        if (data !== undefined) snapshots.push(JSON.parse(data.slice(6)) as DashboardSnapshot);
      }
    }
  } catch {
    // The server closing the stream mid-chunk ends the watch like a clean end.
  }
  return snapshots;
}

describe('kinesis-toolkit demo --dashboard', () => {
  it('serves the dashboard of the run, waits for the page, and shows the split, the merge and the takeover as they happen', async () => {
    demo = startCli(['demo', '--dashboard', '--records', '6000', '--rate', '1000'], { timeoutMs: 180_000 });
    const [, url] = (await demo.waitForOutput(/dashboard: (http:\/\/127\.0\.0\.1:\d+\/) — open it in a browser/, { timeoutMs: 90_000 })) as RegExpMatchArray;
    const watching = watch(url!);
    await demo.waitForOutput(/dashboard: the page is open/);
    const result = await demo.exited;
    const snapshots = await watching;
    // Whether the demo's own verification passes is demo.integ.test.ts's business; here the run
    // must reach its summary, with the chaos steps done.
    if (!/\nSummary\n/.test(result.stdout)) throw new Error(`the demo did not finish: ${demo.describe()}`);
    const [, victim, held] = /kill -9 (worker-\d+) \(pid \d+\), holding (.+)\n/.exec(result.stdout) ?? [];
    expect(victim).toBeDefined();

    const last = snapshots.at(-1)!;
    // The split: a closed shard with two children; the merge: a shard with two parents.
    expect(last.shards.some((shard) => !shard.open && shard.childShardIds.length === 2)).toBe(true);
    expect(last.shards.some((shard) => shard.parentShardIds.length === 2)).toBe(true);
    // The takeover: a shard the killed worker held is shown owned by it, then by another worker;
    // at the end it owns nothing (a finished parent's lease may be deleted rather than taken).
    const ownersOf = (shardId: string) => snapshots.map((snapshot) => snapshot.shards.find((shard) => shard.shardId === shardId)?.lease?.owner ?? null);
    const victimShards = held!.split(', ').map((name) => `shardId-${name.replace('shard ', '').padStart(12, '0')}`);
    const movedOn = victimShards.filter((shardId) => {
      const owners = ownersOf(shardId);
      const lastHeld = owners.lastIndexOf(victim!);
      return lastHeld >= 0 && owners.slice(lastHeld + 1).some((owner) => owner !== null && owner !== victim);
    });
    expect(movedOn.length).toBeGreaterThan(0);
    expect(last.shards.filter((shard) => shard.lease?.owner === victim)).toEqual([]);
  }, 240_000);
});
