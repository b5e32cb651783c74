import { createServer } from 'node:net';
import { findFreePort } from './findFreePort';

describe('findFreePort', () => {
  it('returns a port another server can then bind on the same host', async () => {
    const port = await findFreePort('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
