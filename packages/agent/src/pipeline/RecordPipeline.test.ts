import { RecordTooLargeError } from '@kinesis-toolkit/aggregation';
import { PutFailedError } from '@kinesis-toolkit/kpl';
import { FakeProducer } from '../../test/FakeProducer';
import type { RecordOutcome } from '../tailing/OffsetTracker';
import { PartitionKeyStrategy } from './PartitionKeyStrategy';
import { buildConverters } from '../processing/buildConverters';
import { RecordPipeline } from './RecordPipeline';
import type { SourceRecord } from './SourceRecord';

function setup(producer: FakeProducer, overrides: Partial<ConstructorParameters<typeof RecordPipeline>[0]> = {}) {
  const reports: string[] = [];
  const pipeline = new RecordPipeline({
    producer,
    converters: [],
    partitionKey: new PartitionKeyStrategy({ kind: 'deterministic' }),
    truncatedRecordTerminator: '…\n',
    report: (message) => reports.push(message),
    ...overrides,
  });
  const outcomes: (RecordOutcome | undefined)[] = [];
  const submit = (text: string, truncated = false) => {
    const index = outcomes.push(undefined) - 1;
    const record: SourceRecord = { data: Buffer.from(text), truncated, location: `f:${index}`, settle: (outcome) => (outcomes[index] = outcome) };
    pipeline.submit(record);
  };
  return { pipeline, reports, outcomes, submit };
}

describe('RecordPipeline', () => {
  it('sends each record with the agent’s "\\n" terminator and reports acknowledgement back', async () => {
    const producer = new FakeProducer(true);
    const { pipeline, outcomes, submit } = setup(producer);
    submit('hello');
    await pipeline.drain();
    expect(producer.puts[0]!.data.toString()).toBe('hello\n');
    expect(producer.puts[0]!.partitionKey).toMatch(/^[0-9a-f]{32}$/);
    expect(outcomes).toEqual(['acknowledged']);
    expect(pipeline.stats).toEqual({ sent: 1, failed: 0, truncated: 0 });
  });

  it('applies the processing options in order, then derives the key from the result', async () => {
    const producer = new FakeProducer(true);
    const { pipeline, submit } = setup(producer, {
      converters: buildConverters([{ optionName: 'CSVTOJSON', customFieldNames: ['host', 'n'] }]),
      partitionKey: new PartitionKeyStrategy({ kind: 'field', field: 'host' }),
    });
    submit('web-1,3');
    await pipeline.drain();
    expect(producer.puts[0]).toMatchObject({ partitionKey: 'web-1', data: Buffer.from('{"host":"web-1","n":"3"}\n') });
  });

  it('reports a record processing cannot handle, counts it as failed and lets the checkpoint pass it', async () => {
    const producer = new FakeProducer(true);
    const { pipeline, reports, outcomes, submit } = setup(producer, { converters: buildConverters([{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG' }]) });
    submit('garbage');
    await pipeline.drain();
    expect(producer.puts).toHaveLength(0);
    expect(outcomes).toEqual(['dropped']);
    expect(reports).toEqual([expect.stringMatching(/^record at f:0 not sent \[LogParseFailed\]: not a SYSLOG line/)]);
    expect(pipeline.stats.failed).toBe(1);
  });

  it('reports a failed put with its code and holds the checkpoint; bad-input rejections pass', async () => {
    const producer = new FakeProducer(true);
    producer.failures.set('lost', new PutFailedError('ResourceNotFoundException', 'Stream s not found', [], { retryable: false, context: { streamName: 's' } }));
    producer.failures.set('huge', new RecordTooLargeError(2_000_000, 1_048_576, 'record'));
    const { pipeline, reports, outcomes, submit } = setup(producer);
    submit('lost');
    submit('huge');
    submit('fine');
    await pipeline.drain();
    expect(outcomes).toEqual(['failed', 'dropped', 'acknowledged']);
    expect(reports[0]).toBe('record at f:0 not sent [PutFailed]: ResourceNotFoundException: Stream s not found');
    expect(reports[1]).toMatch(/^record at f:1 not sent \[InvalidRecord\]: record/);
    expect(pipeline.stats).toEqual({ sent: 1, failed: 2, truncated: 0 });
  });

  it('ends a truncated record with the truncated-record terminator and says so', async () => {
    const producer = new FakeProducer(true);
    const { pipeline, reports, submit } = setup(producer);
    submit('abc', true);
    await pipeline.drain();
    expect(producer.puts[0]!.data.toString()).toBe('abc…\n');
    expect(reports).toEqual(['record at f:0 was longer than the record size limit: sent its first 3 bytes']);
    expect(pipeline.stats.truncated).toBe(1);
  });

  it('drain() resolves only after every outcome is delivered; waitForRoom() follows the producer’s drain event', async () => {
    const producer = new FakeProducer(false);
    const { pipeline, outcomes, submit } = setup(producer);
    submit('a');
    submit('b');
    let drained = false;
    const draining = pipeline.drain().then(() => (drained = true));
    producer.puts[1]!.acknowledge();
    await Promise.resolve();
    expect(drained).toBe(false);
    producer.puts[0]!.acknowledge();
    await draining;
    expect(outcomes).toEqual(['acknowledged', 'acknowledged']);

    producer.hasCapacity = false;
    let roomy = false;
    const waiting = pipeline.waitForRoom().then(() => (roomy = true));
    await Promise.resolve();
    expect(roomy).toBe(false);
    producer.emit('drain');
    await waiting;
  });

  describe('aggregatedRecordSizeBytes (Firehose)', () => {
    const firehose = (producer: FakeProducer, bytes: number) => setup(producer, { partitionKey: undefined, aggregatedRecordSizeBytes: bytes });

    it('joins converted records into one put within the bound, each ending with its own \n, and settles every record with the put', async () => {
      const producer = new FakeProducer(false);
      const { pipeline, outcomes, submit } = setup(producer, {
        partitionKey: undefined,
        aggregatedRecordSizeBytes: 40,
        converters: buildConverters([{ optionName: 'CSVTOJSON', customFieldNames: ['n'] }]),
      });
      for (const n of ['1', '2', '3', '4']) submit(n);
      // {"n":"1"}\n is 10 bytes: four fill the 40 bytes exactly, and go at once.
      expect(producer.puts.map((p) => p.data.toString())).toEqual(['{"n":"1"}\n{"n":"2"}\n{"n":"3"}\n{"n":"4"}\n']);
      expect(outcomes).toEqual([undefined, undefined, undefined, undefined]);
      producer.puts[0]!.acknowledge();
      await pipeline.drain();
      expect(outcomes).toEqual(['acknowledged', 'acknowledged', 'acknowledged', 'acknowledged']);
      expect(pipeline.stats).toEqual({ sent: 4, failed: 0, truncated: 0 });
    });

    it('puts what it holds when the reader pauses (waitForRoom, endOfRead, drain): it never waits for more lines', async () => {
      const producer = new FakeProducer(true);
      const { pipeline, submit } = firehose(producer, 1000);
      submit('a');
      submit('b');
      expect(producer.puts).toHaveLength(0);
      await pipeline.waitForRoom();
      submit('c');
      pipeline.endOfRead();
      submit('d');
      await pipeline.drain();
      expect(producer.puts.map((p) => p.data.toString())).toEqual(['a\nb\n', 'c\n', 'd\n']);
    });

    it('a record bigger than the bound goes alone and whole', async () => {
      const producer = new FakeProducer(true);
      const { pipeline, submit } = firehose(producer, 8);
      for (const text of ['aa', 'bbbbbbbbbbbb', 'cc', 'dd']) submit(text);
      await pipeline.drain();
      expect(producer.puts.map((p) => p.data.toString())).toEqual(['aa\n', 'bbbbbbbbbbbb\n', 'cc\ndd\n']);
    });

    it('a failed put fails every record in it, on one report line, and holds their checkpoint', async () => {
      const producer = new FakeProducer(true);
      producer.failures.set('x\ny', new Error('AccessDenied'));
      const { pipeline, reports, outcomes, submit } = firehose(producer, 100);
      submit('x');
      submit('y');
      await pipeline.drain();
      expect(outcomes).toEqual(['failed', 'failed']);
      expect(reports).toEqual(['2 records joined (aggregatedRecordSizeBytes) at f:0 to f:1 not sent [Error]: AccessDenied']);
      expect(pipeline.stats).toEqual({ sent: 0, failed: 2, truncated: 0 });
    });

    it('is refused with a partition key (Kinesis streams are aggregated by the KPL instead)', () => {
      expect(() => setup(new FakeProducer(true), { aggregatedRecordSizeBytes: 10 })).toThrow(/^aggregatedRecordSizeBytes: expected 0 with a partition key/);
    });
  });
});
