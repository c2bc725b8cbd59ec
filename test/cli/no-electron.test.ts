/**
 * Issue 7: the `eventfold` program is "built from core/ with no Electron dependency". This walks the real import
 * graph of the program (every static and dynamic import of bin/eventfold.mjs and of each module it reaches, as
 * TypeScript's own pre-processor sees them) and checks where it goes.
 * @module
 */
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './helpers.js';

interface Graph {
  /** Project files reached, relative to the repository root. */
  files: string[];
  /** Bare specifiers imported (packages and node builtins). */
  packages: string[];
}

/** The module a relative specifier names: TypeScript sources are imported with a `.js` suffix. */
function resolveRelative(from: string, spec: string): string {
  const target = resolve(dirname(from), spec);
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, join(target, 'index.ts')];
  const found = candidates.find((c) => existsSync(c) && !c.endsWith('/'));
  if (found === undefined) throw new Error(`cannot resolve ${spec} from ${relative(ROOT, from)}`);
  return found;
}

/** Every module reachable from `entry`. `import(new URL('<rel>', import.meta.url).href)` counts as a relative import. */
function importGraph(entry: string): Graph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    const specs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    for (const m of text.matchAll(/import\(\s*new URL\(\s*'(\.[^']+)'\s*,\s*import\.meta\.url\s*\)/g))
      specs.push(m[1]!);
    for (const spec of specs) {
      if (spec.startsWith('.')) queue.push(resolveRelative(file, spec));
      else packages.add(spec);
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)).sort(), packages: [...packages].sort() };
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
const packageName = (spec: string): string =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

describe('the eventfold program has no Electron dependency', () => {
  const graph = importGraph(BIN);

  it('reaches only core/ (cli, log, es, crm) and the bin, never the app shell', () => {
    expect(graph.files).toContain('core/cli/main.ts');
    expect(graph.files.length).toBeGreaterThan(20); // the walk really followed the commands
    for (const f of graph.files) expect(f).toMatch(/^(bin\/eventfold\.mjs|core\/(cli|log|es|crm)\/)/);
  });

  it('imports only Node builtins, tsx (to run the sources) and core’s runtime dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const builtins = new Set(builtinModules);
    // core's runtime dependencies (declared in "dependencies"): core/log's zstd and xxhash, core/crm's zod; and tsx,
    // which bin/eventfold.mjs registers.
    const runtime = ['@mongodb-js/zstd', 'xxhash-wasm', 'zod'];
    for (const dep of runtime) expect(Object.keys(pkg.dependencies)).toContain(dep);
    const allowed = new Set([...runtime, 'tsx']);
    const external = graph.packages.filter((s) => !s.startsWith('node:') && !builtins.has(s));
    for (const spec of external) expect(allowed, spec).toContain(packageName(spec));
    expect(external.map(packageName)).not.toContain('electron');
    expect(external.some((s) => /^(electron|react|react-dom)(\/|$)/.test(s))).toBe(false);
  });
});
