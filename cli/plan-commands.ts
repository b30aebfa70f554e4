/**
 * `passerelle plan …`: a draft plan from discovery exports, as a consultant works it from the
 * command line. `import` sends the exports and prints the draft and the import's report;
 * `show` the draft's progress and the approvals it needs so far; `export` and `apply` carry
 * the questionnaire through a spreadsheet (CSV); `start` starts the run of a complete draft.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { CUSTOMER_TYPES, type DraftEdit, draftEditProblem, type DraftPlan } from '../domain';
import { DiscoveryImportError, describeLocation, readDraftCsv } from '../discovery';
import type { PasserelleClient } from '../client/api-client';

/** What the plan commands need from the program around them. */
export interface PlanCommandContext {
  connect: (command: Command) => { client: PasserelleClient; json: boolean };
  print: (text: string) => void;
  cwd: string;
  /** Refuses the command line's use (exit status 2). */
  usageError: (message: string) => Error;
}

/** Adds `plan import | show | export | apply | start` to the program. */
export function addPlanCommands(program: Command, context: PlanCommandContext): void {
  const { connect, print } = context;
  const plan = program.command('plan').description('draft plans from discovery exports: import, tag (CSV), start');

  plan
    .command('import')
    .description('import discovery exports (Azure Migrate CSV, RVTools xlsx, dependency CSV) into a new draft plan')
    .argument('<files...>', 'the export files')
    .requiredOption('--customer <id>', 'the customer’s id (a URL-safe slug)')
    .requiredOption('--customer-name <name>', 'the customer’s name')
    .addOption(new Option('--customer-type <type>', 'the customer’s type').choices([...CUSTOMER_TYPES]).makeOptionMandatory())
    .option('--plan-id <id>', 'the plan id the run will take')
    .action(async function (this: Command, files: string[], options: { customer: string; customerName: string; customerType: (typeof CUSTOMER_TYPES)[number]; planId?: string }) {
      const encoded = await Promise.all(
        files.map(async (file) => {
          const location = path.resolve(context.cwd, file);
          try {
            return { name: path.basename(location), contentBase64: (await fs.readFile(location)).toString('base64') };
          } catch (error) {
            throw context.usageError(`Cannot read ${location}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
          }
        }),
      );
      const { client, json } = connect(this);
      const imported = await client.importDraft({
        customer: { id: options.customer, name: options.customerName, type: options.customerType },
        ...(options.planId === undefined ? {} : { planId: options.planId }),
        files: encoded,
      });
      if (json) return print(JSON.stringify(imported, null, 2));
      const { summary, report } = imported;
      print(`Draft ${imported.id}: ${summary.customer.name} (${summary.customer.type})`);
      print(`${report.summary.servers} servers: ${report.summary.workloads} to migrate, ${report.summary.excluded} excluded, ${report.summary.dependencies} dependencies, ${report.summary.applications} applications; ${summary.counts.untagged} to tag.`);
      for (const list of ['inferred', 'missing', 'refused'] as const) {
        const counts = Object.entries(report.counts[list]).map(([code, count]) => `${code} ${count}`);
        if (counts.length > 0) print(`${list}: ${counts.join(', ')}`);
      }
      for (const item of [...report.missing, ...report.refused].slice(0, 10)) {
        print(`  ${item.file}${item.sheet ? `, sheet ${item.sheet}` : ''}${item.line ? `, line ${item.line}` : ''}${item.column ? `, column "${item.column}"` : ''}: ${item.message}`);
      }
      print(`Next: passerelle plan export ${imported.id} --output draft.csv, fill in dataCategories, then passerelle plan apply ${imported.id} draft.csv`);
    });

  plan
    .command('show')
    .description('a draft’s progress: what is left to tag, the approvals it needs so far')
    .argument('<draft-id>')
    .action(async function (this: Command, id: string) {
      const { client, json } = connect(this);
      const [summary, preview] = await Promise.all([client.readDraft(id), client.previewDraft(id)]);
      if (json) return print(JSON.stringify({ summary, preview }, null, 2));
      print(`Draft ${id} (${summary.state}, revision ${summary.revision})${summary.runId ? `: run ${summary.runId}` : ''}`);
      print(`${summary.counts.included} to migrate, ${summary.counts.excluded} excluded; ${summary.counts.tagged} tagged, ${summary.counts.untagged} untagged.`);
      if (preview.untaggedIds.length > 0) print(`Untagged: ${preview.untaggedIds.join(', ')}${summary.counts.untagged > preview.untaggedIds.length ? ' …' : ''}`);
      for (const error of preview.errors) print(`Invalid: ${error.path} ${error.message}`);
      for (const approval of preview.classification?.approvals ?? []) print(`Approval ${approval.id} (${approval.role}): ${approval.rules.join('; ')}`);
      print(preview.complete ? `Complete: passerelle plan start ${id}` : 'Not complete yet: every workload to migrate needs data categories.');
    });

  plan
    .command('export')
    .description('the draft as CSV, one row per workload, for tagging in a spreadsheet')
    .argument('<draft-id>')
    .option('--output <file>', 'write to this file rather than to the terminal')
    .action(async function (this: Command, id: string, options: { output?: string }) {
      const { client } = connect(this);
      const csv = await client.exportDraftCsv(id);
      if (options.output === undefined) return print(csv.trimEnd());
      await fs.writeFile(path.resolve(context.cwd, options.output), csv);
      print(`Wrote ${options.output}.`);
    });

  plan
    .command('apply')
    .description('apply a filled-in CSV (from plan export) to the draft: categories, criticality, kind, exclusions')
    .argument('<draft-id>')
    .argument('<csv-file>')
    .action(async function (this: Command, id: string, file: string) {
      const location = path.resolve(context.cwd, file);
      let text: string;
      try {
        text = await fs.readFile(location, 'utf8');
      } catch (error) {
        throw context.usageError(`Cannot read ${location}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
      }
      const { client, json } = connect(this);
      const [summary, workloads] = await Promise.all([client.readDraft(id), readAllWorkloads(client, id)]);
      const name = path.basename(location);
      let rows: DraftEdit[];
      try {
        rows = readDraftCsv(name, text, { workloads });
      } catch (error) {
        if (!(error instanceof DiscoveryImportError)) throw error;
        throw refusedFile(name, error.problems.map((problem) => `${describeLocation(problem)}: ${problem.message}`));
      }
      // Every row is checked against the draft before any is sent: a refused one leaves nothing half done.
      const problems = rows.flatMap((edit) => {
        const problem = draftEditProblem({ customer: summary.customer, workloads }, edit);
        return problem === undefined ? [] : [`${name}, workload ${edit.selection.workloadIds?.join(', ') ?? ''}: ${problem}`];
      });
      if (problems.length > 0) throw refusedFile(name, problems);
      const edits = groupEdits(rows);
      let changed = 0;
      for (const edit of edits) changed += (await client.editDraft(id, edit)).changed.length;
      if (json) return print(JSON.stringify({ edits: edits.length, changed }, null, 2));
      print(edits.length === 0 ? 'Nothing to change.' : `${changed} workload(s) changed in ${edits.length} edit(s).`);
    });

  plan
    .command('start')
    .description('start the run of a complete draft (same validation as a plan)')
    .argument('<draft-id>')
    .action(async function (this: Command, id: string) {
      const { client, json } = connect(this);
      const started = await client.startRunFromDraft(id);
      print(json ? JSON.stringify(started, null, 2) : `Run ${started.runId} ${started.created ? 'started' : 'was already started'} from draft ${id}.`);
    });
}

/** A spreadsheet refused as a whole, every problem on a line of its own. */
function refusedFile(name: string, problems: readonly string[]): Error {
  return new Error(`${name} was refused, nothing was applied: ${problems.length} problem${problems.length === 1 ? '' : 's'}.\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
}

async function readAllWorkloads(client: PasserelleClient, id: string): Promise<DraftPlan['workloads']> {
  const workloads: DraftPlan['workloads'] = [];
  for (;;) {
    const page = await client.listDraftWorkloads(id, { offset: workloads.length, limit: 500 });
    workloads.push(...page.workloads);
    if (page.workloads.length === 0 || workloads.length >= page.total) return workloads;
  }
}

/**
 * One edit per distinct change, naming every workload it applies to, so that a spreadsheet of
 * thousands of rows is a few calls; the changes of kind first, which only a consultant may
 * make, so that a caller refused them is refused before anything else is applied.
 */
export function groupEdits(edits: readonly DraftEdit[]): DraftEdit[] {
  const byChange = new Map<string, DraftEdit>();
  for (const edit of edits) {
    const key = JSON.stringify(edit.change);
    const grouped = byChange.get(key);
    if (grouped === undefined) byChange.set(key, { selection: { workloadIds: [...(edit.selection.workloadIds ?? [])] }, change: edit.change });
    else grouped.selection.workloadIds?.push(...(edit.selection.workloadIds ?? []));
  }
  return [...byChange.values()].sort((left, right) => Number(right.change.kind !== undefined) - Number(left.change.kind !== undefined));
}
