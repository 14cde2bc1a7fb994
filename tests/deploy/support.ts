import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer, connect } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

/** The shipped deployment files (deploy/). */
export const DEPLOY = join(process.cwd(), 'deploy');

/** Debian's nginx, which the deployment test runs. */
export const NGINX = '/usr/sbin/nginx';

/**
 * Whether a tool the deployment tests need is here. Without it a test is skipped with
 * a notice, except with CI=true where `requiredInCi` says it must be (.ci/run installs it).
 */
export function toolAvailable(path: string, what: string, requiredInCi: boolean): boolean {
  if (existsSync(path)) return true;
  if (requiredInCi && process.env.CI === 'true') throw new Error(`${path} is missing: CI runs ${what} (.ci/run installs it).`);
  console.warn(`\nNotice: ${path} is missing: ${what} is skipped.\n`);
  return false;
}

/**
 * `text` with each `[from, to]` replaced. Every `from` must occur: when the shipped file
 * changes, the test fails here instead of testing something else.
 */
export function render(text: string, replacements: readonly (readonly [string, string])[]): string {
  let rendered = text;
  for (const [from, to] of replacements) {
    if (!rendered.includes(from)) throw new Error(`the shipped file no longer contains ${JSON.stringify(from)}`);
    rendered = rendered.split(from).join(to);
  }
  return rendered;
}

/** A TCP port nothing listens on just now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A self-signed certificate for `host` (ECDSA P-256, one day), written into `dir`. */
export function selfSignedCertificate(dir: string, host: string): { cert: string; key: string; pem: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-keyout', key, '-out', cert,
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { cert, key, pem: readFileSync(cert, 'utf8') };
}

/** nginx running as the current user with everything it writes under `dir`. */
export interface RunningNginx {
  errorLog: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts nginx in the foreground with `site` (an http-context file such as a site of
 * sites-enabled/) included in a main configuration of its own: pid, logs and temp
 * folders under `dir`, so it needs no root and touches nothing of the machine's nginx.
 * Resolves once every port in `ports` accepts connections.
 */
export async function startNginx(dir: string, site: string, ports: number[]): Promise<RunningNginx> {
  for (const folder of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, 'qala.conf'), site);
  const main = join(dir, 'nginx.conf');
  writeFileSync(
    main,
    `daemon off;
${workersAsMe()}
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} info;
events { worker_connections 128; }
http {
  access_log ${join(dir, 'logs', 'access.log')};
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  include ${join(dir, 'qala.conf')};
}
`,
  );
  const args = ['-p', `${dir}/`, '-c', main, '-e', join(dir, 'logs', 'error.log')];
  const checked = spawnSync(NGINX, [...args, '-t'], { encoding: 'utf8' });
  if (checked.status !== 0) throw new Error(`nginx -t refused the configuration:\n${checked.stderr}`);

  const child: ChildProcess = spawn(NGINX, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const errorLog = () => stderr + (existsSync(join(dir, 'logs', 'error.log')) ? readFileSync(join(dir, 'logs', 'error.log'), 'utf8') : '');
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGQUIT');
    });
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${errorLog()}`);
    if ((await Promise.all(ports.map(accepting))).every(Boolean)) return { errorLog, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`nginx did not listen on ${ports.join(', ')}:\n${errorLog()}`);
}

/**
 * nginx started by root hands its workers to `nobody`, who could not read the test's
 * private folders: here the workers stay the current user, as they are when nginx is
 * started by anyone else (who may not name a user at all).
 */
function workersAsMe(): string {
  if (process.getuid?.() !== 0) return '';
  return `user ${userInfo().username};`;
}

/** An answer read whole. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request to `port` on 127.0.0.1 for `host`: HTTPS checking the certificate against
 * `ca`, or plain HTTP without one; from `localAddress` (another loopback address stands
 * for another client).
 */
export function https(
  target: { port: number; host: string; ca?: string },
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = target.ca === undefined ? httpRequest : httpsRequest;
    const outgoing = send(
      {
        host: '127.0.0.1',
        port: target.port,
        servername: target.host,
        ca: target.ca,
        agent: false,
        path,
        method: options.method ?? 'GET',
        localAddress: options.localAddress,
        headers: { Host: target.host, ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
