/**
 * `passerelle plan …` against the real stack: import the discovery exports, show the draft,
 * export it as CSV, fill the spreadsheet in, apply it, start the run; and the refusals, each
 * naming the problem and leaving nothing half done.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../cli/main';
import { hospitalEstate, writeEstateExports } from '../../scripts/lib/discovery-exports';
import { temporaryDirectory } from '../discovery/support/imports';
import { unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let dir: string;
let removeDirectory: () => Promise<void>;
let consultant: string;
let approver: string;
const customerId = unique('ght-cli');

beforeAll(async () => {
  stack = await startStack();
  const temporary = await temporaryDirectory();
  dir = temporary.directory;
  removeDirectory = temporary.remove;
  await writeEstateExports(dir, hospitalEstate(), { prefix: 'chu' });
  consultant = await stack.token({ sub: 'consultant@cli', roles: ['consultant'] });
  approver = await stack.token({ sub: 'dpo@ght', roles: ['customer'], customerId, approverRoles: ['DPO', 'RSSI'] });
});

afterAll(async () => {
  await stack?.stop();
  await removeDirectory?.();
});

async function cli(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PASSERELLE_API_URL: stack.apiUrl, PASSERELLE_TOKEN: token },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

const CUSTOMER = ['--customer', customerId, '--customer-name', 'GHT Rhône Nord', '--customer-type', 'HOSPITAL'];

/** The drafts of this file's customer, as the API lists them. */
async function draftIds(): Promise<string[]> {
  const response = await fetch(`${stack.apiUrl}/v1/plans/drafts?customer=${customerId}&limit=100`, { headers: { authorization: `Bearer ${consultant}` } });
  return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
}

async function revisionOf(id: string): Promise<number> {
  const response = await fetch(`${stack.apiUrl}/v1/plans/drafts/${id}`, { headers: { authorization: `Bearer ${consultant}` } });
  return ((await response.json()) as { revision: number }).revision;
}

/** Sets the answers of some rows of a draft's CSV: `{ id: { dataCategories, criticality, excluded } }`. */
function fillIn(csv: string, answers: Record<string, Partial<Record<'kind' | 'criticality' | 'dataCategories' | 'excluded', string>>>, fallback?: string): string {
  const [header = '', ...rows] = csv.trimEnd().split('\r\n');
  const columns = header.split(',');
  const at = (name: string) => columns.indexOf(name);
  return `${[
    header,
    ...rows.map((row) => {
      // Only the excluded server's row quotes a cell (its reason): it is left as it is.
      if (row.includes('"')) return row;
      const cells = row.split(',');
      const answer = answers[cells[0] ?? ''];
      if (answer === undefined && fallback !== undefined) cells[at('dataCategories')] = fallback;
      for (const [column, value] of Object.entries(answer ?? {})) cells[at(column)] = value;
      return cells.join(',');
    }),
  ].join('\r\n')}\r\n`;
}

describe('passerelle plan', () => {
  it('imports the exports, shows, exports and applies the CSV, then starts the run from the draft', async () => {
    const imported = await cli(['plan', 'import', 'chu-azure-migrate.csv', 'chu-rvtools.xlsx', 'chu-dependencies.csv', ...CUSTOMER], consultant);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    const id = /^Draft (draft-[a-z0-9-]+): /.exec(imported.stdout)?.[1] ?? '';
    expect(imported.stdout.split('\n').slice(0, 5)).toEqual([
      `Draft ${id}: GHT Rhône Nord (HOSPITAL)`,
      '10 servers: 9 to migrate, 1 excluded, 7 dependencies, 6 applications; 9 to tag.',
      expect.stringMatching(/^inferred: MERGED 10, .*DEPENDENCY 7/) as unknown,
      expect.stringMatching(/^refused: TEMPLATE 1, OUTSIDE_INVENTORY 1, POWERED_OFF 1/) as unknown,
      expect.stringMatching(/^ {2}chu-rvtools\.xlsx, sheet vInfo, line \d+, column "Template": /) as unknown,
    ]);
    expect(imported.stdout.trimEnd().split('\n').at(-1)).toBe(`Next: passerelle plan export ${id} --output draft.csv, fill in dataCategories, then passerelle plan apply ${id} draft.csv`);

    const shown = await cli(['plan', 'show', id], approver);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toBe(
      [
        `Draft ${id} (OPEN, revision 1)`,
        '9 to migrate, 1 excluded; 0 tagged, 9 untagged.',
        'Untagged: srv-ad01, srv-dpi-app01, srv-dpi-sql01, srv-dpi-web01, srv-labo-app01, srv-pacs01, srv-paie-app01, srv-paie-db01, srv-web-public',
        'Not complete yet: every workload to migrate needs data categories.',
        '',
      ].join('\n'),
    );

    const exported = await cli(['plan', 'export', id, '--output', 'draft.csv'], approver);
    expect(exported).toEqual({ code: 0, stdout: 'Wrote draft.csv.\n', stderr: '' });
    const csv = readFileSync(path.join(dir, 'draft.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('id,name,application,os,sizeGb,kind,criticality,dataCategories,excluded');
    expect(csv.split('\r\n').length).toBe(12);

    writeFileSync(
      path.join(dir, 'filled.csv'),
      fillIn(csv, { 'srv-dpi-sql01': { dataCategories: 'HEALTH PERSONAL', criticality: 'HIGH' }, 'srv-dpi-app01': { dataCategories: 'HEALTH PERSONAL' }, 'srv-dpi-web01': { dataCategories: 'HEALTH PERSONAL' } }, 'INTERNAL'),
    );
    const applied = await cli(['plan', 'apply', id, 'filled.csv'], approver);
    expect(applied).toEqual({ code: 0, stdout: '9 workload(s) changed in 3 edit(s).\n', stderr: '' });
    // The same file again changes nothing.
    expect(await cli(['plan', 'apply', id, 'filled.csv'], approver)).toEqual({ code: 0, stdout: 'Nothing to change.\n', stderr: '' });

    const complete = await cli(['plan', 'show', id], consultant);
    expect(complete.stdout).toBe(
      [
        `Draft ${id} (OPEN, revision 4)`,
        '9 to migrate, 1 excluded; 9 tagged, 0 untagged.',
        'Approval rssi (RSSI): always',
        'Approval dpo (DPO): PERSONAL in srv-dpi-app01, srv-dpi-sql01, srv-dpi-web01; HEALTH in srv-dpi-app01, srv-dpi-sql01, srv-dpi-web01',
        'Approval dpia (DPO): HEALTH in srv-dpi-app01, srv-dpi-sql01, srv-dpi-web01',
        'Approval homologation (HOMOLOGATION_AUTHORITY): SECNUMCLOUD in srv-ad01, srv-dpi-app01, srv-dpi-sql01, srv-dpi-web01',
        `Complete: passerelle plan start ${id}`,
        '',
      ].join('\n'),
    );

    const refusedStart = await cli(['plan', 'start', id], approver);
    expect(refusedStart).toEqual({ code: 1, stdout: '', stderr: 'Error 403 Forbidden: Your roles (customer) do not allow draft.start.\n' });
    const started = await cli(['plan', 'start', id], consultant);
    expect(started).toEqual({ code: 0, stdout: `Run migration-${id} started from draft ${id}.\n`, stderr: '' });
    expect(await cli(['plan', 'start', id], consultant)).toEqual({ code: 0, stdout: `Run migration-${id} was already started from draft ${id}.\n`, stderr: '' });
    const run = await stack.client.workflow.getHandle(`migration-${id}`).describe();
    expect(run.memo?.draftId).toBe(id);
    expect((await cli(['plan', 'show', id], approver)).stdout.split('\n')[0]).toBe(`Draft ${id} (RUN_STARTED, revision 4): run migration-${id}`);
    await stack.client.workflow.getHandle(`migration-${id}`).terminate('test done');
  });

  it('refuses an export it cannot read or parse, naming the file, and creates no draft', async () => {
    const before = await draftIds();
    const missing = await cli(['plan', 'import', 'chu-azure-migrate.csv', 'nowhere.csv', ...CUSTOMER], consultant);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `Error: Cannot read ${path.join(dir, 'nowhere.csv')}: ENOENT.\n` });

    writeFileSync(path.join(dir, 'duplicates.csv'), '*Server Name,*Cores,*Memory (In MB),*OS name\nSRV-A,2,4096,Linux\nSRV-A,2,4096,Linux\n');
    const malformed = await cli(['plan', 'import', 'duplicates.csv', ...CUSTOMER], consultant);
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toBe('');
    expect(malformed.stderr).toMatch(/^Error 422 Unprocessable Content: The exports were refused, nothing was imported: 1 problem\.\n {2}duplicates\.csv, line 3, column "\*Server Name": duplicate server name "SRV-A"/);

    const wrongType = await cli(['plan', 'import', 'chu-azure-migrate.csv', '--customer', customerId, '--customer-name', 'GHT', '--customer-type', 'CLINIC'], consultant);
    expect(wrongType.code).toBe(2);
    expect(await draftIds()).toEqual(before);
  });

  it('refuses a filled-in CSV with a bad cell or an edit the draft does not allow, applying none of its rows', async () => {
    const imported = await cli(['plan', 'import', 'chu-azure-migrate.csv', 'chu-rvtools.xlsx', 'chu-dependencies.csv', ...CUSTOMER], consultant);
    if (imported.code !== 0) throw new Error(`plan import exited ${imported.code}: ${imported.stderr}`);
    const id = /^Draft (draft-[a-z0-9-]+): /.exec(imported.stdout)?.[1] ?? '';
    const exported = await cli(['plan', 'export', id, '--output', 'blank.csv'], approver);
    if (exported.code !== 0) throw new Error(`plan export exited ${exported.code}: ${exported.stderr}`);
    const csv = readFileSync(path.join(dir, 'blank.csv'), 'utf8');

    writeFileSync(path.join(dir, 'typo.csv'), fillIn(csv, { 'srv-ad01': { dataCategories: 'IDENTITE' }, 'srv-pacs01': { criticality: 'URGENT' } }, 'INTERNAL'));
    const typo = await cli(['plan', 'apply', id, 'typo.csv'], approver);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      [
        'Error: typo.csv was refused, nothing was applied: 2 problems.',
        '  typo.csv, line 2, column "dataCategories": unknown data category IDENTITE: use PUBLIC, INTERNAL, IDENTITY, PERSONAL, PERSONAL_SPECIAL, HEALTH, BUSINESS_SECRET, LEGALLY_PROTECTED, ESSENTIAL_MISSION, DIFFUSION_RESTREINTE, SIIV, CLASSIFIED',
        '  typo.csv, line 8, column "criticality": must be one of LOW, MEDIUM, HIGH, not "URGENT"',
        '',
      ].join('\n'),
    );

    // SIIV is for OIV customers only: the row is refused before the others are sent.
    writeFileSync(path.join(dir, 'siiv.csv'), fillIn(csv, { 'srv-paie-db01': { dataCategories: 'SIIV' } }, 'INTERNAL'));
    const siiv = await cli(['plan', 'apply', id, 'siiv.csv'], approver);
    expect(siiv).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error: siiv.csv was refused, nothing was applied: 1 problem.\n  siiv.csv, workload srv-paie-db01: SIIV (vital information system under the LPM) applies to OIV customers only, and this customer is HOSPITAL\n',
    });

    // A kind is the consultant's to change: the customer is refused before any category lands.
    writeFileSync(path.join(dir, 'kind.csv'), fillIn(csv, { 'srv-pacs01': { kind: 'storage' } }, 'INTERNAL'));
    const kind = await cli(['plan', 'apply', id, 'kind.csv'], approver);
    expect(kind).toEqual({ code: 1, stdout: '', stderr: 'Error 403 Forbidden: Only a consultant may change a workload’s kind.\n' });

    const missing = await cli(['plan', 'apply', id, 'nowhere.csv'], approver);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `Error: Cannot read ${path.join(dir, 'nowhere.csv')}: ENOENT.\n` });
    expect(await revisionOf(id)).toBe(1);

    const stranger = await stack.token({ roles: ['customer'], customerId: unique('ailleurs'), approverRoles: ['DPO'] });
    expect(await cli(['plan', 'show', id], stranger)).toEqual({ code: 1, stdout: '', stderr: 'Error 404 Not Found: No such draft.\n' });
    expect(await cli(['plan', 'start', id], consultant)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Error 422 Unprocessable Content: Draft draft-.* is not a plan yet: 9 problems\.\n {2}workloads\[\d+\]\.dataCategories: srv-/) as unknown });
    expect(await revisionOf(id)).toBe(1);
  });
});
