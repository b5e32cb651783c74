import { createServer, type AddressInfo } from 'node:net';

/**
 * A TCP port that was free on `host` a moment ago: the OS picks it (listen on port 0) and the
 * probe socket is closed again. Only for servers that cannot listen on port 0 themselves and
 * report back (postgres, kinesis-mock); another process may take the port in between, so
 * callers retry on a bind failure.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
