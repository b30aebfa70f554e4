import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { z } from 'zod';
import * as domain from '../../domain';
import { builtSchema, PlanSchema, validatePlan } from '../../domain';
import { planInput, workload } from './support/plans';

const DOMAIN_DIR = path.resolve(__dirname, '../../domain');

/** The root identifier of a call chain such as `z.string().max(4)` or `StepViewSchema.pick({…})`. */
function rootOf(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) {
    current = current.expression;
  }
  return current;
}

function isLazyCall(node: ts.CallExpression): boolean {
  const callee = node.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'z' && callee.name.text === 'lazy';
}

/** The calls that build a schema when `file` loads: any call on `z` or to `builtSchema` outside a function body or a `z.lazy`. */
function schemaBuiltAtLoad(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node) || ts.isTypeNode(node) || ts.isImportDeclaration(node)) return;
    if (ts.isCallExpression(node)) {
      if (isLazyCall(node)) return;
      const root = rootOf(node.expression);
      if (ts.isIdentifier(root) && (root.text === 'z' || root.text === 'builtSchema')) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${path.basename(file)}:${line + 1}: ${node.getText(source).split('\n')[0]}`);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the domain builds its schemas on first use', () => {
  it('declares every schema of domain/ as z.lazy, so that loading a module builds none', () => {
    const files = readdirSync(DOMAIN_DIR).filter((name) => name.endsWith('.ts')).map((name) => path.join(DOMAIN_DIR, name));
    const withZod = files.filter((file) => readFileSync(file, 'utf8').includes("from 'zod'"));
    expect(withZod.length).toBeGreaterThan(10);
    expect(files.flatMap(schemaBuiltAtLoad)).toEqual([]);
  });

  it('finds a schema built at load in a module written the old way', () => {
    const file = path.join(tmpdir(), `eager-${process.pid}.ts`);
    writeFileSync(file, "import { z } from 'zod';\nexport const A = z.lazy(() => z.string());\nexport const B = z.strictObject({ a: A });\nexport const C = { x: z.number() };\nexport function d() { return z.boolean(); }\n");
    try {
      expect(schemaBuiltAtLoad(file).map((line) => line.replace(/^[^:]+:/, ''))).toEqual(['3: z.strictObject({ a: A })', '4: z.number()']);
    } finally {
      rmSync(file);
    }
  });

  it('exports only lazy schemas, none of them built by importing the domain', () => {
    const schemas = (Object.entries(domain) as [string, unknown][]).filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType);
    expect(schemas.length).toBeGreaterThan(80);
    const notLazy = schemas.filter(([, schema]) => !(schema instanceof z.ZodLazy)).map(([name]) => name);
    expect(notLazy).toEqual([]);
    const built = schemas.filter(([, schema]) => '_cachedInner' in schema._zod.def).map(([name]) => name);
    expect(built).toEqual([]);
  });

  it('parses through a lazy schema like the built one, building it once', () => {
    const input = planInput([workload('web'), workload('db')], 'STATE');
    expect(validatePlan(input).ok).toBe(true);
    const first = builtSchema(PlanSchema);
    expect(first).toBeInstanceOf(z.ZodObject);
    expect(builtSchema(PlanSchema)).toBe(first);
    expect(first.safeParse(input).success).toBe(true);
    expect(PlanSchema.safeParse({ ...input, customer: undefined }).success).toBe(false);
  });
});
