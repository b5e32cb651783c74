import { memoryContext } from '../../test/memoryContext';
import { main } from '../main';

// Flag checks happen before any AWS call: these need no stack.
describe('consume flags', () => {
  it.each([
    [[], 'kinesis-toolkit consume: --stream NAME is required (or --config FILE). Run `kinesis-toolkit consume --help` for the flags.'],
    [['--stream', 's', '--position', 'OLDEST'], 'kinesis-toolkit consume: --position must be TRIM_HORIZON, LATEST or AT_TIMESTAMP, got "OLDEST".'],
    [['--stream', 's', '--position', 'AT_TIMESTAMP'], 'kinesis-toolkit consume: --position AT_TIMESTAMP needs --timestamp ISO (e.g. 2024-05-01T12:00:00Z).'],
    [['--stream', 's', '--position', 'LATEST', '--timestamp', '2024-05-01T00:00:00Z'], 'kinesis-toolkit consume: --timestamp goes with --position AT_TIMESTAMP, not LATEST.'],
    [['--stream', 's', '--timestamp', 'yesterday'], 'kinesis-toolkit consume: --timestamp must be an ISO 8601 date-time like 2024-05-01T12:00:00Z, got "yesterday".'],
    [['--stream', 's', '--timestamp', '2024-13-45T00:00:00Z'], 'kinesis-toolkit consume: --timestamp must be an ISO 8601 date-time like 2024-05-01T12:00:00Z, got "2024-13-45T00:00:00Z".'],
    [['--stream', 's', '--format', 'xml'], 'kinesis-toolkit consume: --format must be json, text, raw, got "xml".'],
    [['--stream', 's', '--limit', '0'], 'kinesis-toolkit consume: --limit must be an integer ≥ 1, got "0". Run `kinesis-toolkit consume --help` for the flags.'],
    [['--config', 'p.json', '--stream', 's', '--limit', '3'], 'kinesis-toolkit consume: --config takes the stream and position from the file; drop --stream, --limit.'],
  ])('%j → one line, exit code 2', async (argv, message) => {
    const context = memoryContext();
    expect(await main(['consume', ...argv], context)).toBe(2);
    expect(context.stderrText()).toBe(`${message}\n`);
    expect(context.stdoutText()).toBe('');
  });
});
