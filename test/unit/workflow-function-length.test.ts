import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A workflow must read top to bottom: no function in workflows/ longer than this. */
const MAX_FUNCTION_LINES = 120;
const WORKFLOWS = path.join(__dirname, '..', '..', 'workflows');

interface FunctionLength {
  file: string;
  name: string;
  line: number;
  lines: number;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  return '(anonymous)';
}

/** Every function, method, arrow function and constructor of a source text, with its length in lines. */
function functionLengths(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const declaration = node;
      const start = source.getLineAndCharacterOfPosition(declaration.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(declaration.getEnd()).line;
      found.push({ file: path.relative(path.join(WORKFLOWS, '..'), file), name: nameOf(declaration, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('workflow functions', () => {
  it(`are at most ${MAX_FUNCTION_LINES} lines long each`, () => {
    const files = sourceFiles(WORKFLOWS);
    expect(files.length).toBeGreaterThan(0);
    const tooLong = files
      .flatMap((file) => functionLengths(file, readFileSync(file, 'utf8')))
      .filter((entry) => entry.lines > MAX_FUNCTION_LINES)
      .map((entry) => `${entry.file}:${entry.line} ${entry.name} (${entry.lines} lines)`);
    expect(tooLong).toEqual([]);
  });

  it('measures nested and arrow functions, so that the check can fail', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, index) => `  const line${index} = ${index};`).join('\n');
    const lengths = functionLengths('sample.ts', `export async function outer() {\n  const inner = () => {\n${body}\n  };\n}\n`);
    expect(lengths.map(({ name, lines }) => ({ name, lines }))).toEqual([
      { name: 'outer', lines: MAX_FUNCTION_LINES + 4 },
      { name: 'inner', lines: MAX_FUNCTION_LINES + 2 },
    ]);
  });
});
