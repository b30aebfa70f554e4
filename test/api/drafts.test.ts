/**
 * Draft plans over the real stack: a consultant imports discovery exports, the customer's
 * approvers tag the draft (their own only), the preview follows, nothing starts while anything
 * is untagged, and the consultant starts the run, which links back to the draft.
 */
import { readFile } from 'node:fs/promises';
import { hospitalEstate, writeEstateExports, type EstateExportFiles } from '../../scripts/lib/discovery-exports';
import { temporaryDirectory } from '../discovery/support/imports';
import { unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: string;
let dpo: string;
let stranger: string;
let files: EstateExportFiles;
let removeDirectory: () => Promise<void>;
const customerId = unique('ght');

beforeAll(async () => {
  stack = await startStack();
  consultant = await stack.token({ sub: 'consultant-1', roles: ['consultant'] });
  dpo = await stack.token({ sub: 'dpo@ght', roles: ['customer'], customerId, approverRoles: ['DPO', 'RSSI'] });
  stranger = await stack.token({ sub: 'dpo@ailleurs', roles: ['customer'], customerId: unique('ailleurs'), approverRoles: ['DPO'] });
  const temporary = await temporaryDirectory();
  removeDirectory = temporary.remove;
  files = await writeEstateExports(temporary.directory, hospitalEstate(), { prefix: 'chu' });
});

afterAll(async () => {
  await removeDirectory();
  await stack.stop();
});

/** The JSON answers this file reads, loosely typed. */
interface Answer {
  [field: string]: unknown;
  id?: string;
  errors?: { path: string; message: string }[];
  report?: { summary: Record<string, number> };
  classification?: { approvals: { id: string }[] };
  audit?: { action: string; actor: string }[];
}

async function api(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location'), type: response.headers.get('content-type'), text, body: text.startsWith('{') ? (JSON.parse(text) as Answer) : undefined };
}

async function encoded(...paths: string[]) {
  return Promise.all(paths.map(async (file) => ({ name: file.split('/').pop() ?? file, contentBase64: (await readFile(file)).toString('base64') })));
}

async function importHospital() {
  const response = await api('POST', '/v1/plans/drafts', consultant, {
    customer: { id: customerId, name: 'GHT Rhône Nord', type: 'HOSPITAL' },
    files: await encoded(files.azureMigrateCsv, files.rvtoolsXlsx, files.dependenciesCsv),
  });
  // The whole answer, so that a refused import says why.
  expect({ status: response.status, text: response.status === 201 ? '' : response.text }).toEqual({ status: 201, text: '' });
  return response;
}

describe('draft plans through the API', () => {
  it('imports, is tagged by the customer only, previews, refuses an incomplete start, then starts a run that links back', async () => {
    const imported = await importHospital();
    const id = imported.body?.id as string;
    expect(imported.location).toBe(`/v1/plans/drafts/${id}`);
    expect(imported.body?.report?.summary).toMatchObject({ servers: 10, workloads: 9, excluded: 1 });

    expect((await api('GET', `/v1/plans/drafts/${id}`, stranger)).status).toBe(404);
    expect((await api('PATCH', `/v1/plans/drafts/${id}`, stranger, { selection: { untagged: true }, change: { dataCategories: ['INTERNAL'] } })).status).toBe(404);
    expect((await api('GET', `/v1/plans/drafts/${id}`, dpo)).body?.counts).toMatchObject({ untagged: 9 });

    const refusedStart = await api('POST', `/v1/plans/drafts/${id}/start`, consultant);
    expect(refusedStart.status).toBe(422);
    expect(refusedStart.body?.errors?.[0]).toMatchObject({ message: expect.stringContaining('must list at least one data category') as unknown });
    expect((await api('GET', `/v1/migrations/migration-${id}`, consultant)).status).toBe(404);

    const kind = await api('PATCH', `/v1/plans/drafts/${id}`, dpo, { selection: { workloadIds: ['srv-pacs01'] }, change: { kind: 'storage' } });
    expect(kind.status).toBe(403);
    const tagged = await api('PATCH', `/v1/plans/drafts/${id}`, dpo, { selection: { application: 'Dossier patient' }, change: { dataCategories: ['HEALTH', 'PERSONAL'] }, comment: 'Validé en comité' });
    expect(tagged.status).toBe(200);
    expect(tagged.body?.changed).toEqual(['srv-dpi-app01', 'srv-dpi-sql01', 'srv-dpi-web01']);
    expect((await api('PATCH', `/v1/plans/drafts/${id}`, dpo, { selection: { untagged: true }, change: { dataCategories: ['INTERNAL'] } })).status).toBe(200);

    const preview = await api('GET', `/v1/plans/drafts/${id}/preview`, dpo);
    expect(preview.body).toMatchObject({ complete: true, counts: { untagged: 0 } });
    expect(preview.body?.classification?.approvals.map((approval) => approval.id)).toEqual(['rssi', 'dpo', 'dpia', 'homologation']);

    const csv = await api('GET', `/v1/plans/drafts/${id}/csv`, dpo);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('id,name,application,os,sizeGb,kind,criticality,dataCategories,excluded');

    expect((await api('POST', `/v1/plans/drafts/${id}/start`, dpo)).status).toBe(403);
    const started = await api('POST', `/v1/plans/drafts/${id}/start`, consultant);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ draftId: id, runId: `migration-${id}`, created: true });
    expect(started.location).toBe(`/v1/migrations/migration-${id}`);
    expect((await api('GET', `/v1/plans/drafts/${id}`, consultant)).body).toMatchObject({ state: 'RUN_STARTED', runId: `migration-${id}` });
    const description = await stack.client.workflow.getHandle(`migration-${id}`).describe();
    expect(description.memo?.draftId).toBe(id);
    // The run's status links back to the draft, for its customer too.
    expect((await api('GET', `/v1/migrations/migration-${id}`, dpo)).body).toMatchObject({ draftId: id, customerId });
    // Starting again gives the same run.
    expect((await api('POST', `/v1/plans/drafts/${id}/start`, consultant)).body).toMatchObject({ runId: `migration-${id}`, created: false });
    // A closed draft takes no more edits.
    expect((await api('PATCH', `/v1/plans/drafts/${id}`, dpo, { selection: { untagged: true }, change: { criticality: 'HIGH' } })).status).toBe(409);

    const history = await api('GET', `/v1/plans/drafts/${id}/history`, consultant);
    expect(history.body?.audit?.map((entry) => `${entry.action} ${entry.actor}`)).toEqual([
      'IMPORTED consultant-1',
      'EDITED dpo@ght',
      'EDITED dpo@ght',
      'RUN_STARTED consultant-1',
    ]);
    await stack.client.workflow.getHandle(`migration-${id}`).terminate('test done');
  });

  it('lists the drafts a caller may see: a customer its own only, whatever filter it sends', async () => {
    const id = (await importHospital()).body?.id as string;
    const listed = (token: string, query = '') => api('GET', `/v1/plans/drafts${query}`, token);
    const ids = (answer: Awaited<ReturnType<typeof listed>>) => (answer.body?.items as { id: string }[]).map((item) => item.id);
    expect(ids(await listed(consultant, `?customer=${customerId}&limit=100`))).toContain(id);
    const own = await listed(dpo, '?limit=100');
    expect(ids(own)).toContain(id);
    expect((own.body?.items as { id: string; customerId: string; open: boolean }[]).find((item) => item.id === id)).toMatchObject({ customerId, open: true, closedAt: null });
    expect(ids(await listed(stranger))).not.toContain(id);
    expect(ids(await listed(stranger, `?customer=${customerId}`))).toEqual([]);
    expect((await listed(consultant, '?limit=0')).status).toBe(400);
    expect((await listed(await stack.token({ roles: ['ops'] }))).status).toBe(403);
  });

  it('refuses malformed exports with every problem located, and creates no draft', async () => {
    const csv = `*Server Name,*Cores,*Memory (In MB),*OS name\nSRV-A,2,4096,Linux\nSRV-A,2,4096,Linux\n`;
    const response = await api('POST', '/v1/plans/drafts', consultant, {
      customer: { id: customerId, name: 'GHT', type: 'HOSPITAL' },
      files: [{ name: 'servers.csv', contentBase64: Buffer.from(csv).toString('base64') }],
    });
    expect(response.status).toBe(422);
    expect(response.body?.errors).toEqual([{ path: 'servers.csv, line 3, column "*Server Name"', message: expect.stringMatching(/^duplicate server name "SRV-A"/) as unknown }]);
  });

  it('lets only consultants import', async () => {
    const response = await api('POST', '/v1/plans/drafts', dpo, { customer: { id: customerId, name: 'GHT', type: 'HOSPITAL' }, files: await encoded(files.azureMigrateCsv) });
    expect(response.status).toBe(403);
  });
});
