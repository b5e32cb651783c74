import { ManualClock, type Logger } from '@kinesis-toolkit/core';
import { throttledWarnings } from './throttledWarnings';

describe('throttledWarnings', () => {
  it('lets one warn/error line through per interval, says how many were held back, and passes debug and info', async () => {
    const clock = new ManualClock();
    const lines: [string, unknown, string][] = [];
    const logger: Logger = {
      debug: (c, m) => void lines.push(['debug', c, m]),
      info: (c, m) => void lines.push(['info', c, m]),
      warn: (c, m) => void lines.push(['warn', c, m]),
      error: (c, m) => void lines.push(['error', c, m]),
      child: () => logger,
    };
    const quiet = throttledWarnings(logger, 1_000, clock);
    quiet.warn({ n: 1 }, 'a');
    quiet.warn({ n: 2 }, 'b');
    quiet.child({}).error({ n: 3 }, 'c');
    quiet.debug({}, 'd');
    await clock.advance(1_000);
    quiet.warn({ n: 4 }, 'e');
    expect(lines).toEqual([
      ['warn', { n: 1 }, 'a'],
      ['debug', {}, 'd'],
      ['warn', { n: 4, suppressed: 2 }, 'e'],
    ]);
  });
});
