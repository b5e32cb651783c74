import { join } from 'node:path';
import { ForkedTestProcess } from '../../../test/support/ForkedTestProcess';
import type { AnalyticsWorkerMessage, AnalyticsWorkerProcessOptions } from './analyticsWorkerProtocol';

/** An {@link AnalyticsWorkerProcessOptions analytics worker} in a child node process (run against the built packages). */
export class AnalyticsWorkerProcess extends ForkedTestProcess<AnalyticsWorkerMessage> {
  constructor(readonly options: AnalyticsWorkerProcessOptions) {
    super({
      script: join(__dirname, 'analyticsWorkerChild.ts'),
      config: options,
      cwd: join(__dirname, '..'),
      name: options.workerId,
      builtPackages: ['aggregation', 'kcl', 'kpl', 'connector', 'analytics', 'testing'],
    });
  }

  /** The latest progress report, if any. */
  get progress(): Extract<AnalyticsWorkerMessage, { type: 'progress' }> | undefined {
    return this.of('progress').at(-1);
  }
}
