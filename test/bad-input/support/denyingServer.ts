import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stub server that answers every AWS JSON request (Kinesis, DynamoDB) the way the services
 * answer a caller without the permission: HTTP 400 `AccessDeniedException`. No emulator models
 * IAM, so the "access denied" cases use this stand-in, and say so in their names.
 */
export async function startDenyingServer(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? 'unknown.Unknown');
      const operation = target.split('.')[1] ?? 'Unknown';
      const service = target.startsWith('DynamoDB') ? 'dynamodb' : 'kinesis';
      const contentType = String(request.headers['content-type'] ?? 'application/x-amz-json-1.1');
      const body = JSON.stringify({
        __type: 'AccessDeniedException',
        message: `User: arn:aws:iam::000000000000:user/bad-input is not authorized to perform: ${service}:${operation} because no identity-based policy allows the ${service}:${operation} action`,
      });
      response.writeHead(400, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': 'bad-input' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
