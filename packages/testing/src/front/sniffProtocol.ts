import type { Socket } from 'node:net';

/**
 * The client connection preface of HTTP/2 (RFC 9113 §3.4). A client that speaks HTTP/2 over
 * cleartext "with prior knowledge" — what the AWS SDK's `NodeHttp2Handler` does for an `http://`
 * endpoint — sends it first; no HTTP/1.1 request line starts with it (`PRI` is no method).
 */
export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Which protocol a connection speaks, from its first bytes. */
export type WireProtocol = 'h2' | 'http/1.1';

/**
 * Reads a new connection's first bytes until they either match the whole HTTP/2 preface or stop
 * matching it, puts them back (`unshift`) and calls `onProtocol` with the verdict — at most once,
 * and never for a connection that closes or fails first (it is destroyed). The socket is left
 * paused with its bytes unread, for a server to take over (`server.emit('connection', socket)`).
 */
export function sniffProtocol(socket: Socket, onProtocol: (protocol: WireProtocol) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const stop = (): void => {
    socket.off('readable', onReadable);
    socket.off('end', onGone);
    socket.off('error', onGone);
  };
  const onGone = (): void => {
    stop();
    socket.destroy();
  };
  const onReadable = (): void => {
    for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read() as Buffer | null) {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    }
    const compared = Math.min(seen.length, HTTP2_PREFACE.length);
    const matching = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
    // A prefix of the preface could still be either: wait for the rest (clients send it whole).
    if (matching && compared < HTTP2_PREFACE.length) return;
    stop();
    socket.unshift(seen);
    onProtocol(matching ? 'h2' : 'http/1.1');
  };
  socket.on('readable', onReadable);
  socket.once('end', onGone);
  socket.once('error', onGone);
}
