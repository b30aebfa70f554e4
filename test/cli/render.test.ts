import { createStyle, displayWidth, eraseLines, progressBar, renderTable } from '../../cli/render';

describe('renderTable', () => {
  it('aligns columns under upper-case headers, two spaces apart, without trailing spaces', () => {
    const table = renderTable(
      [
        { header: 'workload', value: (row: { id: string; size: number }) => row.id },
        { header: 'size', value: (row) => String(row.size), align: 'right' },
      ],
      [
        { id: 'dpi', size: 2400 },
        { id: 'pacs', size: 45000 },
      ],
    );
    expect(table).toBe(['WORKLOAD   SIZE', 'dpi        2400', 'pacs      45000'].join('\n'));
  });

  it('cuts long cells with an ellipsis and keeps one row on one line', () => {
    const table = renderTable([{ header: 'note', value: (row: string) => row, maxWidth: 8 }], ['industrial control', 'two\nlines']);
    expect(table.split('\n')).toEqual(['NOTE', 'industr…', 'two lin…']);
  });

  it('measures accented text by characters and ignores colour codes', () => {
    const style = createStyle(true);
    expect(displayWidth(style.red('Rhône'))).toBe(5);
    const table = renderTable([{ header: 'a', value: (row: string) => row }, { header: 'b', value: () => 'x' }], [style.green('Rhône'), 'ab']);
    expect(table.split('\n').map(displayWidth)).toEqual([8, 8, 8]);
  });
});

describe('progressBar', () => {
  it('fills in proportion to the percentage', () => {
    expect(progressBar(0, 10)).toBe('░░░░░░░░░░');
    expect(progressBar(50, 10)).toBe('█████░░░░░');
    expect(progressBar(100, 10)).toBe('██████████');
  });

  it('clamps what is out of range or not a number', () => {
    expect(progressBar(180, 4)).toBe('████');
    expect(progressBar(-3, 4)).toBe('░░░░');
    expect(progressBar(Number.NaN, 4)).toBe('░░░░');
  });
});

describe('createStyle', () => {
  it('colours only when enabled', () => {
    expect(createStyle(false).red('x')).toBe('x');
    expect(createStyle(true).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('eraseLines', () => {
  it('moves up over what was drawn and clears it, or does nothing the first time', () => {
    expect(eraseLines(0)).toBe('');
    expect(eraseLines(3)).toBe('\x1b[3F\x1b[J');
  });
});
