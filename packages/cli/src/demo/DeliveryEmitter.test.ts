import type { EmitBatch, Emitter } from '@kinesis-toolkit/connector';
import type { DeliveredRow, DemoRecord } from './DemoRecord';
import { DeliveryEmitter } from './DeliveryEmitter';

const record = (n: number): DemoRecord => ({ runId: 'r', source: 'clicks', key: 'clicks:0', n, producedAt: 1000 + n });
const batchOf = (items: DemoRecord[]): EmitBatch<DemoRecord> => ({
  streamName: 's',
  shardId: 'shardId-000000000004',
  batchId: 'b',
  items,
  sources: items.map((_, i) => ({ sequenceNumber: '4950', subSequenceNumber: i, partitionKey: 'clicks:0', data: Buffer.from('') })),
  first: { sequenceNumber: '4950', subSequenceNumber: 0 },
  last: { sequenceNumber: '4950', subSequenceNumber: items.length - 1 },
  attempt: 1,
});

describe('DeliveryEmitter', () => {
  it('stamps each row with its shard, position and write time, and reports what every sink took', async () => {
    const written: DeliveredRow[] = [];
    const reported: string[][] = [];
    const sink: Emitter<DeliveredRow> = {
      emit: async (batch) => {
        written.push(...batch.items);
        return { failed: [batch.items[1]!] };
      },
    };
    const items = [record(0), record(1), record(2)];
    const result = await new DeliveryEmitter(sink, (ids) => reported.push(ids), () => 5000).emit(batchOf(items));
    expect(written[2]).toEqual({ ...record(2), shardId: 'shardId-000000000004', sequenceNumber: '4950', subSequenceNumber: 2, emittedAt: 5000 });
    expect(result.failed).toEqual([items[1]]);
    expect(reported).toEqual([['clicks:0#0', 'clicks:0#2']]);
  });

  it('reports nothing when the sink throws', async () => {
    const reported: string[][] = [];
    const sink: Emitter<DeliveredRow> = {
      emit: async () => {
        throw new Error('down');
      },
    };
    await expect(new DeliveryEmitter(sink, (ids) => reported.push(ids)).emit(batchOf([record(0)]))).rejects.toThrow('down');
    expect(reported).toEqual([]);
  });
});
