import { PassThrough } from 'node:stream';
import { StderrLogger } from './StderrLogger';

function capture(verbose: boolean) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { logger: new StderrLogger(stream, 'kt produce', verbose), text: () => text };
}

describe('StderrLogger', () => {
  it('prints warnings and errors on one line each; info and debug only when verbose', () => {
    const quiet = capture(false);
    quiet.logger.info({}, 'rotated');
    quiet.logger.debug({}, 'detail');
    quiet.logger.warn({}, 'cannot open\n  x');
    quiet.logger.error({}, 'boom');
    expect(quiet.text()).toBe('kt produce: warning: cannot open x\nkt produce: error: boom\n');
    const loud = capture(true);
    loud.logger.info({}, 'rotated');
    expect(loud.text()).toBe('kt produce: info: rotated\n');
  });
});
