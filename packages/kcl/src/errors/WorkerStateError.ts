import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A worker method called in a state that does not allow it: `start()` twice, or after `shutdown()`. */
export class WorkerStateError extends KinesisToolkitError {
  /**
   * @param hint - what to do instead. @defaultValue create a new worker to start again
   */
  constructor(method: string, state: string, hint = 'a worker starts once (create a new one to start again)') {
    super('WORKER_STATE', `Worker.${method}(): the worker is ${state}; ${hint}`, { retryable: false, context: { state } });
  }
}
