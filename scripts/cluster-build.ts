import { ensureTemporalServerTools, ensureTemporalUiServer } from './lib/temporal-server';

/** `npm run cluster:build`: builds (once) and prints the pinned Temporal server, schema tool and Web UI server. */
async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const tools = await ensureTemporalServerTools(log);
  const ui = await ensureTemporalUiServer(log);
  process.stdout.write(`${tools.server}\n${tools.sqlTool}\n${tools.postgresSchemaDir}\n${ui}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
