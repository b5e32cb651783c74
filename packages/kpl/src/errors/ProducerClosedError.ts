import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** `put()` was called after `close()`. */
export class ProducerClosedError extends KinesisToolkitError {
  constructor(streamName: string) {
    super('ProducerClosed', 'the producer is closed and takes no more records', { context: { streamName } });
  }
}
