// `npm run build` step: bundles the CLI (src/cli/main.ts) with esbuild into dist/cli-bundle/, which
// bin/helm-triage.js runs. Loading the ~30 compiled modules of `diagnose FILE` one by one (resolve, read,
// compile, link each) cost more than the diagnosis; bundled, a start reads a handful of files.
//
// - Code splitting keeps every import() lazy: what a command loads on use (the checks, the queue, the YAML
//   loader) becomes its own chunk, and each source module lives in exactly one file, so classes such as
//   HelmTriageError stay one class wherever they are thrown.
// - Packages stay external (resolved from node_modules as before; their static imports would otherwise be
//   hoisted into the start-up path), except commander, which every start loads anyway.
// - The chunks sit one folder below dist/, where dist/cli/*.js sit, so paths built from import.meta.url
//   (the playbook snapshot, the bundled playbooks folder) resolve alike in both.
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');
export const BUNDLE_DIR = join(ROOT, 'dist', 'cli-bundle');

interface PackageJson { dependencies?: Record<string, string> }

/** Per output file (relative to the working directory, as esbuild names them), what it imports and how. */
export type BundleImports = Record<string, Array<{ path: string; kind: string; external: boolean }>>;

/** Writes the bundle into `outdir` (emptied first; tests bundle into a temporary folder); returns its import graph. */
export async function bundleCli(outdir = BUNDLE_DIR): Promise<BundleImports> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const external = Object.keys(pkg.dependencies ?? {})
    .filter((name) => name !== 'commander')
    .flatMap((name) => [name, `${name}/*`]);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    metafile: true,
    entryPoints: { main: join(ROOT, 'src', 'cli', 'main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    // commander is CommonJS: its require() of node: built-ins needs a real require in an ES module.
    banner: { js: "import { createRequire as __htCreateRequire } from 'node:module';\nconst require = __htCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    absWorkingDir: ROOT,
    legalComments: 'none',
    minifyWhitespace: process.env.HT_BUNDLE_READABLE === undefined,
    minifySyntax: process.env.HT_BUNDLE_READABLE === undefined,
    sourcemap: 'linked', // read only under node --enable-source-maps
  });
  const out: BundleImports = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    out[file] = meta.imports.map((i) => ({ path: i.path, kind: i.kind, external: i.external === true }));
  }
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleCli();
  console.log(`cli: bundled into ${BUNDLE_DIR}`);
}
