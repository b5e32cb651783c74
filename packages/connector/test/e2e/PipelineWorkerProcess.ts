import { join } from 'node:path';
import type { PipelineWorkerMessage, PipelineWorkerOptions } from './pipelineWorkerProtocol';
import { ForkedTestProcess } from '../../../../test/support/ForkedTestProcess';

const PACKAGES = join(__dirname, '..', '..', '..');
const SCRIPT = join(__dirname, 'pipelineWorkerChild.ts');
/** What the child loads from dist/. */
const BUILT_PACKAGES = ['aggregation', 'kcl', 'testing', 'connector'];

/**
 * A Worker + connector pipeline into PostgreSQL in a child node process (pipelineWorkerChild.ts,
 * run with ts-node against the built packages).
 */
export class PipelineWorkerProcess extends ForkedTestProcess<PipelineWorkerMessage> {
  /** @throws Error when the packages the child needs are not built, or are older than their sources. */
  constructor(readonly options: PipelineWorkerOptions) {
    super({ script: SCRIPT, config: options, cwd: join(PACKAGES, 'connector'), name: options.workerId, builtPackages: BUILT_PACKAGES });
  }
}
