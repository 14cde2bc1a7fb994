import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** Resolves after `ms` milliseconds. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the server sends on `socket` until it closes the connection. */
function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('a rolling restart drops no request', () => {
  let server: RunningServer;
  let answer: string;
  let refusedWhileDraining: boolean;

  beforeAll(async () => {
    server = await startServer();
    const body = 'email=nobody%40example.org&password=wrong-password-123';
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const answered = readUntilClosed(socket);
    // The request is in flight: its headers and half its body have arrived when SIGTERM comes.
    socket.write(
      'POST /en/sign-in/?_action=auth.signIn HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${server.port}\r\nOrigin: ${server.url}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n` +
        body.slice(0, 10),
    );
    await pause(300);
    const stopped = server.stop();
    await pause(300);
    refusedWhileDraining = await fetch(`${server.url}/healthz`).then(
      () => false,
      () => true,
    );
    socket.write(body.slice(10));
    answer = await answered;
    await stopped;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('a request in flight when SIGTERM arrives still gets its whole answer', () => {
    // The wrong password is answered as it would be on any day: 401 and the whole page.
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('The email address or password is not right.');
    expect(answer).toContain('</html>');
  });

  it('new connections are refused while the server drains, so the balancer sends them elsewhere', () => {
    expect(refusedWhileDraining).toBe(true);
  });

  it('the server then closes the database and exits 0', () => {
    expect(server.exitCode()).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
