/**
 * `passerelle`, the command line of consultants and operators: it talks to the v1 API, prints
 * tables for people and JSON (`--json`) for scripts, and exits non-zero with the problem's
 * message when something fails.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type Language, LANGUAGES, type MigrationOverview, RUN_COLLECTIONS, type RunCollection } from '../domain';
import { ApiUnreachableError, createPasserelleClient, type MigrationListFilters, type PasserelleClient, type RunControl, type RunPageFilters } from '../client/api-client';
import { DevTokenUsageError, issueDevTokenFromEnvironment } from './dev-token';
import { addBatchCommands } from './batch-commands';
import { addPlanCommands } from './plan-commands';
import { followMigration } from '../client/follow-migration';
import {
  formatApproval,
  formatDerogation,
  formatDerogations,
  formatCleanup,
  formatError,
  formatList,
  formatPage,
  formatPageRows,
  formatProgress,
  formatProgressLine,
  formatReportHead,
  formatRetry,
  formatRisks,
  formatAcceptedRisk,
  formatRehearsal,
  formatStarted,
  formatStatus,
  formatStep,
  formatValidation,
} from './format';
import { createStyle, eraseLines, type Style } from './render';
import { cliWords } from './words';

/** Exit statuses, for scripts. */
export const EXIT_CODES = {
  ok: 0,
  /** The API refused or failed, or the watched run ended other than COMPLETED. */
  failure: 1,
  /** The command line was used wrongly (unknown option, missing argument or token). */
  usage: 2,
  /** The API could not be reached. */
  unreachable: 3,
  /** Interrupted (Ctrl-C) while watching. */
  interrupted: 130,
} as const;

/** Where the API is when neither `--api-url` nor `PASSERELLE_API_URL` says. */
export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** A stream the command line writes to. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The process around the command line, injected so that tests can run it in-process. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Relative plan files are read from here. */
  cwd: string;
  fetch?: typeof fetch;
  /** Stops `watch` (Ctrl-C). */
  signal?: AbortSignal;
}

interface GlobalOptions {
  apiUrl?: string;
  token?: string;
  json?: boolean;
}

/** A usage error found after parsing (a missing token, an unreadable file). */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit status and message of any failure. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ApiUnreachableError) return EXIT_CODES.unreachable;
  if (error instanceof UsageError || error instanceof DevTokenUsageError) return EXIT_CODES.usage;
  return EXIT_CODES.failure;
}

/** Resolves the API's URL and the token from flags, then the environment. */
export function resolveConnection(options: GlobalOptions, env: NodeJS.ProcessEnv): { apiUrl: string; token: string | undefined } {
  const apiUrl = options.apiUrl ?? (env.PASSERELLE_API_URL || undefined) ?? DEFAULT_API_URL;
  try {
    new URL(apiUrl);
  } catch {
    throw new UsageError(`The API URL "${apiUrl}" is not a URL (--api-url or PASSERELLE_API_URL).`);
  }
  return { apiUrl, token: options.token ?? (env.PASSERELLE_TOKEN || undefined) };
}

async function readPlanFile(file: string, cwd: string): Promise<unknown> {
  const location = path.resolve(cwd, file);
  let text: string;
  try {
    text = await fs.readFile(location, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the plan file ${location}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`The plan file ${location} is not JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** `--lang fr|en`: the language of what the run wrote for people and of the lines around it. */
function languageOption(): Option {
  return new Option('--lang <language>', 'the language of the run’s texts: fr or en').choices([...LANGUAGES]).default('en');
}

function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('It must be a whole number above 0.');
  return parsed;
}

/** Builds the program; `runCli` parses with it. Exposed so that tests can read its commands. */
export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const colour = Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined;
  const style: Style = createStyle(colour);
  const program = new Command('passerelle');
  // Subcommands inherit both: commander reports through `io` and never exits the process itself.
  program.exitOverride();
  program.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });

  const print = (text: string) => io.stdout.write(`${text}\n`);
  const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));

  function connect(command: Command): { client: PasserelleClient; json: boolean } {
    const options = command.optsWithGlobals<GlobalOptions>();
    const { apiUrl, token } = resolveConnection(options, io.env);
    if (!token) throw new UsageError('No token: pass --token or set PASSERELLE_TOKEN (in development: passerelle token --identity consultant).');
    return { client: createPasserelleClient({ baseUrl: apiUrl, token, fetch: io.fetch }), json: Boolean(options.json) };
  }

  /** Prints an answer as JSON or for people. */
  function answer<T>(command: Command, call: (client: PasserelleClient) => Promise<T>, human: (value: T) => string) {
    return async () => {
      const { client, json } = connect(command);
      const value = await call(client);
      if (json) printJson(value);
      else print(human(value));
    };
  }

  /** `passerelle steps|workloads|waves|timeline|audit <id>`: one page, filtered, and the cursor of the next. */
  function addPageCommand(collection: RunCollection): void {
    const command = program
      .command(collection)
      .description(`list a migration’s ${collection}, a page at a time${collection === 'timeline' || collection === 'audit' ? ', newest first' : ''}`)
      .argument('<id>', 'the migration id')
      .option('--limit <n>', 'items per page (1 to 500)', parsePositiveInteger)
      .option('--cursor <cursor>', 'the next page, as the previous one printed it')
      .option('--wave <wave-id>', 'only this wave’s')
      .option('--workload <workload-id>', 'only this workload’s');
    if (collection !== 'audit') command.option('--state <state>', collection === 'workloads' ? 'only workloads with this outcome' : 'only this state');
    if (collection === 'steps' || collection === 'timeline') command.option('--phase <phase>', 'only this phase');
    if (collection !== 'timeline' && collection !== 'audit') command.option('--zone <zone-id>', 'only this landing zone’s (or m365-tenant)');
    command.addOption(languageOption());
    command.action(async function (this: Command, id: string, options: RunPageFilters & { lang: Language }) {
      const { lang, ...filters } = options;
      await answer(this, (client) => client.readPage(id, collection, filters), (page) => formatPage(collection, page, lang))();
    });
  }

  async function watch(command: Command, id: string, pollIntervalMs: number, language: Language = 'en'): Promise<void> {
    const { client, json } = connect(command);
    const live = Boolean(io.stdout.isTTY) && !json;
    let drawnLines = 0;
    let lastLine = '';
    const final = await followMigration({
      client,
      id,
      signal: io.signal,
      pollIntervalMs,
      onStatus: (status: MigrationOverview) => {
        if (json) {
          const line = JSON.stringify(status);
          if (line !== lastLine) print(line);
          lastLine = line;
        } else if (live) {
          const frame = formatProgress(status, style, io.stdout.columns ? io.stdout.columns - 1 : undefined, language);
          io.stdout.write(`${eraseLines(drawnLines)}${frame.join('\n')}\n`);
          drawnLines = frame.length;
        } else {
          const line = formatProgressLine(status);
          if (line !== lastLine) print(line);
          lastLine = line;
        }
      },
      onTransientError: (error) => {
        io.stderr.write(`${formatError(error)} (trying again)\n`);
        drawnLines = 0;
      },
    });
    if (!final) {
      setExitCode(EXIT_CODES.interrupted);
      return;
    }
    if (!json) print(`Run ${final.status}${final.outcome?.reason ? `: ${final.outcome.reason}` : ''}.`);
    setExitCode(final.status === 'COMPLETED' ? EXIT_CODES.ok : EXIT_CODES.failure);
  }

  /** Asks for the clean-up of a run that Temporal closed; with `wait`, follows it to its end (exit 0 only when every undo succeeded). */
  async function cleanUp(command: Command, id: string, options: { reason?: string; wait?: boolean; interval: number; lang: Language }): Promise<void> {
    const { client, json } = connect(command);
    const started = await client.cleanUp(id, options.reason);
    let cleanup = started.cleanup;
    while (options.wait && cleanup.state === 'RUNNING' && !io.signal?.aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.interval);
        io.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      cleanup = (await client.readStatus(id)).cleanup ?? cleanup;
    }
    if (json) printJson({ ...started, cleanup });
    else {
      const words = cliWords(options.lang);
      print(`${words.cleanupStarted(started.created, id)}\n${formatCleanup(cleanup, options.lang)}${cleanup.state === 'RUNNING' ? `\n${words.cleanupFollow(id)}` : ''}`);
    }
    if (!options.wait) return;
    if (cleanup.state === 'RUNNING') setExitCode(EXIT_CODES.interrupted);
    else setExitCode(cleanup.state === 'SUCCEEDED' ? EXIT_CODES.ok : EXIT_CODES.failure);
  }

  program
    .description('Passerelle: durable migrations to a sovereign cloud. Talks to the API with your token.')
    .version('0.1.0')
    .addOption(new Option('--api-url <url>', `the API (env PASSERELLE_API_URL, default ${DEFAULT_API_URL})`))
    .addOption(new Option('--token <jwt>', 'your bearer token (env PASSERELLE_TOKEN)'))
    .option('--json', 'print the API’s JSON, for scripts')
    .showHelpAfterError('(passerelle --help lists the commands)')
    .addHelpText(
      'after',
      `\nExit status: 0 done; 1 the API refused or failed, or the watched run did not complete; 2 wrong usage; 3 the API is unreachable.`,
    );

  program
    .command('validate')
    .description('dry run a plan: assessment and classification report, nothing started')
    .argument('<plan-file>', 'the plan, as JSON')
    .addOption(languageOption())
    .action(async function (this: Command, file: string, options: { lang: Language }) {
      const plan = await readPlanFile(file, io.cwd);
      await answer(this, (client) => client.validatePlan(plan), (dryRun) => formatValidation(dryRun, plan, style, options.lang))();
    });

  program
    .command('start')
    .description('start a migration from a plan (idempotent on the plan’s planId)')
    .argument('<plan-file>', 'the plan, as JSON')
    .option('--idempotency-key <key>', 'makes a plan without planId start once')
    .option('--watch', 'then follow it until it ends')
    .action(async function (this: Command, file: string, options: { idempotencyKey?: string; watch?: boolean }) {
      const plan = await readPlanFile(file, io.cwd);
      const { client, json } = connect(this);
      const started = await client.startMigration(plan, options.idempotencyKey);
      if (json && !options.watch) printJson(started);
      else if (!json) print(formatStarted(started, style));
      if (options.watch) await watch(this, started.id, 2_000);
    });

  program
    .command('list')
    .description('list the migrations you may see')
    .option('--customer <id>', 'one customer’s runs')
    .option('--status <status>', 'RUNNING, WAITING, NEEDS_ATTENTION, PAUSED, COMPLETED, REJECTED, CANCELLED or FAILED')
    .option('--phase <phase>', 'ASSESSMENT, CLASSIFICATION, AWAITING_APPROVAL, AWAITING_QUALIFICATION, PROVISIONING, CUTOVER or DONE')
    .option('--needs-attention', 'only runs waiting for an operator')
    .option('--limit <n>', 'runs per page (1 to 100)', parsePositiveInteger)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .addOption(languageOption())
    .action(async function (this: Command, options: MigrationListFilters & { lang: Language }) {
      const { lang, ...filters } = options;
      await answer(this, (client) => client.listMigrations(filters), (page) => formatList(page, style, lang))();
    });

  program
    .command('status')
    .description('show a migration’s status: phases, waves, approvals, failures')
    .argument('<id>', 'the migration id')
    .addOption(languageOption())
    .action(async function (this: Command, id: string, options: { lang: Language }) {
      await answer(this, (client) => client.readStatus(id), (status) => formatStatus(status, style, io.stdout.columns, options.lang))();
    });

  program
    .command('report')
    .description('show what became of each workload (final once the run has ended), page by page as they arrive')
    .argument('<id>', 'the migration id')
    .option('--outcome <outcome>', 'only the workloads with this outcome (MIGRATED, LEFT_OUT, FAILED, PENDING…)')
    .addOption(languageOption())
    .action(async function (this: Command, id: string, options: { outcome?: string; lang: Language }) {
      const { client, json } = connect(this);
      const overview = await client.readStatus(id);
      if (json) print(JSON.stringify({ overview }));
      else print(`${formatReportHead(overview, style, options.lang)}\n`);
      let cursor: string | undefined;
      let first = true;
      // Page by page, so that an estate of any size prints as it arrives, in bounded memory.
      do {
        const page = await client.readPage(id, 'workloads', { limit: 500, ...(options.outcome ? { state: options.outcome } : {}), ...(cursor ? { cursor } : {}) });
        if (json) for (const workload of page.items) print(JSON.stringify({ workload }));
        else if (page.items.length > 0) print(formatPageRows('workloads', page, first, options.lang));
        first = false;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    });

  for (const collection of RUN_COLLECTIONS) addPageCommand(collection);

  program
    .command('watch')
    .description('follow a migration live, with progress bars, until it ends')
    .argument('<id>', 'the migration id')
    .option('--interval <ms>', 'polling period when the API has no event stream', parsePositiveInteger, 2_000)
    .addOption(languageOption())
    .action(async function (this: Command, id: string, options: { interval: number; lang: Language }) {
      await watch(this, id, options.interval, options.lang);
    });

  const decisions = [
    { name: 'approve', decision: 'APPROVE', summary: 'approve', commentRequired: false },
    { name: 'reject', decision: 'REJECT', summary: 'reject (the run ends REJECTED)', commentRequired: true },
    { name: 'request-changes', decision: 'REQUEST_CHANGES', summary: 'ask for an amended plan', commentRequired: true },
  ] as const;
  for (const { name, decision, summary, commentRequired } of decisions) {
    const command = program
      .command(name)
      .description(`${summary}: an approval of your own customer’s run, for a role you hold`)
      .argument('<id>', 'the migration id')
      .argument('<approval-id>', 'rssi, dpo, dpia, homologation or anssi-notification');
    if (commentRequired) command.requiredOption('--comment <text>', 'why (required)');
    else command.option('--comment <text>', 'a comment for the audit trail');
    command.action(async function (this: Command, id: string, approvalId: string, options: { comment?: string }) {
      await answer(this, (client) => client.decideApproval(id, approvalId, decision, options.comment), formatApproval)();
    });
  }

  program
    .command('rehearsal')
    .description('confirm a wave’s rehearsal, or report a problem with it: your own customer’s run, as its RSSI; the test launches are torn down either way')
    .argument('<id>', 'the migration id')
    .argument('<wave-id>', 'the wave that rehearses (wave-1, wave-2…)')
    .option('--confirm', 'the rehearsal went well: the wave may cut over')
    .option('--problem', 'something went wrong: every source stays live and an operator retries or skips the rehearsal')
    .option('--comment <text>', 'what went wrong (required with --problem), or a comment for the audit trail')
    .action(async function (this: Command, id: string, waveId: string, options: { confirm?: boolean; problem?: boolean; comment?: string }) {
      if (options.confirm === options.problem) this.error('error: give exactly one of --confirm and --problem');
      if (options.problem && !options.comment?.trim()) this.error('error: --problem needs --comment saying what went wrong');
      const decision = options.confirm ? 'CONFIRM' : 'REPORT_PROBLEM';
      await answer(this, (client) => client.decideRehearsal(id, waveId, decision, options.comment), (rehearsal) => formatRehearsal(waveId, rehearsal))();
    });

  program
    .command('risks')
    .description('show a run’s residual-risk register: owner, state, acceptance')
    .argument('<id>', 'the migration id')
    .addOption(new Option('--lang <language>', 'the language of the descriptions').choices([...LANGUAGES]).default('en'))
    .action(async function (this: Command, id: string, options: { lang: Language }) {
      await answer(this, (client) => client.readRisks(id), (register) => formatRisks(register, options.lang))();
    });

  program
    .command('accept-risk')
    .description('accept an OPEN residual risk of your own customer’s run, as the approver holding its owner role; the waves it held may start')
    .argument('<id>', 'the migration id')
    .argument('<risk-id>', 'the risk, as `passerelle risks` lists it (extraterritorial-exposure.payroll)')
    .option('--comment <text>', 'a comment for the audit trail')
    .addOption(new Option('--lang <language>', 'the language of the description').choices([...LANGUAGES]).default('en'))
    .action(async function (this: Command, id: string, riskId: string, options: { comment?: string; lang: Language }) {
      await answer(this, (client) => client.acceptRisk(id, riskId, options.comment), (risk) => formatAcceptedRisk(risk, options.lang))();
    });

  addDerogationCommands(program);

  program
    .command('amend')
    .description('replace a run’s plan before provisioning; it is classified and approved again')
    .argument('<id>', 'the migration id')
    .argument('<plan-file>', 'the amended plan, as JSON')
    .action(async function (this: Command, id: string, file: string) {
      const plan = await readPlanFile(file, io.cwd);
      await answer(this, (client) => client.amendPlan(id, plan), (status) => formatStatus(status, style, io.stdout.columns))();
    });

  program
    .command('retry')
    .description('run a failed step again (ops)')
    .argument('<id>', 'the migration id')
    .argument('<step-id>', 'the failed step, as status shows it')
    .option('--reason <text>', 'a reason for the audit trail')
    .action(async function (this: Command, id: string, stepId: string, options: { reason?: string }) {
      await answer(this, (client) => client.retryStep(id, stepId, options.reason), (step) => formatRetry(step, id))();
    });

  program
    .command('skip')
    .description('skip a failed step (ops)')
    .argument('<id>', 'the migration id')
    .argument('<step-id>', 'the failed step, as status shows it')
    .requiredOption('--reason <text>', 'why it may be skipped (required)')
    .action(async function (this: Command, id: string, stepId: string, options: { reason: string }) {
      await answer(this, (client) => client.skipStep(id, stepId, options.reason), formatStep)();
    });

  const controls: { name: RunControl; summary: string }[] = [
    { name: 'pause', summary: 'pause a run between steps (ops)' },
    { name: 'resume', summary: 'resume a paused run (ops)' },
    { name: 'cancel', summary: 'cancel a run and undo what it did (ops, consultant)' },
  ];
  for (const { name, summary } of controls) {
    program
      .command(name)
      .description(summary)
      .argument('<id>', 'the migration id')
      .option('--reason <text>', 'a reason for the audit trail')
      .action(async function (this: Command, id: string, options: { reason?: string }) {
        await answer(this, (client) => client.controlRun(id, name, options.reason), (status) => formatStatus(status, style, io.stdout.columns))();
      });
  }

  /** `passerelle derogation …`: R10's request, decisions of the homologation authority, and ops' decision after a lapse. */
  function addDerogationCommands(parent: Command): void {
    const derogation = parent.command('derogation').description('derogations (R10): a SECNUMCLOUD zone proceeding before the provider’s qualification');
    derogation
      .command('list')
      .description('show a run’s derogations')
      .argument('<id>', 'the migration id')
      .addOption(languageOption())
      .action(async function (this: Command, id: string, options: { lang: Language }) {
        await answer(this, (client) => client.readStatus(id), (status) => formatDerogations(status, options.lang))();
      });
    derogation
      .command('request')
      .description('ask a derogation for a zone that waits only for the SecNumCloud qualification (consultant, customer)')
      .argument('<id>', 'the migration id')
      .argument('<zone-id>', 'the landing zone, as the classification names it (secnumcloud)')
      .requiredOption('--reason <text>', 'why the zone cannot wait (required)')
      .addOption(languageOption())
      .action(async function (this: Command, id: string, zoneId: string, options: { reason: string; lang: Language }) {
        await answer(this, (client) => client.requestDerogation(id, zoneId, options.reason), (answered) => formatDerogation(answered, options.lang))();
      });
    const collect = (value: string, previous: string[] = []) => [...previous, value];
    for (const decision of ['grant', 'renew'] as const) {
      const command = derogation
        .command(decision)
        .description(
          decision === 'grant'
            ? 'grant a requested derogation, for at most 18 months (the customer’s HOMOLOGATION_AUTHORITY)'
            : 'renew a derogation once, for at most 12 more months (the customer’s HOMOLOGATION_AUTHORITY)',
        )
        .argument('<id>', 'the migration id')
        .argument('<zone-id>', 'the zone of the derogation')
        .requiredOption('--justification <text>', 'why the risk is accepted (required)')
        .requiredOption('--expires <date-time>', 'when it ends, ISO 8601 (2027-12-31T00:00:00Z)')
        .addOption(languageOption());
      if (decision === 'grant') command.requiredOption('--measure <text>', 'a compensating measure (repeat for several; at least one)', collect);
      else command.option('--measure <text>', 'a compensating measure replacing the earlier ones (repeat for several)', collect);
      command.action(async function (this: Command, id: string, zoneId: string, options: { justification: string; expires: string; measure?: string[]; lang: Language }) {
        const body = { justification: options.justification, expiresAt: options.expires };
        await answer(
          this,
          (client) =>
            decision === 'grant'
              ? client.decideDerogation(id, zoneId, { decision, body: { ...body, compensatingMeasures: options.measure ?? [] } })
              : client.decideDerogation(id, zoneId, { decision, body: { ...body, ...(options.measure ? { compensatingMeasures: options.measure } : {}) } }),
          (answered) => formatDerogation(answered, options.lang),
        )();
      });
    }
    const commented = [
      { decision: 'refuse', summary: 'refuse a requested derogation (the customer’s HOMOLOGATION_AUTHORITY)' },
      { decision: 'revoke', summary: 'revoke a granted derogation; its zone waits again and the run needs attention (HOMOLOGATION_AUTHORITY)' },
      { decision: 'acknowledge', summary: 'decide what follows an expired or revoked derogation: the zone waits for the qualification (ops)' },
    ] as const;
    for (const { decision, summary } of commented) {
      derogation
        .command(decision)
        .description(summary)
        .argument('<id>', 'the migration id')
        .argument('<zone-id>', 'the zone of the derogation')
        .requiredOption('--comment <text>', 'why (required)')
        .addOption(languageOption())
        .action(async function (this: Command, id: string, zoneId: string, options: { comment: string; lang: Language }) {
          await answer(this, (client) => client.decideDerogation(id, zoneId, { decision, body: { comment: options.comment } }), (answered) => formatDerogation(answered, options.lang))();
        });
    }
  }

  program
    .command('open-window')
    .description('open an exceptional cutover window, outside the plan’s (ops)')
    .argument('<id>', 'the migration id')
    .requiredOption('--until <date-time>', 'when the window closes, ISO 8601 with a time zone (2027-03-07T06:00:00+01:00)')
    .requiredOption('--reason <text>', 'why (required, kept in the audit trail)')
    .option('--wave <wave-id>', 'only this wave (wave-2); every wave otherwise')
    .option('--from <date-time>', 'when it opens; now otherwise')
    .action(async function (this: Command, id: string, options: { until: string; reason: string; wave?: string; from?: string }) {
      const window = { closesAt: options.until, reason: options.reason, ...(options.wave ? { waveId: options.wave } : {}), ...(options.from ? { opensAt: options.from } : {}) };
      await answer(this, (client) => client.openCutoverWindow(id, window), (status) => formatStatus(status, style, io.stdout.columns))();
    });

  program
    .command('cleanup')
    .description('undo what a run that Temporal closed (failed, terminated, timed out) left at the provider (ops)')
    .argument('<id>', 'the migration id')
    .option('--reason <text>', 'a reason for the audit trail')
    .option('--wait', 'follow the clean-up to its end; exit 0 only when everything was undone')
    .option('--interval <ms>', 'how often --wait reads the run', parsePositiveInteger, 1_000)
    .addOption(languageOption())
    .action(async function (this: Command, id: string, options: { reason?: string; wait?: boolean; interval: number; lang: Language }) {
      await cleanUp(this, id, options);
    });

  program
    .command('qualification-changed')
    .description('tell runs waiting at the regulatory gate to read the provider’s qualification again (ops)')
    .action(async function (this: Command) {
      await answer(
        this,
        (client) => client.notifyQualificationChanged(),
        ({ signalled }) => (signalled.length === 0 ? 'No run waits at the regulatory gate.' : `Told ${signalled.length} run(s): ${signalled.join(', ')}`),
      )();
    });

  addPlanCommands(program, { connect, print, cwd: io.cwd, usageError: (message) => new UsageError(message) });
  addBatchCommands(program, { connect, print, usageError: (message) => new UsageError(message) });

  program
    .command('token')
    .description('print a development token (AUTH_MODE=dev only), such as: export PASSERELLE_TOKEN=$(passerelle token --identity ops)')
    .option('--identity <id>', 'a demo identity: consultant, ops, ght-rhone-nord-approver, region-hauts-val-approver, ght-rhone-nord-viewer')
    .option('--role <roles>', 'consultant, customer or ops (comma-separated)')
    .option('--customer <id>', 'the customer of a customer token')
    .option('--approver <roles>', 'approver roles: RSSI, DPO, HOMOLOGATION_AUTHORITY (comma-separated)')
    .option('--sub <subject>', 'the subject the audit trail records')
    .option('--ttl <duration>', 'lifetime', '12h')
    .action(async (options: { identity?: string; role?: string; customer?: string; approver?: string; sub?: string; ttl: string }) => {
      const list = (value: string | undefined) => value?.split(',').map((item) => item.trim()).filter(Boolean);
      const token = await issueDevTokenFromEnvironment(
        { identity: options.identity, roles: list(options.role), customer: options.customer, approverRoles: list(options.approver), sub: options.sub, ttl: options.ttl },
        io.env,
      );
      print(token);
    });

  return program;
}

/** Runs the command line on `argv` (without `node` and the script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message already; help and version end well.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    io.stderr.write(`${formatError(error)}\n`);
    return exitCodeOf(error);
  }
}

/** Runs the command line as this process: its arguments, streams and environment, and Ctrl-C. */
export function runFromProcess(): void {
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  // `npm run cli` runs in the project's folder; plan files are named from where the user typed.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd, signal: interrupt.signal }).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runFromProcess();
