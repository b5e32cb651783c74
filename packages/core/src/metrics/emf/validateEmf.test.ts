import { validateEmf } from './validateEmf';

const TIMESTAMP = Date.UTC(2025, 0, 1);

/** The specification's own valid example. */
const SPEC_EXAMPLE = {
  _aws: { Timestamp: 1574109732004, CloudWatchMetrics: [{ Namespace: 'lambda-function-metrics', Dimensions: [['functionVersion']], Metrics: [{ Name: 'time', Unit: 'Milliseconds' }] }] },
  functionVersion: '$LATEST',
  time: 100,
  requestId: '989ffbf8-9ace-4817-a57c-e4dd734019ee',
};

const valid = (): Record<string, unknown> & { _aws: { Timestamp: unknown; CloudWatchMetrics: Record<string, unknown>[] } } => ({
  _aws: { Timestamp: TIMESTAMP, CloudWatchMetrics: [{ Namespace: 'App', Dimensions: [['Operation'], []], Metrics: [{ Name: 'Time', Unit: 'Milliseconds' }] }] },
  Operation: 'ProcessTask',
  Time: [1, 2, 3],
});

describe('validateEmf (the embedded metric format specification)', () => {
  it('accepts the specification example and an empty DimensionSet', () => {
    expect(validateEmf(JSON.stringify(SPEC_EXAMPLE))).toEqual([]);
    expect(validateEmf(JSON.stringify(valid()))).toEqual([]);
  });

  const cases: [string, (doc: ReturnType<typeof valid>) => unknown, RegExp][] = [
    ['a dimension not at the root', (doc) => delete doc.Operation, /dimension Operation is not a member of the root/],
    ['a dimension with a number value', (doc) => (doc.Operation = 7), /dimension Operation must have a string value/],
    ['a metric not at the root', (doc) => delete doc.Time, /metric Time is not a member of the root/],
    ['a metric with a string value', (doc) => (doc.Time = '5'), /expected a number or an array of numbers/],
    ['101 values for one metric', (doc) => (doc.Time = Array.from({ length: 101 }, (_, i) => i)), /101 values, over 100/],
    ['101 metrics in one directive', (doc) => {
      const names = Array.from({ length: 101 }, (_, i) => `M${i}`);
      doc._aws.CloudWatchMetrics[0]!.Metrics = names.map((Name) => ({ Name }));
      for (const name of names) doc[name] = 1;
    }, /101 MetricDefinitions, over 100/],
    ['no Timestamp', (doc) => delete doc._aws.Timestamp, /_aws.Timestamp: expected an integer/],
    ['a performance.now() timestamp (a 1970 date)', (doc) => (doc._aws.Timestamp = 123456), /1970-01-01T00:02:03.456Z, not epoch milliseconds/],
    ['a fractional timestamp', (doc) => (doc._aws.Timestamp = TIMESTAMP + 0.5), /expected an integer/],
    ['no Namespace', (doc) => delete doc._aws.CloudWatchMetrics[0]!.Namespace, /Namespace: expected a string of 1 to 255/],
    ['an empty Dimensions array', (doc) => (doc._aws.CloudWatchMetrics[0]!.Dimensions = []), /Dimensions: expected a non-empty array/],
    ['31 dimension keys', (doc) => {
      const keys = Array.from({ length: 31 }, (_, i) => `D${i}`);
      doc._aws.CloudWatchMetrics[0]!.Dimensions = [keys];
      for (const key of keys) doc[key] = 'v';
    }, /31 dimension keys, over 30/],
    ['an unknown unit', (doc) => ((doc._aws.CloudWatchMetrics[0]!.Metrics as { Unit: string }[])[0]!.Unit = 'Millis'), /"Millis" is not a CloudWatch unit/],
    ['an extra member in a directive', (doc) => (doc._aws.CloudWatchMetrics[0]!.Stats = true), /unknown member Stats/],
    ['CloudWatchMetrics not an array', (doc) => (doc._aws.CloudWatchMetrics = {} as never), /CloudWatchMetrics: missing, or not an array/],
    ['a nested target (A.a is a root member, not A: { a })', (doc) => {
      (doc._aws.CloudWatchMetrics[0]!.Metrics as { Name: string }[])[0]!.Name = 'A.a';
      doc.A = { a: 1 };
    }, /metric A.a is not a member of the root/],
  ];

  it.each(cases)('rejects %s', (_label, breakIt, problem) => {
    const doc = valid();
    breakIt(doc);
    const problems = validateEmf(JSON.stringify(doc));
    expect(problems.join('\n')).toMatch(problem);
  });

  it('rejects text around the JSON object, a JSON array, and a line over 256 KB', () => {
    expect(validateEmf(`INFO ${JSON.stringify(valid())}`)[0]).toMatch(/not one JSON value/);
    expect(validateEmf('[1]')).toEqual(['the root is not a JSON object']);
    const big = { ...valid(), padding: 'x'.repeat(262_144) };
    expect(validateEmf(JSON.stringify(big))[0]).toMatch(/over 262144/);
  });
});
