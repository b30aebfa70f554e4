/**
 * The layering of DESIGN.md ("Layout"), checked on the imports of every source file: each
 * top-level folder may import the folders below it in {@link LAYERS}, never those above, and
 * a few folders are held to stricter rules. Pure over a list of files, so that a test can feed
 * it a synthetic bad import and see it fail.
 */
import { builtinModules } from 'node:module';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The top-level folders from the top of the stack to its bottom (DESIGN.md, "Layout"). */
export const LAYERS = [
  'bench',
  'scripts',
  'cli',
  'dashboard',
  'api',
  'use-cases',
  'client',
  'worker',
  'workflows',
  'activities',
  'sim-cloud',
  'provider',
  'discovery',
  'config',
  'codec',
  'domain',
] as const;
export type Layer = (typeof LAYERS)[number];

/** One import of a file: its specifier as written, and whether only types come through it. */
export interface ImportEdge {
  specifier: string;
  typeOnly: boolean;
}

/** A source file by its path from the project's root, with its imports. */
export interface SourceFile {
  path: string;
  imports: ImportEdge[];
}

/** One import that breaks the layering, and the rule it breaks. */
export interface BoundaryViolation {
  file: string;
  specifier: string;
  rule: string;
}

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] ?? '');
}

/** `@scope/name` or `name`, without a subpath. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function layerOf(file: string): Layer | undefined {
  const top = file.split('/')[0];
  return LAYERS.find((layer) => layer === top);
}

/** The strict rules on top of the layering, each with what it allows and why. */
interface LayerPolicy {
  /** npm packages it may import; any when absent. */
  packages?: readonly string[];
  /** Packages it may import for their types only. */
  typeOnlyPackages?: readonly string[];
  /** Folders (below it) it may import; every folder below it when absent. */
  folders?: readonly Layer[];
  /** Folders it may import for their types only. */
  typeOnlyFolders?: readonly Layer[];
  /** Folders below it that it must not import all the same. */
  forbiddenFolders?: readonly Layer[];
  nodeBuiltins: boolean;
  why: string;
}

const POLICIES: Partial<Record<Layer, LayerPolicy>> = {
  domain: { packages: ['zod'], folders: ['domain'], nodeBuiltins: false, why: 'domain/ is pure: it imports only zod and itself' },
  workflows: {
    // @temporalio/common is the SDK's deterministic core, which @temporalio/workflow re-exports in part.
    packages: ['@temporalio/workflow', '@temporalio/common'],
    folders: ['workflows', 'domain'],
    typeOnlyFolders: ['activities'],
    nodeBuiltins: false,
    why: 'workflows/ is deterministic: @temporalio/workflow, domain/, workflows/, and activities/ for their types only',
  },
  api: { forbiddenFolders: ['client'], nodeBuiltins: true, why: 'api/ serves clients and imports none of them' },
  client: { nodeBuiltins: false, why: 'client/ runs in the browser too (the dashboard bundles it)' },
  dashboard: { nodeBuiltins: false, why: 'dashboard/ runs in the browser' },
};

/** Every import of `files` that breaks the layering or a folder's own rule. */
export function findBoundaryViolations(files: readonly SourceFile[]): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer) continue;
    const policy = POLICIES[layer];
    for (const edge of file.imports) {
      const report = (rule: string) => violations.push({ file: file.path, specifier: edge.specifier, rule });
      if (edge.specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.path), edge.specifier));
        const targetLayer = layerOf(target);
        if (targetLayer === layer) continue;
        if (!targetLayer) {
          // Development tools (benchmarks, the recorder of test histories) may reuse test support.
          if ((layer === 'bench' || layer === 'scripts') && target.startsWith('test/')) continue;
          report(`${layer}/ imports ${target}, outside the layered folders`);
          continue;
        }
        if (LAYERS.indexOf(targetLayer) < LAYERS.indexOf(layer)) {
          report(`imports run downward only: ${layer}/ may not import ${targetLayer}/, which sits above it`);
          continue;
        }
        if (policy?.forbiddenFolders?.includes(targetLayer)) {
          report(`${policy.why}: not ${targetLayer}/`);
          continue;
        }
        const allowed = policy?.folders === undefined || policy.folders.includes(targetLayer) || (edge.typeOnly && policy.typeOnlyFolders?.includes(targetLayer));
        if (!allowed) report(`${policy?.why ?? layer}: not ${targetLayer}/${edge.typeOnly ? '' : ' (except with `import type` where allowed)'}`);
        continue;
      }
      if (isNodeBuiltin(edge.specifier)) {
        if (policy && !policy.nodeBuiltins) report(`${policy.why}: no Node built-in such as ${edge.specifier}`);
        continue;
      }
      const name = packageName(edge.specifier);
      const allowed = policy?.packages === undefined || policy.packages.includes(name) || (edge.typeOnly && policy.typeOnlyPackages?.includes(name));
      if (!allowed) report(`${policy?.why ?? layer}: not the package ${name}`);
    }
  }
  return violations;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs x.
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/** The imports of one file's text: static imports, re-exports, `import()` and `require()`. */
export function importsOf(fileName: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      edges.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      edges.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) edges.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      edges.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Every TypeScript file of the layered folders under `root`, with its imports. */
export async function readSourceFiles(root: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await fs.readdir(path.join(root, folder), { withFileTypes: true })) {
      const relative = path.posix.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') await walk(relative);
      } else if (/\.(ts|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push({ path: relative, imports: importsOf(relative, await fs.readFile(path.join(root, relative), 'utf8')) });
      }
    }
  };
  for (const layer of LAYERS) {
    const exists = await fs.stat(path.join(root, layer)).then((stat) => stat.isDirectory(), () => false);
    if (exists) await walk(layer);
  }
  return files;
}
