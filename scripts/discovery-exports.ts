/**
 * Writes discovery exports of a synthetic estate (Azure Migrate CSV, RVTools xlsx, Azure
 * Migrate dependency CSV) into a directory, to try `passerelle plan import` without a
 * customer's files:
 *
 *   npm run -s discovery:exports -- DIRECTORY            the hospital group (11 VMs)
 *   npm run -s discovery:exports -- DIRECTORY 20000      20,000 servers, 20,000 connection rows
 */
import { hospitalEstate, largeEstate, writeEstateExports } from './lib/discovery-exports';

async function main(args: string[]): Promise<void> {
  const [directory, count] = args;
  if (directory === undefined || (count !== undefined && !/^[1-9]\d{0,5}$/.test(count))) {
    process.stderr.write('usage: npm run -s discovery:exports -- DIRECTORY [SERVERS]\n');
    process.exit(2);
  }
  const servers = count === undefined ? undefined : Number(count);
  const files = await writeEstateExports(directory, servers === undefined ? hospitalEstate() : largeEstate(servers), {
    prefix: servers === undefined ? 'chu' : `estate-${servers}`,
    ...(servers === undefined ? {} : { dependencyRows: servers }),
  });
  process.stdout.write(`${Object.values(files).join('\n')}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
