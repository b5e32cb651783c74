import { ManualClock } from '@kinesis-toolkit/core';
import { CallMeter } from './CallMeter';

class ListShardsCommand {}
class ScanCommand {}

describe('CallMeter', () => {
  it('counts the requests a wrapped client sends, by command, over the last minute', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const meter = new CallMeter(clock);
    const sent: unknown[] = [];
    const client = { send: async (command: unknown) => (sent.push(command), 'answer'), region: 'here' };
    const wrapped = meter.wrap(client);
    await expect(wrapped.send(new ListShardsCommand())).resolves.toBe('answer');
    expect(wrapped.region).toBe('here');
    await wrapped.send(new ScanCommand());
    await clock.advance(30_000);
    await wrapped.send(new ScanCommand());
    expect(sent).toHaveLength(3);
    expect(meter.perMinute()).toEqual([
      { operation: 'ListShards', perMinute: 1 },
      { operation: 'Scan', perMinute: 2 },
    ]);
    await clock.advance(30_000);
    expect(meter.perMinute()).toEqual([{ operation: 'Scan', perMinute: 1 }]);
  });
});
