import { RecordProcessingError } from '../pipeline/RecordProcessingError';
import { LogToJsonConverter } from './LogToJsonConverter';

const parse = (format: string, line: string) => JSON.parse(new LogToJsonConverter({ logFormat: format }).convert(line)) as Record<string, unknown>;

describe('LogToJsonConverter', () => {
  it('parses Apache common log lines with the agent’s field names, `-` as null', () => {
    expect(parse('COMMONAPACHELOG', '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326')).toEqual({
      host: '127.0.0.1',
      ident: null,
      authuser: 'frank',
      datetime: '10/Oct/2000:13:55:36 -0700',
      request: 'GET /apache_pb.gif HTTP/1.0',
      response: '200',
      bytes: '2326',
    });
    expect(parse('COMMONAPACHELOG', 'example.com - - [10/Oct/2000:13:55:36 -0700] "HEAD / HTTP/1.1" 304 -')).toMatchObject({ authuser: null, bytes: null });
  });

  it('parses Apache combined log lines, including an escaped quote in the request', () => {
    const line = '10.0.0.2 - - [01/Jan/2024:00:00:01 +0000] "GET /q?x=\\"y\\" HTTP/1.1" 404 12 "http://ref.example/" "Mozilla/5.0 (X11; Linux)"';
    expect(parse('COMBINEDAPACHELOG', line)).toEqual({
      host: '10.0.0.2',
      ident: null,
      authuser: null,
      datetime: '01/Jan/2024:00:00:01 +0000',
      request: 'GET /q?x=\\"y\\" HTTP/1.1',
      response: '404',
      bytes: '12',
      referer: 'http://ref.example/',
      agent: 'Mozilla/5.0 (X11; Linux)',
    });
  });

  it('parses RFC 3164 syslog lines, with and without a process id, and a one-digit day', () => {
    expect(parse('SYSLOG', 'Mar  7 04:02:16 web-1 sshd[4321]: Accepted publickey for ec2-user')).toEqual({
      timestamp: 'Mar  7 04:02:16',
      hostname: 'web-1',
      program: 'sshd',
      processid: '4321',
      message: 'Accepted publickey for ec2-user',
    });
    expect(parse('SYSLOG', 'Oct 11 22:14:15 mymachine kernel: eth0 link up')).toEqual({
      timestamp: 'Oct 11 22:14:15',
      hostname: 'mymachine',
      program: 'kernel',
      processid: null,
      message: 'eth0 link up',
    });
  });

  it('parses Apache error log lines', () => {
    expect(parse('APACHEERRORLOG', '[Wed Oct 11 14:32:52 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/htdocs/favicon.ico')).toEqual({
      timestamp: 'Wed Oct 11 14:32:52 2000',
      module: 'core',
      severity: 'error',
      processid: '35708',
      threadid: '4328636416',
      client: '72.15.99.187',
      message: 'File does not exist: /usr/htdocs/favicon.ico',
    });
  });

  it('fails a line of another format with a typed, non-retryable error', () => {
    const converter = new LogToJsonConverter({ logFormat: 'SYSLOG' });
    let error: unknown;
    try {
      converter.convert('this is not syslog');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RecordProcessingError);
    expect(error).toMatchObject({ code: 'LogParseFailed', retryable: false });
  });

  it('takes a custom matchPattern with customFieldNames, and checks their count against the groups', () => {
    const converter = new LogToJsonConverter({ logFormat: 'SYSLOG', matchPattern: '^(\\w+)=(\\d+)$', customFieldNames: ['key', 'value'] });
    expect(JSON.parse(converter.convert('count=3'))).toEqual({ key: 'count', value: '3' });
    expect(() => new LogToJsonConverter({ logFormat: 'SYSLOG', matchPattern: '^(\\w+)$', customFieldNames: ['a', 'b'] })).toThrow(/1 groups/);
    expect(() => new LogToJsonConverter({ logFormat: 'SYSLOG', matchPattern: '(x)' })).toThrow(/customFieldNames/);
    expect(() => new LogToJsonConverter({ logFormat: 'NGINX' })).toThrow(/logFormat: expected one of/);
  });
});
