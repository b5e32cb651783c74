// The inputs of the four data-plane operations, member by member, in the order the AWS SDK for
// Java marshals them (its Kinesis model `service-2.json`: members in model order, members added
// later — StreamARN, StreamId, DryRun — after them). A null or undefined member is left out, as
// Java leaves out nulls.

/** How one input member is written. */
export type MemberKind = 'string' | 'integer' | 'boolean' | 'blob' | 'timestamp' | 'records';

/** An input structure: member name → kind, in marshalling order. */
export type RequestShape = readonly (readonly [name: string, kind: MemberKind])[];

/** A `PutRecordsRequestEntry`. */
export const PUT_RECORDS_ENTRY: RequestShape = [
  ['Data', 'blob'],
  ['ExplicitHashKey', 'string'],
  ['PartitionKey', 'string'],
];

const STREAM_TARGET: RequestShape = [
  ['StreamARN', 'string'],
  ['StreamId', 'string'],
  ['DryRun', 'boolean'],
];

/** The operations this package speaks CBOR for, by the SDK's command name. */
export const REQUEST_SHAPES = {
  GetRecords: [['ShardIterator', 'string'], ['Limit', 'integer'], ...STREAM_TARGET],
  GetShardIterator: [
    ['StreamName', 'string'],
    ['ShardId', 'string'],
    ['ShardIteratorType', 'string'],
    ['StartingSequenceNumber', 'string'],
    ['Timestamp', 'timestamp'],
    ...STREAM_TARGET,
  ],
  PutRecord: [
    ['StreamName', 'string'],
    ['Data', 'blob'],
    ['PartitionKey', 'string'],
    ['ExplicitHashKey', 'string'],
    ['SequenceNumberForOrdering', 'string'],
    ...STREAM_TARGET,
  ],
  PutRecords: [['Records', 'records'], ['StreamName', 'string'], ...STREAM_TARGET],
} satisfies Record<string, RequestShape>;

/** `GetRecords`, `GetShardIterator`, `PutRecord` or `PutRecords`. */
export type WireOperation = keyof typeof REQUEST_SHAPES;

/** The operations that have a CBOR form here. */
export const WIRE_OPERATIONS = Object.freeze(Object.keys(REQUEST_SHAPES) as WireOperation[]);

/** The operation of an SDK command name (`GetRecordsCommand`), or undefined for any other command. */
export function wireOperationOf(commandName: unknown): WireOperation | undefined {
  if (typeof commandName !== 'string' || !commandName.endsWith('Command')) return undefined;
  const name = commandName.slice(0, -'Command'.length);
  return Object.prototype.hasOwnProperty.call(REQUEST_SHAPES, name) ? (name as WireOperation) : undefined;
}
