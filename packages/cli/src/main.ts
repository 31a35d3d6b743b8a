/**
 * The `recon` executable: parses the command line and hands over to one command. Every command
 * returns its exit code; nothing below calls process.exit, so tests can run commands in-process.
 */
import { parseArgs } from 'node:util';
import { USAGE } from './cli-usage';
import { backfillCommand } from './commands/backfill-command';
import { demoCommand } from './commands/demo-command';
import { keysCommand } from './commands/keys-command';
import { rebuildCommand } from './commands/rebuild-command';
import { secretsCommand } from './commands/secrets-command';
import { startCommand } from './commands/start-command';
import { statusCommand } from './commands/status-command';
import { workspacesCommand } from './commands/workspaces-command';

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string' } }, strict: true });
      return startCommand({ role: values.role });
    }
    case 'rebuild': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      return rebuildCommand(positionals);
    }
    case 'backfill': {
      const { values } = parseArgs({
        args: rest,
        options: {
          workspace: { type: 'string' },
          provider: { type: 'string', multiple: true },
          from: { type: 'string' },
          to: { type: 'string' },
          new: { type: 'boolean' },
        },
        strict: true,
      });
      return backfillCommand({
        workspace: values.workspace,
        providers: values.provider ?? [],
        from: values.from,
        to: values.to,
        fresh: values.new === true,
      });
    }
    case 'secrets': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true });
      return secretsCommand(positionals);
    }
    case 'status':
      return statusCommand(rest);
    case 'workspaces':
      return workspacesCommand(rest);
    case 'keys':
      return keysCommand(rest);
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: { leads: { type: 'string' }, seed: { type: 'string' }, exit: { type: 'boolean' } },
        strict: true,
      });
      return demoCommand({ leads: values.leads, seed: values.seed, exit: values.exit === true });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    // Let stdout drain, then exit: pools and timers are closed by the commands, but a stray
    // library handle must not keep a finished command alive.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    // The message says what to do; the stack only helps when debugging recon itself.
    const debug = process.env['LOG_LEVEL'] === 'debug' || process.env['LOG_LEVEL'] === 'trace';
    const message = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
    process.stderr.write(`recon: ${message}\n`);
    process.exit(
      error instanceof TypeError && (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? 2 : 1,
    );
  },
);
