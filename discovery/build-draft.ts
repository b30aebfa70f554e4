/**
 * Merges what the parsers read into a draft plan and its report: servers of every inventory
 * by name, dependencies from observed connections, kinds and sizes inferred, applications
 * where the export names them, powered-off machines excluded, templates refused. References
 * to servers that no inventory holds refuse the whole import.
 */
import {
  compareIds,
  type Customer,
  type DraftPlan,
  type DraftWorkload,
  MAX_DRAFT_WORKLOADS,
  MAX_WORKLOADS,
  WORKLOAD_ID_PATTERN,
} from '../domain';
import { ProblemCollector } from './errors';
import type { DiscoveryLimits } from './limits';
import { describeLocation, type ImportLocation } from './location';
import type { Connection, InventoryServer, ParsedExport } from './records';
import { EXPORT_FORMAT_NAMES } from './records';
import { ImportReportBuilder, type ImportReport } from './report';
import { inferWorkloadKind, type ListeningEvidence } from './workload-kind';

/** An application the export groups servers into. */
export interface DraftApplication {
  name: string;
  workloadIds: string[];
}

/** What an import produces: the draft, its applications and the report. */
export interface DiscoveryImport {
  draft: DraftPlan;
  applications: DraftApplication[];
  report: ImportReport;
}

/** The plan's identity, which no export holds. */
export interface DraftIdentity {
  customer: Customer;
  planId?: string;
}

/** One server after merging every inventory that describes it. */
interface MergedServer {
  primary: InventoryServer;
  others: InventoryServer[];
  id: string;
}

/** Merges parsed exports into a draft. Throws `DiscoveryImportError` when the exports contradict themselves. */
export function buildDraft(exports: readonly ParsedExport[], identity: DraftIdentity, limits: DiscoveryLimits): DiscoveryImport {
  const problems = new ProblemCollector(limits.maxProblems);
  const report = new ImportReportBuilder(limits.maxReportItemsPerList);

  const servers = mergeInventories(exports, problems, report);
  problems.throwIfAny();
  if (servers.length === 0) {
    problems.add({
      file: exports[0]?.file ?? '',
      message: `no inventory: give an ${EXPORT_FORMAT_NAMES['azure-migrate-csv']} or an ${EXPORT_FORMAT_NAMES['rvtools-xlsx']} with at least one server`,
    });
    problems.throwIfAny();
  }
  if (servers.length > MAX_DRAFT_WORKLOADS) {
    problems.add({ file: exports[0]?.file ?? '', message: `the inventories hold ${servers.length} servers; a draft holds at most ${MAX_DRAFT_WORKLOADS}` });
    problems.throwIfAny();
  }
  assignIds(servers, report);

  const resolver = new ServerResolver(servers);
  const { dependsOn, listening } = resolveConnections(exports, resolver, problems, report);
  problems.throwIfAny();
  breakCycles(servers, dependsOn, report);

  const workloads = servers.map((server) => toDraftWorkload(server, dependsOn.get(server.id), listening.get(server.id) ?? [], report));
  workloads.sort((left, right) => compareIds(left.id, right.id));
  const applications = groupApplications(servers, exports, report);

  const included = workloads.filter((workload) => workload.excluded === undefined).length;
  if (included > MAX_WORKLOADS) {
    report.add('missing', {
      file: exports[0]?.file ?? '',
      code: 'PLAN_TOO_LARGE',
      message: `${included} workloads would migrate; a run takes at most ${MAX_WORKLOADS}: exclude some, or import the estate in lots`,
    });
  }
  report.add('inferred', {
    file: servers[0]?.primary.at.file ?? '',
    code: 'CRITICALITY_DEFAULT',
    message: 'no export states business criticality: every workload starts at MEDIUM until the questionnaire sets it',
  });
  for (const parsed of exports) {
    for (const unused of parsed.unusedColumns) {
      report.add('refused', {
        file: parsed.file,
        ...(unused.sheet === undefined ? {} : { sheet: unused.sheet }),
        line: 1,
        code: 'UNUSED_COLUMNS',
        message: `${unused.columns.length} column${unused.columns.length === 1 ? '' : 's'} not read: ${abbreviateList(unused.columns, 12)}`,
      });
    }
  }

  const draft: DraftPlan = {
    ...(identity.planId === undefined ? {} : { planId: identity.planId }),
    customer: identity.customer,
    workloads,
  };
  const dependencyCount = [...dependsOn.values()].reduce((total, targets) => total + targets.size, 0);
  return {
    draft,
    applications,
    report: report.build(
      exports.map((parsed) => ({ file: parsed.file, format: EXPORT_FORMAT_NAMES[parsed.format], rows: parsed.rows })),
      {
        servers: servers.length,
        workloads: included,
        excluded: workloads.length - included,
        dependencies: dependencyCount,
        applications: applications.length,
        untagged: included,
      },
    ),
  };
}

/** Server names compare without case: Windows and DNS names are case-insensitive. */
function serverKey(name: string): string {
  return name.trim().toLowerCase();
}

function mergeInventories(exports: readonly ParsedExport[], problems: ProblemCollector, report: ImportReportBuilder): MergedServer[] {
  const byKey = new Map<string, MergedServer>();
  for (const parsed of exports) {
    const seenInFile = new Map<string, ImportLocation>();
    for (const server of parsed.servers) {
      const key = serverKey(server.name);
      const earlier = seenInFile.get(key);
      if (earlier !== undefined) {
        problems.add({ ...server.at, message: `duplicate server name ${JSON.stringify(server.name)}: ${describeLocation(earlier)} already names it` });
        continue;
      }
      seenInFile.set(key, server.at);
      if (server.template?.value === true) {
        report.add('refused', { ...server.template.at, code: 'TEMPLATE', message: `${server.name} is a VM template, not a server: not imported` });
        continue;
      }
      const merged = byKey.get(key);
      if (merged === undefined) {
        byKey.set(key, { primary: server, others: [], id: '' });
      } else if (merged.primary.format === server.format || merged.others.some((other) => other.format === server.format)) {
        problems.add({
          ...server.at,
          message: `duplicate server name ${JSON.stringify(server.name)}: ${describeLocation(merged.primary.at)}, an export of the same kind, already names it`,
        });
      } else {
        merged.others.push(server);
        report.add('inferred', {
          ...server.at,
          code: 'MERGED',
          message: `${server.name} is also described by ${describeLocation(merged.primary.at)}: both merged`,
        });
      }
    }
  }
  return [...byKey.values()];
}

/** Workload ids from server names: lower-case, every other character a dash, unique. */
function assignIds(servers: MergedServer[], report: ImportReportBuilder): void {
  const taken = new Set<string>();
  const ordered = [...servers].sort((left, right) => compareIds(serverKey(left.primary.name), serverKey(right.primary.name)));
  for (const server of ordered) {
    const base = slugifyServerName(server.primary.name);
    let id = base;
    for (let suffix = 2; taken.has(id); suffix += 1) id = `${base.slice(0, 60)}-${suffix}`;
    taken.add(id);
    server.id = id;
    if (id !== serverKey(server.primary.name)) {
      report.add('inferred', {
        ...server.primary.at,
        code: 'ID_FROM_NAME',
        workloadId: id,
        message: `${server.primary.name} becomes workload ${id}`,
      });
    }
  }
}

/** A workload id (domain/plan.ts) from a server name. */
export function slugifyServerName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return WORKLOAD_ID_PATTERN.test(slug) ? slug : `server-${slug}`.slice(0, 64).replace(/-+$/, '') || 'server';
}

/** Finds a server by name (full or short) or by IP address. */
class ServerResolver {
  private readonly byName = new Map<string, MergedServer>();
  private readonly byShortName = new Map<string, MergedServer | 'ambiguous'>();
  private readonly byIp = new Map<string, MergedServer | 'ambiguous'>();

  constructor(servers: readonly MergedServer[]) {
    for (const server of servers) {
      for (const described of [server.primary, ...server.others]) {
        this.byName.set(serverKey(described.name), server);
        if (described.dnsName !== undefined) this.byName.set(serverKey(described.dnsName), server);
        for (const ip of described.ipAddresses) addUnique(this.byIp, ip, server);
      }
      addUnique(this.byShortName, shortName(server.primary.name), server);
    }
  }

  byServerName(name: string): MergedServer | undefined {
    const exact = this.byName.get(serverKey(name));
    if (exact !== undefined) return exact;
    const short = this.byShortName.get(shortName(name));
    return short === 'ambiguous' ? undefined : short;
  }

  byAddress(ip: string): MergedServer | undefined {
    const found = this.byIp.get(ip.trim());
    return found === 'ambiguous' ? undefined : found;
  }
}

function shortName(name: string): string {
  return serverKey(name).split('.')[0] ?? '';
}

function addUnique<Key>(map: Map<Key, MergedServer | 'ambiguous'>, key: Key, server: MergedServer): void {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, server);
  else if (existing !== server) map.set(key, 'ambiguous');
}

interface ResolvedConnections {
  /** Workload id → the ids it depends on. */
  dependsOn: Map<string, Map<string, ImportLocation>>;
  /** Workload id → what it was seen accepting. */
  listening: Map<string, ListeningEvidence[]>;
}

function resolveConnections(
  exports: readonly ParsedExport[],
  resolver: ServerResolver,
  problems: ProblemCollector,
  report: ImportReportBuilder,
): ResolvedConnections {
  const dependsOn = new Map<string, Map<string, ImportLocation>>();
  const listening = new Map<string, ListeningEvidence[]>();
  for (const parsed of exports) {
    for (const connection of parsed.connections) {
      const source = resolveSource(connection, resolver, problems);
      const destination = resolveDestination(connection, resolver, problems, report);
      if (source === undefined || destination === undefined) continue;
      if (source === destination) {
        report.add('refused', { ...connection.at, code: 'SELF_CONNECTION', workloadId: source.id, message: `${source.primary.name} connects to itself: not a dependency` });
        continue;
      }
      const evidence: ListeningEvidence = {};
      if (connection.port !== undefined) evidence.port = connection.port;
      if (connection.destinationProcess !== undefined) evidence.process = connection.destinationProcess;
      const seen = listening.get(destination.id) ?? [];
      // Kind inference needs one sighting per port and process, not every connection.
      if (seen.length < 64 && !seen.some((other) => other.port?.value === evidence.port?.value && other.process?.value === evidence.process?.value)) {
        seen.push(evidence);
        listening.set(destination.id, seen);
      }
      const targets = dependsOn.get(source.id) ?? new Map<string, ImportLocation>();
      if (!targets.has(destination.id)) {
        targets.set(destination.id, connection.at);
        report.add('inferred', {
          ...connection.at,
          code: 'DEPENDENCY',
          workloadId: source.id,
          message: `${source.id} depends on ${destination.id}${connection.port === undefined ? '' : ` (port ${connection.port.value})`}`,
        });
      }
      dependsOn.set(source.id, targets);
    }
  }
  return { dependsOn, listening };
}

function resolveSource(connection: Connection, resolver: ServerResolver, problems: ProblemCollector): MergedServer | undefined {
  const name = connection.sourceName;
  if (name === undefined) return undefined;
  const server = resolver.byServerName(name.value);
  if (server === undefined) {
    problems.add({ ...name.at, message: `unknown server ${JSON.stringify(name.value)}: no inventory of this import holds it` });
  }
  return server;
}

function resolveDestination(
  connection: Connection,
  resolver: ServerResolver,
  problems: ProblemCollector,
  report: ImportReportBuilder,
): MergedServer | undefined {
  const name = connection.destinationName;
  if (name !== undefined) {
    const server = resolver.byServerName(name.value);
    if (server === undefined) problems.add({ ...name.at, message: `unknown server ${JSON.stringify(name.value)}: no inventory of this import holds it` });
    return server;
  }
  const ip = connection.destinationIp;
  if (ip === undefined) return undefined;
  const server = resolver.byAddress(ip.value);
  const port = connection.port === undefined ? '' : `:${connection.port.value}`;
  if (server === undefined) {
    report.add('refused', { ...ip.at, code: 'OUTSIDE_INVENTORY', message: `connection to ${ip.value}${port}, which no server of the inventory has: not imported` });
    return undefined;
  }
  report.add('inferred', { ...ip.at, code: 'DEPENDENCY_BY_IP', workloadId: server.id, message: `${ip.value}${port} is ${server.primary.name}'s address` });
  return server;
}

/**
 * Observed connections go both ways (servers call each other), but a plan's dependencies must
 * be acyclic. A depth-first walk in id order drops every edge that closes a cycle and reports
 * it, so that the consultant sees what was cut and can restore another direction.
 */
function breakCycles(servers: readonly MergedServer[], dependsOn: Map<string, Map<string, ImportLocation>>, report: ImportReportBuilder): void {
  const ids = servers.map((server) => server.id).sort(compareIds);
  const state = new Map<string, 'open' | 'done'>();
  for (const root of ids) {
    if (state.has(root)) continue;
    const frames: { id: string; targets: string[]; next: number }[] = [{ id: root, targets: sortedTargets(dependsOn, root), next: 0 }];
    state.set(root, 'open');
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) break;
      const target = frame.targets[frame.next];
      frame.next += 1;
      if (target === undefined) {
        state.set(frame.id, 'done');
        frames.pop();
        continue;
      }
      const targetState = state.get(target);
      if (targetState === 'open') {
        const at = dependsOn.get(frame.id)?.get(target);
        dependsOn.get(frame.id)?.delete(target);
        const path = [...frames.slice(frames.findIndex((open) => open.id === target)).map((open) => open.id), target];
        report.add('refused', {
          ...(at ?? { file: '' }),
          code: 'DEPENDENCY_CYCLE_BROKEN',
          workloadId: frame.id,
          message: `${frame.id} depends on ${target} dropped: it closes the cycle ${path.join(' -> ')}`,
        });
      } else if (targetState === undefined) {
        state.set(target, 'open');
        frames.push({ id: target, targets: sortedTargets(dependsOn, target), next: 0 });
      }
    }
  }
}

function sortedTargets(dependsOn: ReadonlyMap<string, ReadonlyMap<string, ImportLocation>>, id: string): string[] {
  return [...(dependsOn.get(id)?.keys() ?? [])].sort(compareIds);
}

function toDraftWorkload(
  server: MergedServer,
  targets: ReadonlyMap<string, ImportLocation> | undefined,
  listening: readonly ListeningEvidence[],
  report: ImportReportBuilder,
): DraftWorkload {
  const described = [server.primary, ...server.others];
  const first = <Value>(read: (item: InventoryServer) => Value | undefined): Value | undefined => {
    for (const item of described) {
      const value = read(item);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const { id } = server;
  const at = server.primary.at;

  const inference = inferWorkloadKind(server.primary.name, listening);
  if (inference.kind !== 'vm') {
    report.add('inferred', {
      ...(inference.evidence?.at ?? at),
      code: inference.kind === 'database' ? 'KIND_DATABASE' : 'KIND_APP',
      workloadId: id,
      message: `${id} is a ${inference.kind}: ${inference.because}`,
    });
  }

  const inUse = first((item) => item.inUseGb);
  const provisioned = first((item) => item.provisionedGb);
  let sizeGb = 0;
  if (inUse !== undefined) {
    sizeGb = inUse.value;
  } else if (provisioned !== undefined) {
    sizeGb = provisioned.value;
    report.add('inferred', { ...provisioned.at, code: 'SIZE_PROVISIONED', workloadId: id, message: `${id}: ${formatGb(sizeGb)} provisioned; the export has no in-use figure` });
  } else {
    report.add('missing', { ...at, code: 'SIZE_UNKNOWN', workloadId: id, message: `${id}: no export gives its size; 0 GB until someone states it` });
  }

  const os = first((item) => item.os);
  if (os === undefined) report.add('missing', { ...at, code: 'OS_UNKNOWN', workloadId: id, message: `${id}: the operating system is unknown` });
  const cores = first((item) => item.cores);
  const memoryMb = first((item) => item.memoryMb);
  if (cores === undefined || memoryMb === undefined) {
    report.add('missing', {
      ...at,
      code: 'CORES_OR_MEMORY_MISSING',
      workloadId: id,
      message: `${id}: ${[cores === undefined ? 'cores' : '', memoryMb === undefined ? 'memory' : ''].filter(Boolean).join(' and ')} missing`,
    });
  }
  for (const item of described) {
    if (item.declaredDisks !== undefined && item.sizedDisks !== undefined && item.declaredDisks > item.sizedDisks) {
      report.add('missing', {
        ...item.at,
        code: 'DISK_SIZES_MISSING',
        workloadId: id,
        message: `${id}: ${item.declaredDisks} disks declared, ${item.sizedDisks} with a size`,
      });
    }
  }

  const powerState = first((item) => item.powerState);
  let excluded: DraftWorkload['excluded'];
  if (powerState !== undefined && /^poweredoff$/i.test(powerState.value)) {
    excluded = { reason: `powered off in ${describeLocation(powerState.at)}` };
    report.add('refused', { ...powerState.at, code: 'POWERED_OFF', workloadId: id, message: `${id} is powered off: excluded until someone includes it` });
  } else if (powerState !== undefined && /^suspended$/i.test(powerState.value)) {
    report.add('missing', { ...powerState.at, code: 'SUSPENDED', workloadId: id, message: `${id} is suspended: kept in the plan, check that it still serves` });
  }

  const application = first((item) => item.application);
  const ipAddresses = [...new Set(described.flatMap((item) => item.ipAddresses))].slice(0, 16);
  const facts: DraftWorkload['facts'] = {
    ...(os === undefined ? {} : { os: os.value }),
    ...(cores === undefined ? {} : { cores }),
    ...(memoryMb === undefined ? {} : { memoryMb }),
    ...(powerState === undefined ? {} : { powerState: powerState.value }),
    ...(ipAddresses.length === 0 ? {} : { ipAddresses }),
  };
  return {
    id,
    name: server.primary.name.slice(0, 200),
    kind: inference.kind,
    sizeGb: Math.round(sizeGb * 1000) / 1000,
    dataCategories: [],
    dependsOn: [...(targets?.keys() ?? [])].sort(compareIds),
    criticality: 'MEDIUM',
    ...(application === undefined ? {} : { application: application.value.slice(0, 200) }),
    ...(excluded === undefined ? {} : { excluded }),
    source: { file: at.file, ...(at.sheet === undefined ? {} : { sheet: at.sheet }), line: at.line ?? 1 },
    facts,
  };
}

function groupApplications(servers: readonly MergedServer[], exports: readonly ParsedExport[], report: ImportReportBuilder): DraftApplication[] {
  const byName = new Map<string, { name: string; workloadIds: string[] }>();
  for (const server of servers) {
    const application = [server.primary, ...server.others].map((item) => item.application).find((found) => found !== undefined);
    if (application === undefined) continue;
    const key = application.value.trim().toLowerCase();
    const group = byName.get(key) ?? { name: application.value, workloadIds: [] };
    group.workloadIds.push(server.id);
    byName.set(key, group);
    report.add('inferred', { ...application.at, code: 'APPLICATION_GROUP', workloadId: server.id, message: `${server.id} belongs to ${application.value}` });
  }
  if (byName.size === 0) {
    const inventories = exports.filter((parsed) => parsed.servers.length > 0);
    for (const parsed of inventories) {
      report.add('missing', {
        file: parsed.file,
        line: 1,
        code: 'NO_APPLICATION',
        message: 'no Application column (or vSphere custom attribute): servers are left ungrouped; tag them one by one or by filter',
      });
    }
  }
  return [...byName.values()]
    .map((group) => ({ name: group.name, workloadIds: group.workloadIds.sort(compareIds) }))
    .sort((left, right) => compareIds(left.name.toLowerCase(), right.name.toLowerCase()));
}

function formatGb(sizeGb: number): string {
  return `${Math.round(sizeGb * 10) / 10} GB`;
}

function abbreviateList(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).map((item) => JSON.stringify(item.length > 40 ? `${item.slice(0, 37)}...` : item));
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

