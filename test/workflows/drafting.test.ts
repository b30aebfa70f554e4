import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { type Actor, applyDraftEdit, type DraftPlan } from '../../domain';
import { importDiscoveryExports } from '../../discovery';
import { hospitalEstate, writeEstateExports } from '../../scripts/lib/discovery-exports';
import { draftingWorkflow } from '../../workflows';
import {
  commentDraftUpdate,
  draftHistoryQuery,
  draftPlanQuery,
  draftPreviewQuery,
  draftSummaryQuery,
  draftWorkloadsQuery,
  editDraftUpdate,
  markRunStartedUpdate,
} from '../../workflows/drafting-messages';
import { readImportFiles, temporaryDirectory } from '../discovery/support/imports';
import { consultant, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { useWorkflowStack } from './support/runs';

let stack: TestStack;
useWorkflowStack((started) => {
  stack = started;
});

let hospitalDraft: DraftPlan;
beforeAll(async () => {
  const { directory, remove } = await temporaryDirectory();
  try {
    const files = await writeEstateExports(directory, hospitalEstate(), { prefix: 'chu' });
    const imported = await importDiscoveryExports(await readImportFiles(files.azureMigrateCsv, files.rvtoolsXlsx, files.dependenciesCsv), {
      customer: { id: 'ght-rhone-nord', name: 'GHT Rhône Nord', type: 'HOSPITAL' },
    });
    hospitalDraft = imported.draft;
  } finally {
    await remove();
  }
});

const dpo: Actor = { subject: 'dpo@ght', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['DPO'] };
const otherCustomer: Actor = { subject: 'dpo@ailleurs', roles: ['customer'], customerId: 'ailleurs', approverRoles: ['DPO'] };

async function startDraft(options: { continueAsNewAfterEvents?: number } = {}): Promise<WorkflowHandle<typeof draftingWorkflow>> {
  const draftId = unique('draft');
  return stack.client.workflow.start(draftingWorkflow, {
    workflowId: draftId,
    taskQueue: stack.taskQueue,
    args: [{ draftId, draft: { ...hospitalDraft, planId: draftId }, createdBy: consultant, ...options }],
  });
}

async function refusal(update: Promise<unknown>): Promise<string> {
  try {
    await update;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) return error.cause?.message ?? error.message;
    throw error;
  }
  throw new Error('the update was accepted');
}

describe('the drafting workflow', () => {
  it('takes the customer’s tags per application, comments and bulk tags, with who did what', async () => {
    const handle = await startDraft();
    const tagged = await handle.executeUpdate(editDraftUpdate, {
      args: [{ edit: { selection: { application: 'Dossier patient' }, change: { dataCategories: ['HEALTH', 'PERSONAL'] }, comment: 'Validé par la DPO' }, actor: dpo }],
    });
    expect(tagged.changed).toEqual(['srv-dpi-app01', 'srv-dpi-sql01', 'srv-dpi-web01']);
    expect(tagged.counts).toMatchObject({ included: 9, tagged: 3, untagged: 6 });
    await handle.executeUpdate(commentDraftUpdate, { args: [{ text: 'Le PACS contient des images de patients', workloadId: 'srv-pacs01', actor: dpo }] });

    const preview = await handle.query(draftPreviewQuery, {});
    expect(preview.classification?.approvals.map((approval) => approval.id)).toEqual(['rssi', 'dpo', 'dpia', 'homologation']);

    const page = await handle.query(draftWorkloadsQuery, { offset: 0, limit: 2, selection: { application: 'Dossier patient' } });
    expect(page.total).toBe(3);
    expect(page.workloads[0]).toMatchObject({ id: 'srv-dpi-app01', tagged: { by: 'dpo@ght' } });

    const history = await handle.query(draftHistoryQuery);
    expect(history.audit.map((entry) => [entry.action, entry.actor])).toEqual([
      ['IMPORTED', 'consultant-1'],
      ['EDITED', 'dpo@ght'],
      ['COMMENTED', 'dpo@ght'],
    ]);
    expect(history.audit[1]).toMatchObject({ detail: 'data categories HEALTH, PERSONAL for application Dossier patient', changed: 3, comment: 'Validé par la DPO' });
    expect(history.audit[0]?.message).toEqual({ code: 'DRAFT_IMPORTED', params: { workloadCount: hospitalDraft.workloads.length } });
    expect(history.audit[2]?.message).toEqual({ code: 'DRAFT_COMMENTED', params: { workloadId: 'srv-pacs01' } });
    expect(history.comments).toEqual([expect.objectContaining({ id: 1, by: 'dpo@ght', workloadId: 'srv-pacs01' })]);
    await handle.terminate('test done');
  });

  it('refuses edits from another customer, kinds from customers, and anything invalid, recording none', async () => {
    const handle = await startDraft();
    expect(await refusal(handle.executeUpdate(editDraftUpdate, { args: [{ edit: { selection: { untagged: true }, change: { dataCategories: ['INTERNAL'] } }, actor: otherCustomer }] }))).toBe('No such draft.');
    expect(await refusal(handle.executeUpdate(editDraftUpdate, { args: [{ edit: { selection: { workloadIds: ['srv-ad01'] }, change: { kind: 'ot' } }, actor: dpo }] }))).toBe(
      'Only a consultant may change a workload’s kind.',
    );
    expect(
      await refusal(handle.executeUpdate(editDraftUpdate, { args: [{ edit: { selection: {}, change: { criticality: 'HIGH' } } as never, actor: consultant }] })),
    ).toMatch(/^invalid edit: selection must name workload ids or at least one filter/);
    expect(await refusal(handle.executeUpdate(commentDraftUpdate, { args: [{ text: 'x', workloadId: 'srv-nope', actor: dpo }] }))).toBe(
      'unknown workload "srv-nope": the draft has no such workload',
    );
    expect((await handle.query(draftHistoryQuery)).auditTotal).toBe(1);
    expect((await handle.query(draftSummaryQuery)).revision).toBe(1);
    await handle.terminate('test done');
  });

  it('refuses to mark a run started while anything is untagged or the draft changed, then closes on the revision read', async () => {
    const handle = await startDraft();
    const summary = await handle.query(draftSummaryQuery);
    expect(await refusal(handle.executeUpdate(markRunStartedUpdate, { args: [{ runId: 'migration-x', revision: summary.revision, actor: consultant }] }))).toMatch(
      /^9 workloads are untagged: srv-ad01, srv-dpi-app01/,
    );
    const done = await handle.executeUpdate(editDraftUpdate, { args: [{ edit: { selection: { untagged: true }, change: { dataCategories: ['INTERNAL'] } }, actor: dpo }] });
    expect(await refusal(handle.executeUpdate(markRunStartedUpdate, { args: [{ runId: 'migration-x', revision: summary.revision, actor: consultant }] }))).toBe(
      `the draft changed (revision ${done.revision}, the run was built from ${summary.revision}): start again`,
    );
    expect(await refusal(handle.executeUpdate(markRunStartedUpdate, { args: [{ runId: 'migration-x', revision: done.revision, actor: dpo }] }))).toBe(
      'Your roles (customer) do not allow draft.start.',
    );
    const started = await handle.executeUpdate(markRunStartedUpdate, { args: [{ runId: 'migration-x', revision: done.revision, actor: consultant }] });
    expect(started).toMatchObject({ state: 'RUN_STARTED', runId: 'migration-x' });
    const final = await handle.result();
    expect(final.audit.at(-1)).toMatchObject({ action: 'RUN_STARTED', actor: 'consultant-1', detail: `run migration-x started from revision ${done.revision}` });
    // A closed draft still answers, and takes no more edits.
    expect((await handle.query(draftPlanQuery)).state).toBe('RUN_STARTED');
  });

  it('continues as new when its history grows, and keeps every tag and the audit trail', async () => {
    const handle = await startDraft({ continueAsNewAfterEvents: 30 });
    const firstRunId = (await handle.describe()).runId;
    let expected = hospitalDraft;
    const ids = hospitalDraft.workloads.map((workload) => workload.id);
    for (const [index, id] of ids.entries()) {
      const edit = { selection: { workloadIds: [id] }, change: { criticality: index % 2 === 0 ? ('HIGH' as const) : ('LOW' as const) } };
      await handle.executeUpdate(editDraftUpdate, { args: [{ edit, actor: consultant }] });
      expected = applyDraftEdit(expected, edit, consultant, '').draft;
    }
    const latest = stack.client.workflow.getHandle(handle.workflowId);
    expect((await latest.describe()).runId).not.toBe(firstRunId);
    const { draft } = await latest.query(draftPlanQuery);
    expect(draft.workloads.map((workload) => workload.criticality)).toEqual(expected.workloads.map((workload) => workload.criticality));
    expect((await latest.query(draftHistoryQuery)).auditTotal).toBe(1 + ids.length);
    await latest.terminate('test done');
  });
});
