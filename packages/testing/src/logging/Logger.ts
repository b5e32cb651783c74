// The logger interface is shared by every kinesis-toolkit package; it lives in the aggregation package.
export { NOOP_LOGGER } from '@kinesis-toolkit/aggregation';
export type { Logger } from '@kinesis-toolkit/aggregation';
