import { crc32 } from 'node:zlib';
import { readXlsxSheets, readWorkbookSheetNames } from '../../discovery/xlsx-table';
import { ProblemCollector } from '../../discovery/errors';
import { DISCOVERY_LIMITS } from '../../discovery/limits';

/** A zip archive of stored (uncompressed) entries, in exactly the order given. */
function storedZip(entries: Array<[string, string]>): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const checksum = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    directory.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}

const RELATIONSHIP_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const parts = {
  contentTypes: ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'],
  rootRels: ['_rels/.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONSHIP_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
  workbookRels: ['xl/_rels/workbook.xml.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="${RELATIONSHIP_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId8" Type="${RELATIONSHIP_NS}/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`],
  sharedStrings: ['xl/sharedStrings.xml', '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>VM</t></si></sst>'],
  sheet1: ['xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'],
  sheet2: ['xl/worksheets/sheet2.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'],
  workbook: ['xl/workbook.xml', `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${RELATIONSHIP_NS}"><sheets><sheet name="vInfo" sheetId="1" r:id="rId7"/><sheet name="R&amp;D &quot;lab&quot;" sheetId="2" r:id="rId8"/></sheets></workbook>`],
} satisfies Record<string, [string, string]>;

async function sheetNamesAsRead(content: Buffer): Promise<string[]> {
  const problems = new ProblemCollector(10);
  const names: string[] = [];
  for await (const sheet of readXlsxSheets('estate.xlsx', content, DISCOVERY_LIMITS, problems)) {
    names.push(sheet.name);
    // The reader streams: each sheet's rows are read before the next sheet.
    for await (const _row of sheet.rows) continue;
  }
  expect(() => problems.throwIfAny()).not.toThrow();
  return names;
}

describe('naming the worksheets of an xlsx workbook', () => {
  it('reads the sheet names from the workbook part, with their XML entities decoded', () => {
    const content = storedZip([parts.contentTypes, parts.rootRels, parts.workbook, parts.workbookRels, parts.sharedStrings, parts.sheet1, parts.sheet2]);
    expect([...readWorkbookSheetNames(content)]).toEqual([['1', 'vInfo'], ['2', 'R&D "lab"']]);
  });

  it('names every sheet when the archive stores the workbook part first', async () => {
    const content = storedZip([parts.contentTypes, parts.rootRels, parts.workbook, parts.workbookRels, parts.sharedStrings, parts.sheet1, parts.sheet2]);
    expect(await sheetNamesAsRead(content)).toEqual(['vInfo', 'R&D "lab"']);
  });

  it('names every sheet when the relationships name their targets by absolute path', async () => {
    const absoluteRels: [string, string] = [parts.workbookRels[0], parts.workbookRels[1].replace(/Target="worksheets\//g, 'Target="/xl/worksheets/')];
    const content = storedZip([parts.contentTypes, parts.rootRels, parts.workbook, absoluteRels, parts.sharedStrings, parts.sheet1, parts.sheet2]);
    expect(await sheetNamesAsRead(content)).toEqual(['vInfo', 'R&D "lab"']);
  });
});
