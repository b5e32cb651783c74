import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { HTTP2_PREFACE, sniffProtocol, type WireProtocol } from './sniffProtocol';

// A PassThrough stands in for the socket: sniffing only reads, unshifts and destroys.
function sniff(): { socket: PassThrough; verdicts: WireProtocol[] } {
  const socket = new PassThrough();
  const verdicts: WireProtocol[] = [];
  sniffProtocol(socket as unknown as Socket, (protocol) => verdicts.push(protocol));
  return { socket, verdicts };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('sniffProtocol', () => {
  it('recognises the HTTP/2 preface even one byte at a time, and leaves every byte unread', async () => {
    const { socket, verdicts } = sniff();
    const bytes = Buffer.concat([HTTP2_PREFACE, Buffer.from([0, 0, 0, 4])]);
    for (const byte of bytes.subarray(0, HTTP2_PREFACE.length - 1)) {
      socket.write(Buffer.from([byte]));
      await tick();
    }
    expect(verdicts).toEqual([]);
    socket.write(bytes.subarray(HTTP2_PREFACE.length - 1));
    await tick();
    expect(verdicts).toEqual(['h2']);
    expect(socket.read()).toEqual(bytes);
  });

  it.each(['POST / HTTP/1.1\r\n', 'PUT / HTTP/1.1\r\n', 'PRI / HTTP/1.1\r\n', 'G'])('calls %j HTTP/1.1 as soon as it departs from the preface', async (start) => {
    const { socket, verdicts } = sniff();
    socket.write(start);
    await tick();
    expect(verdicts).toEqual(['http/1.1']);
    expect(socket.read()?.toString()).toBe(start);
  });

  it('decides once, and not at all for a connection that ends or fails first (it is destroyed)', async () => {
    const ended = sniff();
    ended.socket.end('PRI * HTTP');
    await tick();
    expect(ended.verdicts).toEqual([]);
    expect(ended.socket.destroyed).toBe(true);

    const failed = sniff();
    failed.socket.write('PRI');
    failed.socket.emit('error', new Error('ECONNRESET'));
    await tick();
    expect(failed.verdicts).toEqual([]);
    expect(failed.socket.destroyed).toBe(true);

    const once = sniff();
    once.socket.write('GET / HTTP/1.1\r\n');
    await tick();
    once.socket.write('more');
    await tick();
    expect(once.verdicts).toEqual(['http/1.1']);
  });
});
