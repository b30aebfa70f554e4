import { ensureTemporalCli, TemporalCliUnavailableError } from './lib/temporal-cli';

/** `npm run temporal:ensure`: prints the path of the pinned Temporal CLI, building it if needed. */
ensureTemporalCli()
  .then((cli) => process.stdout.write(`${cli}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof TemporalCliUnavailableError ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
