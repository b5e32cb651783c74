import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A worker method called in a state that does not allow it: `start()` twice, or after `shutdown()`. */
export class WorkerStateError extends KinesisToolkitError {
  constructor(method: string, state: string) {
    super('WORKER_STATE', `Worker.${method}(): the worker is ${state}; a worker starts once (create a new one to start again)`, { retryable: false, context: { state } });
  }
}
