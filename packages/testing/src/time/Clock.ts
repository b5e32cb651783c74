// The clock is shared by every kinesis-toolkit package; it lives in the aggregation package.
export { SYSTEM_CLOCK } from '@kinesis-toolkit/aggregation';
export type { Clock, TimerHandle } from '@kinesis-toolkit/aggregation';
