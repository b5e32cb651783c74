import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerStartError } from '../errors/ServerStartError';
import { waitFor } from '../helpers/waitFor';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { ChildServer, type ChildServerOptions } from './ChildServer';

const fixture = (name: string): string => join(__dirname, 'fixtures', name);

function options(script: string, extra: Partial<ChildServerOptions> = {}): ChildServerOptions {
  return { name: 'fixture', script, readyMessage: true, startTimeoutMs: 10_000, stopTimeoutMs: 5_000, logger: NOOP_LOGGER, ...extra };
}

/** Whether `pid` is a live process; a zombie (exited, not yet reaped by its new parent) is not. */
function isRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2] !== 'Z';
  } catch {
    return false;
  }
}

describe('ChildServer', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kt-child-test-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('starts a script, hands it its config, and stops it so that it cleans up', async () => {
    const stopMarker = join(directory, 'stopped');
    const lines: string[] = [];
    const logger: Logger = { ...NOOP_LOGGER, debug: (_context, message) => lines.push(message) };
    const child = await ChildServer.start<{ pid: number; echo: string }>(
      options(fixture('echoServer.js'), { config: { echo: 'hi', stopMarker }, logger }),
    );
    expect(child.ready.echo).toBe('hi');
    expect(child.ready.pid).toBe(child.pid);
    expect(child.hasExited).toBe(false);
    await child.stop();
    await child.stop();
    expect(child.hasExited).toBe(true);
    expect(child.exitDescription).toBe('exited with code 0');
    expect(existsSync(stopMarker)).toBe(true);
  });

  it('rejects with the failure and the output of a script that fails to start', async () => {
    const error = (await ChildServer.start(options(fixture('failingServer.js'), { config: { port: 1234 } })).catch(
      (e: unknown) => e,
    )) as ServerStartError;
    expect(error).toBeInstanceOf(ServerStartError);
    expect(error.message).toContain('fixture did not start: Error: port 1234 is taken');
    expect(error.output).toContain('starting with {"port":1234}');
    expect(error.retryable).toBe(true);
    expect(error.context.server).toBe('fixture');
  });

  it('rejects when the process exits before it is ready', async () => {
    await expect(ChildServer.start(options(fixture('crashingServer.js')))).rejects.toThrow(
      /its process exited with code 7 before it was ready[\s\S]*about to crash/,
    );
  });

  it('kills a child that is not ready in time', async () => {
    // No node process can start and report within 1 ms.
    const error = (await ChildServer.start(
      options(fixture('echoServer.js'), { startTimeoutMs: 1, config: {} }),
    ).catch((e: unknown) => e)) as ServerStartError;
    expect(error).toBeInstanceOf(ServerStartError);
    expect(error.message).toContain('not ready within 1 ms');
  });

  it('stops the server when its parent process dies, even by SIGKILL', async () => {
    const stopMarker = join(directory, 'stopped');
    // A parent that forks the server as ChildServer does (its output piped to the parent), reports
    // the server's pid, then idles.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { fork } = require('node:child_process');
         const server = fork(${JSON.stringify(fixture('echoServer.js'))}, [${JSON.stringify(JSON.stringify({ stopMarker }))}], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
         server.on('message', (m) => process.send({ serverPid: m.pid }));
         setInterval(() => undefined, 1000);`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    const serverPid = await new Promise<number>((resolve, reject) => {
      parent.once('message', (m: { serverPid: number }) => resolve(m.serverPid));
      parent.once('exit', (code) => reject(new Error(`the parent exited early with code ${String(code)}`)));
    });
    expect(isRunning(serverPid)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor(() => !isRunning(serverPid), { timeoutMs: 5_000, description: `the orphaned server (pid ${serverPid}) to exit` });
    expect(existsSync(stopMarker)).toBe(true);
  });
});
