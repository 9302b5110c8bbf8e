// Starts the real LeadGuard server in-process on 127.0.0.1 over a fresh temporary PGlite store, with the panel freshly built.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { loadConfig } from '../../../src/config/env.ts';
import { startServer } from '../../../src/main.ts';
import type { RunningServer, StartOptions } from '../../../src/main.ts';

export interface PanelServer {
  readonly url: string;
  readonly server: RunningServer;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Builds web/ into web/dist, as `npm run build:web` does, so the test drives the current panel code. */
export async function buildPanel(): Promise<void> {
  await build({ configFile: join(process.cwd(), 'web', 'vite.config.ts'), logLevel: 'warn' });
}

export async function startPanelServer(options: StartOptions = {}): Promise<PanelServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-browser-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
  });
  const server = await startServer(config, { logger: false, ...options });
  return {
    url: server.url.replace('localhost', '127.0.0.1'),
    server,
    dataDir,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A dealer's website on another origin (a *.localhost name instead of 127.0.0.1), with a form wired by the embed snippet,
 * so the intake's CORS and the embed script run as they do on a real site.
 */
export async function startSitePage(
  panelUrl: string,
  host: string,
): Promise<{ url: string; setFormKey(key: string): void; close(): Promise<void> }> {
  let formKey = '';
  const page = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Motors: contact us</title></head>
<body>
  <h1>Contact Example Motors</h1>
  <form data-leadguard-form="${formKey}">
    <label>Name <input name="name" autocomplete="name"></label>
    <label>Email <input name="email" type="email" autocomplete="email"></label>
    <label>Phone <input name="phone" autocomplete="tel"></label>
    <label>Message <textarea name="message"></textarea></label>
    <button type="submit">Send</button>
  </form>
  <script src="${panelUrl}/embed.js" async></script>
</body></html>`;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host}:${port}/`,
    setFormKey: (key) => {
      formKey = key;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
