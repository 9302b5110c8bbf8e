// `leadguard serve`: runs the HTTP service until SIGTERM/SIGINT.
import type { Command } from 'commander';
import { envHelp, loadConfig } from '../../config/env.ts';
import { closeOnSignals, startServer } from '../../main.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the LeadGuard service (intake, Akismet-compatible API, JSON API, panel)')
    .option('--port <port>', 'port to listen on (overrides PORT)')
    .option('--host <host>', 'address to bind (overrides HOST; 0.0.0.0 exposes it on every interface)')
    .addHelpText('after', `\n${envHelp}`)
    .action(async (opts: { port?: string; host?: string }) => {
      const config = loadConfig({
        ...process.env,
        ...(opts.port ? { PORT: opts.port } : {}),
        ...(opts.host ? { HOST: opts.host } : {}),
      });
      const server = await startServer(config);
      closeOnSignals(server);
      // Keeps the command pending while the server runs; the signal handler ends the process.
      await new Promise<never>(() => undefined);
    });
}
