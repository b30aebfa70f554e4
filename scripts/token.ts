import { parseArgs } from 'node:util';
import { loadOrCreateDevSecret } from '../config/dev-secret';
import { loadConfig } from '../config/env';
import { issueDevToken } from '../config/dev-tokens';
import type { ApproverRole, UserRole } from '../domain';

const usage = 'usage: npm run -s token -- --role consultant|customer|ops [--customer ID] [--approver RSSI,DPO,HOMOLOGATION_AUTHORITY] [--sub NAME] [--ttl 12h]';

/** `npm run -s token`: prints a development token, and nothing else, for the API and the CLI. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      customer: { type: 'string' },
      approver: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.role?.length) throw new Error(usage);
  const config = loadConfig();
  if (config.auth.mode !== 'dev') throw new Error('Tokens are issued by the OIDC provider in this configuration (AUTH_MODE=oidc).');
  const secret = config.auth.secret ? new TextEncoder().encode(config.auth.secret) : await loadOrCreateDevSecret(config.dataDir);
  const roles = values.role.flatMap((role) => role.split(',')).map((role) => role.trim()) as UserRole[];
  const approverRoles = (values.approver?.split(',').map((role) => role.trim()).filter(Boolean) ?? []) as ApproverRole[];
  const sub = values.sub ?? (values.customer ? `${roles[0]}@${values.customer}` : `${roles[0]}@passerelle`);
  const token = await issueDevToken(secret, { sub, roles, customerId: values.customer, approverRoles }, values.ttl);
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  process.stderr.write(`${issues ? issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n') : message}\n`);
  process.exitCode = 1;
});
