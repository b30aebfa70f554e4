import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DiscoveryImportError, type ImportProblem } from '../../discovery';
import { ProblemCollector } from '../../discovery/errors';
import { DISCOVERY_LIMITS, type DiscoveryLimits } from '../../discovery/limits';
import { readWorkbookSheets, readXlsxSheets } from '../../discovery/xlsx-table';
import { hospitalEstate, writeRvtoolsWorkbook } from '../../scripts/lib/discovery-exports';
import { temporaryDirectory } from './support/imports';
import { type TestZipEntry, zipArchive } from './support/zip';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIP_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

type Parts = Record<'contentTypes' | 'workbookRels' | 'workbook' | 'sharedStrings' | 'sheet1', TestZipEntry> & Record<string, TestZipEntry>;

/** The parts of a workbook whose sheets hold the given `<sheetData>` bodies, named as given. */
function workbookParts(sheets: Array<{ name: string; rows: string }>, sharedStrings: string[] = []): Parts {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const parts: Record<string, TestZipEntry> = {
    contentTypes: { name: '[Content_Types].xml', text: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    workbookRels: {
      name: 'xl/_rels/workbook.xml.rels',
      text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
        .map((_, index) => `<Relationship Id="rId${index + 7}" Type="${RELATIONSHIP_NS}/worksheet" Target="worksheets/sheet${index + 1}.xml"/>`)
        .join('')}<Relationship Id="rId99" Type="${RELATIONSHIP_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    workbook: {
      name: 'xl/workbook.xml',
      text: `<?xml version="1.0"?><workbook xmlns="${MAIN_NS}" xmlns:r="${RELATIONSHIP_NS}"><sheets>${sheets
        .map((sheet, index) => `<sheet name="${escape(sheet.name)}" sheetId="${index + 1}" r:id="rId${index + 7}"/>`)
        .join('')}</sheets></workbook>`,
    },
    sharedStrings: { name: 'xl/sharedStrings.xml', text: `<?xml version="1.0"?><sst xmlns="${MAIN_NS}">${sharedStrings.map((text) => `<si><t>${escape(text)}</t></si>`).join('')}</sst>` },
  };
  sheets.forEach((sheet, index) => {
    parts[`sheet${index + 1}`] = { name: `xl/worksheets/sheet${index + 1}.xml`, text: `<?xml version="1.0"?><worksheet xmlns="${MAIN_NS}"><sheetData>${sheet.rows}</sheetData></worksheet>` };
  });
  return parts as Parts;
}

type SheetsRead = Array<{ name: string; rows: Array<[number, string[]]> }>;

/** Every sheet and its rows' texts (a formula as `=`), and the problems the read added. */
async function readAll(content: Buffer, limits: DiscoveryLimits = DISCOVERY_LIMITS): Promise<{ sheets: SheetsRead; problems: readonly ImportProblem[] }> {
  const problems = new ProblemCollector(10);
  const sheets: SheetsRead = [];
  for await (const sheet of readXlsxSheets('estate.xlsx', content, limits, problems)) {
    const rows: Array<[number, string[]]> = [];
    for await (const row of sheet.rows) rows.push([row.line, row.cells.map((cell) => (cell.formula ? '=' : cell.text))]);
    sheets.push({ name: sheet.name, rows });
  }
  return { sheets, problems: problemsOf(problems) };
}

function problemsOf(problems: ProblemCollector): readonly ImportProblem[] {
  try {
    problems.throwIfAny();
    return [];
  } catch (error) {
    if (error instanceof DiscoveryImportError) return error.problems;
    throw error;
  }
}

describe('naming the worksheets of an xlsx workbook', () => {
  const parts = workbookParts(
    [
      { name: 'vInfo', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' },
      { name: 'R&D "lab"', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' },
    ],
    ['VM'],
  );

  it('reads the sheet names from the workbook part, with their XML entities decoded, in tab order', async () => {
    const content = zipArchive([parts.contentTypes, parts.sheet2!, parts.sheet1, parts.workbook, parts.workbookRels, parts.sharedStrings]);
    expect(await readWorkbookSheets(content)).toEqual([
      { name: 'vInfo', part: 'xl/worksheets/sheet1.xml' },
      { name: 'R&D "lab"', part: 'xl/worksheets/sheet2.xml' },
    ]);
    expect((await readAll(content)).sheets.map((sheet) => sheet.name)).toEqual(['vInfo', 'R&D "lab"']);
  });

  it('finds the sheets when the relationships name their targets by absolute path', async () => {
    const absolute = { ...parts.workbookRels, text: parts.workbookRels.text.replace(/Target="worksheets\//g, 'Target="/xl/worksheets/') };
    const { sheets, problems } = await readAll(zipArchive([parts.contentTypes, parts.workbook, absolute, parts.sharedStrings, parts.sheet1, parts.sheet2!]));
    expect(problems).toEqual([]);
    expect(sheets).toEqual([
      { name: 'vInfo', rows: [[1, ['VM']]] },
      { name: 'R&D "lab"', rows: [[1, ['VM']]] },
    ]);
  });
});

describe('reading the rows of an xlsx workbook', () => {
  it('reads sheets stored before their shared strings and their workbook part, deflated or stored', async () => {
    const parts = workbookParts(
      [{ name: 'vInfo', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>4</v></c></row>' }],
      ['VM', 'CPUs', 'srv-dpi'],
    );
    const expected = { sheets: [{ name: 'vInfo', rows: [[1, ['VM', 'CPUs']], [2, ['srv-dpi', '4']]] }], problems: [] };
    // The order exceljs' writer uses, which sent exceljs' own reader through temporary files.
    const order = [parts.sheet1, parts.sharedStrings, parts.workbookRels, parts.workbook];
    expect(await readAll(zipArchive(order))).toEqual(expected);
    expect(await readAll(zipArchive(order.map((entry) => ({ ...entry, stored: true }))))).toEqual(expected);
  });

  it('reads every kind of cell as Excel shows it, placed by its reference', async () => {
    const rows = [
      '<row r="3" spans="1:9">',
      '<c r="A3" t="s"><v>0</v></c>',
      '<c r="C3" t="inlineStr"><is><r><t xml:space="preserve">rich </t></r><r><t>text</t></r><rPh><t>ﾙﾋﾞ</t></rPh></is></c>',
      '<c r="D3" t="b"><v>1</v></c><c r="E3" t="b"><v>0</v></c>',
      '<c r="F3" t="e"><v>#N/A</v></c>',
      '<c r="G3"><v>1.5E3</v></c>',
      '<c r="H3"><f>1+1</f><v>2</v></c>',
      '<c r="I3" t="str"><v><![CDATA[a < b]]></v></c>',
      '<c r="J3" s="4"/>',
      '</row>',
      '<row><c t="s"><v>1</v></c><c><v>7</v></c></row>',
      '<row r="9"/>',
    ].join('');
    const parts = workbookParts([{ name: 'vInfo', rows }], ['a & b', 'next']);
    expect(await readAll(zipArchive(Object.values(parts)))).toEqual({
      sheets: [
        {
          name: 'vInfo',
          rows: [
            [3, ['a & b', '', 'rich text', 'true', 'false', '#N/A', '1500', '=', 'a < b']],
            [4, ['next', '7']],
            [9, []],
          ],
        },
      ],
      problems: [],
    });
  });

  it('keeps the rows of a workbook written by exceljs, with a sheet skipped unread, over 40 reads at once', async () => {
    const { directory, remove } = await temporaryDirectory();
    try {
      const file = path.join(directory, 'chu-rvtools.xlsx');
      await writeRvtoolsWorkbook(file, hospitalEstate());
      const content = await readFile(file);
      const readSkippingHosts = async () => {
        const problems = new ProblemCollector(10);
        const headers: string[] = [];
        for await (const sheet of readXlsxSheets('chu-rvtools.xlsx', content, DISCOVERY_LIMITS, problems)) {
          if (sheet.name === 'vHost') continue;
          for await (const row of sheet.rows) if (row.line === 1) headers.push(`${sheet.name}:${row.cells[0]?.text}`);
        }
        return JSON.stringify({ headers, problems: problemsOf(problems) });
      };
      const reads = await Promise.all(Array.from({ length: 40 }, readSkippingHosts));
      expect(new Set(reads)).toEqual(new Set([JSON.stringify({ headers: ['vInfo:VM', 'vDisk:VM', 'vNetwork:VM'], problems: [] })]));
    } finally {
      await remove();
    }
  });
});

describe('refusing an xlsx workbook it cannot read, with the reason', () => {
  const valid = workbookParts([{ name: 'vInfo', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }], ['VM']);
  const unreadable = (message: string) => ({ sheets: [], problems: [{ file: 'estate.xlsx', message }] });

  it('names a row wider than the bound, and counts only the cells that hold something', async () => {
    const rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="XFD1" s="2"/></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="F2"><v>1</v></c></row>';
    const parts = workbookParts([{ name: 'vInfo', rows }], ['VM']);
    expect(await readAll(zipArchive(Object.values(parts)), { ...DISCOVERY_LIMITS, maxColumns: 5 })).toEqual({
      sheets: [{ name: 'vInfo', rows: [[1, ['VM']]] }],
      problems: [{ file: 'estate.xlsx', sheet: 'vInfo', line: 2, message: 'holds 6 columns; a row may hold at most 5' }],
    });
  });

  it('refuses a sheet that is not well-formed XML, or that declares an entity, without expanding it', async () => {
    const broken = { ...valid.sheet1, text: '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>' };
    const { problems } = await readAll(zipArchive([valid.workbook, valid.workbookRels, valid.sharedStrings, broken]));
    expect(problems).toEqual([
      { file: 'estate.xlsx', sheet: 'vInfo', message: expect.stringMatching(/^is not a readable xlsx workbook: its part "xl\/worksheets\/sheet1\.xml" is not well-formed XML \(/) as unknown },
    ]);
    const entity = { ...valid.sharedStrings, text: '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY secret SYSTEM "file:///etc/passwd">]><sst><si><t>&secret;</t></si></sst>' };
    const refused = await readAll(zipArchive([valid.workbook, valid.workbookRels, entity, valid.sheet1]));
    expect(refused.sheets).toEqual([]);
    expect(refused.problems[0]?.message).toMatch(/^is not a readable xlsx workbook: its part "xl\/sharedStrings\.xml" is not well-formed XML \(.*undefined entity/);
  });

  it('refuses an archive without its workbook part, or whose sheet is not in it', async () => {
    expect(await readAll(zipArchive([valid.workbookRels, valid.sharedStrings, valid.sheet1]))).toEqual(unreadable('is not a readable xlsx workbook: the archive holds no xl/workbook.xml'));
    expect(await readAll(zipArchive([valid.workbook, valid.workbookRels, valid.sharedStrings]))).toEqual(
      unreadable('is not a readable xlsx workbook: its sheet "vInfo" is stored in "xl/worksheets/sheet1.xml", which the archive does not hold'),
    );
  });

  it('refuses a part packed with another method, or that unpacks past what its directory declares', async () => {
    expect(await readAll(zipArchive([valid.workbook, { ...valid.workbookRels, method: 12 }, valid.sharedStrings, valid.sheet1]))).toEqual(
      unreadable('is not a readable xlsx workbook: its part "xl/_rels/workbook.xml.rels" cannot be read: it is packed with method 12, which the import does not read (xlsx parts are stored or deflated)'),
    );
    const bomb = { ...valid.sharedStrings, text: `<sst><si><t>${'A'.repeat(200_000)}</t></si></sst>`, declaredSize: 100 };
    expect(await readAll(zipArchive([valid.workbook, valid.workbookRels, bomb, valid.sheet1]))).toEqual(
      unreadable('is not a readable xlsx workbook: its part "xl/sharedStrings.xml" cannot be read: it unpacks to more than its directory declares'),
    );
  });

  it('refuses more shared strings, or more of their characters, than it holds while it reads', async () => {
    const content = zipArchive(Object.values(workbookParts([{ name: 'vInfo', rows: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }], ['VM', 'Powerstate', 'CPUs'])));
    expect(await readAll(content, { ...DISCOVERY_LIMITS, maxSharedStrings: 2 })).toEqual(unreadable('holds more than 2 shared strings, more than the import holds while it reads; split the export'));
    expect(await readAll(content, { ...DISCOVERY_LIMITS, maxSharedStringChars: 10 })).toEqual(
      unreadable('its shared strings hold more than 10 characters, more than the import holds while it reads; split the export'),
    );
    expect(await readAll(content, { ...DISCOVERY_LIMITS, maxSharedStrings: 3, maxSharedStringChars: 16 })).toEqual({ sheets: [{ name: 'vInfo', rows: [[1, ['VM']]] }], problems: [] });
  });

  it('refuses a cell longer than Excel allows', async () => {
    const long = workbookParts([{ name: 'vInfo', rows: `<row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(40_000)}</t></is></c></row>` }]);
    expect(await readAll(zipArchive(Object.values(long)))).toEqual({
      sheets: [{ name: 'vInfo', rows: [] }],
      problems: [{ file: 'estate.xlsx', sheet: 'vInfo', line: 1, message: 'holds a cell of more than 32767 characters, more than Excel allows in a cell' }],
    });
  });
});
