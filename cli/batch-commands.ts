/**
 * `passerelle batch …`: fleet operations for ops (domain/batches.ts). `retry`, `pause`,
 * `resume` and `extend-deadline` act on every open run a query selects (with `--dry-run`, list
 * them and touch none); `status` shows a batch's progress and each run's outcome; `list` the
 * batches.
 */
import type { Command } from 'commander';
import { type BatchAction, type BatchDryRun, type BatchSelection, BatchSelectionSchema, builtSchema, type BatchView, type StartBatchResponse } from '../domain';
import type { PasserelleClient } from '../client/api-client';

/** What the batch commands need from the program around them. */
export interface BatchCommandContext {
  connect: (command: Command) => { client: PasserelleClient; json: boolean };
  print: (text: string) => void;
  /** Refuses the command line's use (exit status 2). */
  usageError: (message: string) => Error;
}

const SELECTION_KEYS = Object.keys(builtSchema(BatchSelectionSchema).shape) as (keyof BatchSelection)[];

/**
 * A selection from `--query`: `key=value` pairs separated by commas or spaces, each key a field
 * of the selection (`customer=ght-rhone-nord,phase=CUTOVER,operation=switch`). The API checks the
 * values and names the one it refuses.
 */
export function parseBatchQuery(query: string): Record<string, string | boolean> {
  const selection: Record<string, string | boolean> = {};
  for (const pair of query.split(/[\s,]+/).filter(Boolean)) {
    const [key, value, ...rest] = pair.split('=');
    if (!key || value === undefined || value === '' || rest.length > 0) throw new Error(`"${pair}" is not key=value.`);
    if (!(SELECTION_KEYS as string[]).includes(key)) throw new Error(`"${key}" is not a selection key: use ${SELECTION_KEYS.join(', ')}.`);
    if (key in selection) throw new Error(`"${key}" is given twice.`);
    if (key !== 'needsAttention') selection[key] = value;
    else if (value === 'true' || value === 'false') selection[key] = value === 'true';
    else throw new Error('needsAttention must be true or false.');
  }
  return selection;
}

const DESCRIBED: Record<BatchAction, string> = {
  'retry-failed-steps': 'retry the failed steps of',
  pause: 'pause',
  resume: 'resume',
  'extend-deadlines': 'extend the pending approvals’ deadlines of',
};

/** A dry run for people: the runs the batch would touch. */
export function formatBatchDryRun(dryRun: BatchDryRun): string {
  const lines = [`Dry run: would ${DESCRIBED[dryRun.action]} ${dryRun.runs.length} run${dryRun.runs.length === 1 ? '' : 's'} (nothing was touched).`];
  for (const run of dryRun.runs) lines.push(`  ${run.id}  ${run.customerId ?? '-'}  ${run.phase ?? '-'}  ${run.status ?? '-'}`);
  return lines.join('\n');
}

/** A batch for people: who, why, progress, then one line per run. */
export function formatBatch(batch: BatchView): string {
  const counts = Object.entries(batch.counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  const lines = [
    `Batch ${batch.id}: ${batch.action}${batch.extendBy ? ` by ${batch.extendBy}` : ''}, ${batch.state} (${batch.processed}/${batch.total})${counts ? `: ${counts}` : ''}`,
    `Asked by ${batch.requestedBy} at ${batch.requestedAt}: ${batch.reason}`,
  ];
  for (const run of batch.runs) lines.push(`  ${run.id}  ${run.outcome}${run.steps?.length ? `  ${run.steps.join(', ')}` : ''}${run.detail ? `  ${run.detail}` : ''}`);
  return lines.join('\n');
}

const ACTIONS: { name: string; action: BatchAction; summary: string }[] = [
  { name: 'retry', action: 'retry-failed-steps', summary: 'retry the failed steps (of one operation with operation=…) of every run the query selects' },
  { name: 'pause', action: 'pause', summary: 'pause every open run the query selects' },
  { name: 'resume', action: 'resume', summary: 'resume every paused run the query selects' },
  { name: 'extend-deadline', action: 'extend-deadlines', summary: 'push back the pending approvals’ deadlines of every run the query selects' },
];

/** Adds `batch retry | pause | resume | extend-deadline | status | list` to the program. */
export function addBatchCommands(program: Command, context: BatchCommandContext): void {
  const { connect, print } = context;
  const batch = program.command('batch').description('fleet operations (ops): act on many runs at once, chosen by a query');

  for (const { name, action, summary } of ACTIONS) {
    const command = batch
      .command(name)
      .description(summary)
      .requiredOption('--query <selection>', `key=value pairs (${SELECTION_KEYS.join(', ')}), such as customer=ght-rhone-nord,phase=CUTOVER${action === 'retry-failed-steps' ? ',operation=switch' : ''}`)
      .requiredOption('--reason <text>', 'why: each run’s audit trail keeps it with the batch’s id')
      .option('--dry-run', 'list the runs it would touch, and touch none')
      .option('--runs <ids>', 'comma-separated: only these runs (as a dry run listed them), of those the query still selects');
    if (action === 'extend-deadlines') command.requiredOption('--extend-by <duration>', 'an ISO 8601 duration added from now, such as P7D');
    command.action(async function (this: Command, options: { query: string; reason: string; dryRun?: boolean; extendBy?: string; runs?: string }) {
      let selection: Record<string, string | boolean>;
      try {
        selection = parseBatchQuery(options.query);
      } catch (error) {
        throw context.usageError(`--query: ${(error as Error).message}`);
      }
      const { client, json } = connect(this);
      const answer = await client.startBatch({
        action,
        selection,
        reason: options.reason,
        ...(options.extendBy ? { extendBy: options.extendBy } : {}),
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.runs ? { runIds: options.runs.split(',').map((id) => id.trim()).filter(Boolean) } : {}),
      });
      if (json) return print(JSON.stringify(answer, null, 2));
      if ('dryRun' in answer) return print(formatBatchDryRun(answer));
      const started: StartBatchResponse = answer;
      print(`Batch ${started.id} started on ${started.batch.total} run${started.batch.total === 1 ? '' : 's'}. Follow it with: passerelle batch status ${started.id}`);
    });
  }

  batch
    .command('status')
    .description('a batch’s progress and each run’s outcome')
    .argument('<batch-id>', 'batch:…, as the batch’s start printed it')
    .action(async function (this: Command, id: string) {
      const { client, json } = connect(this);
      const view = await client.readBatch(id);
      print(json ? JSON.stringify(view, null, 2) : formatBatch(view));
    });

  batch
    .command('list')
    .description('the batches, newest first')
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async function (this: Command, options: { cursor?: string }) {
      const { client, json } = connect(this);
      const page = await client.listBatches(options.cursor ? { cursor: options.cursor } : {});
      if (json) return print(JSON.stringify(page, null, 2));
      if (page.items.length === 0) print('No batch.');
      for (const item of page.items) print(`${item.id}  ${item.action ?? '-'}  ${item.state}  ${item.total ?? '-'} runs  ${item.requestedBy ?? '-'}  ${item.startedAt ?? ''}`);
      if (page.nextCursor) print(`Next page: passerelle batch list --cursor ${page.nextCursor}`);
    });
}
