// A small round-robin HTTP proxy (http-proxy-3) in its own process, in front of several LeadGuard instances in the scale-out benchmark.
// Run directly with the targets as JSON: prints {url} once listening. Each answer carries `x-bench-instance` (the index of the instance that took it).
import { spawn } from 'node:child_process';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createProxyServer } from 'http-proxy-3';

const script = fileURLToPath(import.meta.url);

function serve(targets: readonly string[]): void {
  // Kept-alive upstream sockets, as a production proxy keeps them. The client's x-forwarded-for passes through
  // unchanged: the load generator plays the edge proxy that saw the client.
  const proxy = createProxyServer({ agent: new Agent({ keepAlive: true, maxSockets: 64 }), xfwd: false });
  let next = 0;
  proxy.on('error', (_error, _request, response) => {
    if ('writeHead' in response && !response.headersSent) response.writeHead(502).end();
  });
  const server = createServer((request, response) => {
    const index = next;
    next = (next + 1) % targets.length;
    response.setHeader('x-bench-instance', String(index));
    proxy.web(request, response, { target: targets[index] });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
}

export interface ProxyProcess {
  readonly url: string;
  stop(): Promise<void>;
}

export function startProxyProcess(targets: readonly string[]): Promise<ProxyProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(targets)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error('the proxy exited before listening')));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

if (process.argv[1] === script) serve(JSON.parse(process.argv[2] ?? '[]') as string[]);
