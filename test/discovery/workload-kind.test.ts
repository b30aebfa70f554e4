import { inferWorkloadKind } from '../../discovery';

const at = { file: 'flows.csv', line: 2 };

describe('inferring a workload kind', () => {
  it('calls a server that answers on a database port a database, whatever its name', () => {
    expect(inferWorkloadKind('srv-web01', [{ port: { value: 5432, at } }])).toMatchObject({ kind: 'database', because: 'accepts connections on port 5432 (PostgreSQL)' });
  });

  it('trusts the process over the port', () => {
    expect(inferWorkloadKind('srv-01', [{ port: { value: 4100, at }, process: { value: 'C:\\Program Files\\MSSQL\\sqlservr.exe', at } }])).toMatchObject({
      kind: 'database',
      because: 'process sqlservr.exe accepts connections on port 4100',
    });
  });

  it('prefers database evidence to web evidence on the same server', () => {
    expect(inferWorkloadKind('srv-01', [{ port: { value: 443, at } }, { port: { value: 1521, at } }]).kind).toBe('database');
  });

  it('falls back on the name, word by word', () => {
    expect(inferWorkloadKind('SRV-PAIE-DB01', []).kind).toBe('database');
    expect(inferWorkloadKind('srv-paie-db', []).kind).toBe('database');
    expect(inferWorkloadKind('intranet-web.chu.local', []).kind).toBe('app');
    expect(inferWorkloadKind('dbx-backup', []).kind).toBe('vm');
  });

  it('calls anything else a vm', () => {
    expect(inferWorkloadKind('srv-ad01', [{ port: { value: 389, at } }])).toEqual({ kind: 'vm', because: 'no port, process or name says more' });
  });
});
