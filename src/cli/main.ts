// The `leadguard` command line: one subcommand per file under commands/, registered here.
import { Command, CommanderError } from 'commander';
import { registerAccount } from './commands/account.ts';
import { registerScreen } from './commands/screen.ts';
import { registerServe } from './commands/serve.ts';
import { registerUser } from './commands/user.ts';
import { registerTrain } from './commands/train.ts';
import { registerEval } from './commands/eval.ts';

export function buildProgram(): Command {
  const program = new Command()
    .name('leadguard')
    .description(
      'LeadGuard: lead intake and spam control. Every lead screened, spam quarantined with its reasons.',
    )
    .showHelpAfterError()
    .exitOverride();
  registerScreen(program);
  registerServe(program);
  registerAccount(program);
  registerUser(program);
  registerTrain(program);
  registerEval(program);
  return program;
}

/** Runs the CLI and returns the exit code, so tests can call it in-process. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`leadguard: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
