import { FirehosePrefix } from './FirehosePrefix';
import { FirehoseTimeZone } from './FirehoseTimeZone';
import { firehoseObjectName } from './objectName';

const hourly = FirehosePrefix.parse('prefix', 'logs/', 'prefix');
const custom = FirehosePrefix.parse('prefix', 'dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/!{timestamp:mm.ss.SSS}/', 'prefix');
const errors = FirehosePrefix.parse('errorOutputPrefix', 'errors/!{firehose:error-output-type}/', 'errorPrefix');
const zone = (name: string) => FirehoseTimeZone.parse('customTimeZone', name);
const prefixAt = (name: string, iso: string, prefix = hourly) => prefix.expand({ timestamp: zone(name).wallClock(new Date(iso)), randomString: 'r' });

describe('FirehoseTimeZone (Firehose’s CustomTimeZone)', () => {
  it('evaluates the default yyyy/MM/dd/HH/ prefix across America/New_York’s spring-forward: 01:59:59 EST is followed by 03:00:00 EDT', () => {
    expect(prefixAt('America/New_York', '2024-03-10T06:59:59Z')).toBe('logs/2024/03/10/01/');
    expect(prefixAt('America/New_York', '2024-03-10T07:00:00Z')).toBe('logs/2024/03/10/03/');
    expect(prefixAt('UTC', '2024-03-10T07:00:00Z')).toBe('logs/2024/03/10/07/');
  });

  it('evaluates the 01:00 hour twice at America/New_York’s fall-back (EDT, then EST an hour later)', () => {
    expect(prefixAt('America/New_York', '2024-11-03T05:30:00Z', custom)).toBe('dt=2024-11-03/hour=01/30.00.000/');
    expect(prefixAt('America/New_York', '2024-11-03T06:30:00Z', custom)).toBe('dt=2024-11-03/hour=01/30.00.000/');
    expect(prefixAt('America/New_York', '2024-11-03T07:30:00Z', custom)).toBe('dt=2024-11-03/hour=02/30.00.000/');
  });

  it('follows Europe/Berlin across its spring-forward and a month boundary', () => {
    expect(prefixAt('Europe/Berlin', '2024-03-31T00:59:59.250Z', custom)).toBe('dt=2024-03-31/hour=01/59.59.250/');
    expect(prefixAt('Europe/Berlin', '2024-03-31T01:00:00Z', custom)).toBe('dt=2024-03-31/hour=03/00.00.000/');
    expect(prefixAt('Europe/Berlin', '2024-05-31T22:30:00Z')).toBe('logs/2024/06/01/00/');
  });

  it('applies Asia/Kolkata’s half-hour offset (+05:30) to the prefix, the error prefix and the object name, across a year boundary', () => {
    const wall = zone('Asia/Kolkata').wallClock(new Date('2024-12-31T18:45:07Z'));
    expect(custom.expand({ timestamp: wall, randomString: 'r' })).toBe('dt=2025-01-01/hour=00/15.07.000/');
    expect(errors.expand({ timestamp: wall, randomString: 'r', errorOutputType: 'processing-failed' })).toBe('errors/processing-failed/2025/01/01/00/');
    expect(firehoseObjectName('orders', 1, wall, 'seed', '.gz')).toMatch(/^orders-1-2025-01-01-00-15-07-[0-9a-f-]{36}\.gz$/);
  });

  it('treats UTC and the empty string as Firehose’s default (the instant unchanged)', () => {
    const instant = new Date('2024-05-01T13:05:09Z');
    expect(FirehoseTimeZone.parse('customTimeZone', '')).toBe(FirehoseTimeZone.UTC);
    expect(FirehoseTimeZone.parse('customTimeZone', 'UTC').wallClock(instant)).toBe(instant);
  });

  it('builds one Intl formatter per zone, not one per evaluation', () => {
    zone('Asia/Tokyo');
    const constructor = jest.spyOn(Intl, 'DateTimeFormat');
    try {
      const tokyo = zone('Asia/Tokyo');
      for (let i = 0; i < 1000; i++) tokyo.wallClock(new Date(Date.UTC(2024, 0, 1) + i * 3_600_000));
      expect(constructor).not.toHaveBeenCalled();
    } finally {
      constructor.mockRestore();
    }
  });

  it.each([['EST'], ['PST'], ['Mars/Olympus_Mons'], ['America/New-York'], ['Etc/GMT+5'], [`Europe/${'A'.repeat(44)}`], [42]])('refuses %j, naming customTimeZone', (value) => {
    expect(() => FirehoseTimeZone.parse('customTimeZone', value)).toThrow(/^customTimeZone: expected an IANA time zone name Firehose supports/);
  });
});
