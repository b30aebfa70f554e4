/**
 * Which kind of workload a server is, from what the exports show. The heuristics, in order
 * (the first that matches decides):
 *
 * 1. it accepts connections on a database port (1433 SQL Server, 1521 Oracle, 3306 MySQL and
 *    MariaDB, 5432 PostgreSQL, 27017 MongoDB, 50000 Db2, 6379 Redis, 9042 Cassandra) or a
 *    database process answers them (sqlservr, oracle, tnslsnr, mysqld, mariadbd, postgres,
 *    mongod, db2sysc, redis-server) → `database`;
 * 2. it accepts connections on a web or application-server port (80, 443, 8080, 8443, 8009)
 *    or such a process answers them (w3wp, httpd, nginx, apache, tomcat, java, node, dotnet,
 *    php-fpm, jboss, weblogic) → `app`;
 * 3. its name says database (`sql`, `db`, `ora`, `pg`, `mysql`, `maria`, `mongo` as a word of
 *    the name) → `database`; its name says application (`app`, `web`, `www`, `iis`, `api`,
 *    `front`) → `app`;
 * 4. otherwise `vm`.
 *
 * Ports and processes come first because they are observed, names only chosen. The report
 * names the evidence of every `database` and `app`.
 */
import type { Located } from './records';

/** The kinds discovery can infer; `storage`, `m365`, `kubernetes` and `ot` are the questionnaire's to set. */
export type InferredKind = 'database' | 'app' | 'vm';

const DATABASE_PORTS = new Map<number, string>([
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [3306, 'MySQL/MariaDB'],
  [5432, 'PostgreSQL'],
  [27017, 'MongoDB'],
  [50000, 'Db2'],
  [6379, 'Redis'],
  [9042, 'Cassandra'],
]);
const APP_PORTS = new Map<number, string>([
  [80, 'HTTP'],
  [443, 'HTTPS'],
  [8080, 'HTTP (application server)'],
  [8443, 'HTTPS (application server)'],
  [8009, 'AJP (Tomcat)'],
]);
const DATABASE_PROCESS = /^(sqlservr|oracle|tnslsnr|mysqld|mariadbd|postgres|postmaster|mongod|db2sysc|redis-server)(\.exe)?$/i;
const APP_PROCESS = /^(w3wp|httpd|nginx|apache2?|tomcat\d*|java|javaw|node|dotnet|php-fpm|jboss|weblogic)(\.exe)?$/i;
const DATABASE_NAME = /(^|[^a-z])(sql|db|ora|pg|mysql|maria|mongo)([^a-z]|$)/i;
const APP_NAME = /(^|[^a-z])(app|web|www|iis|api|front)([^a-z]|$)/i;

/** What a server was seen accepting: a port and, when known, the process that answered. */
export interface ListeningEvidence {
  port?: Located<number>;
  process?: Located<string>;
}

/** The kind inferred and the evidence, for the report. */
export interface KindInference {
  kind: InferredKind;
  because: string;
  evidence?: Located<unknown>;
}

/** Infers a server's kind from what it listens on and its name (see the module's comment). */
export function inferWorkloadKind(name: string, listening: readonly ListeningEvidence[]): KindInference {
  for (const [kind, ports, processes] of [
    ['database', DATABASE_PORTS, DATABASE_PROCESS],
    ['app', APP_PORTS, APP_PROCESS],
  ] as const) {
    for (const seen of listening) {
      const processName = seen.process === undefined ? undefined : processBaseName(seen.process.value);
      if (seen.process !== undefined && processName !== undefined && processes.test(processName)) {
        return { kind, because: `process ${processName} accepts connections${seen.port === undefined ? '' : ` on port ${seen.port.value}`}`, evidence: seen.process };
      }
      const service = seen.port === undefined ? undefined : ports.get(seen.port.value);
      if (seen.port !== undefined && service !== undefined) {
        return { kind, because: `accepts connections on port ${seen.port.value} (${service})`, evidence: seen.port };
      }
    }
  }
  const shortName = name.split('.')[0] ?? name;
  if (DATABASE_NAME.test(shortName)) return { kind: 'database', because: `its name ${JSON.stringify(name)} says database` };
  if (APP_NAME.test(shortName)) return { kind: 'app', because: `its name ${JSON.stringify(name)} says application` };
  return { kind: 'vm', because: 'no port, process or name says more' };
}

/** `C:\Program Files\…\sqlservr.exe` → `sqlservr.exe`. */
function processBaseName(process: string): string {
  const parts = process.split(/[\\/]/);
  return (parts[parts.length - 1] ?? process).trim();
}
