/**
 * The command line against the real stack: validate, start, approve and watch a run to
 * COMPLETED. The first command runs the `passerelle` executable itself; the others run the
 * same entry point in-process, which spares a TypeScript start-up each.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../cli/main';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

const BIN = path.join(__dirname, '..', '..', 'cli', 'passerelle.mjs');

let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startStack();
  dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-cli-'));
});

afterAll(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
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

describe('the passerelle command line', () => {
  it('validates a plan, starts it, approves it and watches it to COMPLETED', async () => {
    const customerId = 'mairie-cli';
    const plan = smallPlan(unique('cli'), { customerId });
    writeFileSync(path.join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
    const consultant = await stack.token({ roles: ['consultant'] });
    const approver = await stack.token({ roles: ['customer'], customerId, approverRoles: ['RSSI', 'HOMOLOGATION_AUTHORITY'] });

    const validated = await promisify(execFile)(process.execPath, [BIN, 'validate', 'plan.json'], {
      cwd: dir,
      env: { ...process.env, PASSERELLE_API_URL: stack.apiUrl, PASSERELLE_TOKEN: consultant, INIT_CWD: dir },
    });
    expect(validated.stdout).toMatch(/^WORKLOAD\s+NAME\s+KIND\s+LEVEL\s+HDS\s+RULES/m);
    expect(validated.stdout).toMatch(/^db\s+Base\s+database\s+STANDARD\s+no\s+R7/m);
    expect(validated.stdout).toMatch(/^homologation\s+HOMOLOGATION_AUTHORITY/m);

    const started = await cli(['start', 'plan.json', '--json'], consultant);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    const { id, created } = JSON.parse(started.stdout) as { id: string; created: boolean };
    expect(created).toBe(true);
    await stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.phase === 'AWAITING_APPROVAL');

    const stranger = await stack.token({ roles: ['customer'], customerId: 'someone-else', approverRoles: ['RSSI'] });
    const refused = await cli(['approve', id, 'rssi'], stranger);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error 404 Not Found: No such migration.\n');

    for (const approvalId of ['rssi', 'homologation']) {
      const approved = await cli(['approve', id, approvalId, '--comment', 'Vu en comité'], approver);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toMatch(new RegExp(`^Approval ${approvalId} \\(\\w+\\): APPROVED by customer-tester\\.\n$`));
    }

    const watched = await cli(['watch', id], consultant);
    expect(watched.code).toBe(0);
    expect(watched.stdout.trimEnd().split('\n').at(-1)).toBe('Run COMPLETED.');
    expect(watched.stdout).toMatch(/ DONE COMPLETED 100%$/m);

    const status = await cli(['status', id], consultant);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^\s+Cutover\s+█{20}\s+100 %\s+12\/12$/m);
  });
});
