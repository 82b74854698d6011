// Bundles the generated parse API with esbuild and proves the bundle is self-contained.
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_PATH = fileURLToPath(new URL('./.out/generated.mjs', import.meta.url));

const OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: ['generated/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'silent',
};

function assertSelfContained(metafile, text, what) {
  const problems = [];
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.startsWith('generated/')) problems.push(`bundles code from outside generated/: ${input}`);
  }
  for (const [file, output] of Object.entries(metafile.outputs)) {
    for (const imp of output.imports)
      problems.push(`${file} imports "${imp.path}" (${imp.kind}${imp.external ? ', external' : ''})`);
  }
  // Belt and braces: no import/require left in the text either.
  const stmt =
    text.match(/^\s*import\s*(?:["']|[\w*{][^;]*?\bfrom\s*["'])/m) ??
    text.match(/^\s*export\s[^;]*?\bfrom\s*["']/m) ??
    text.match(/\brequire\s*\(\s*["'][^"']+["']\s*\)/) ??
    text.match(/\bimport\s*\(\s*["'][^"']+["']\s*\)/);
  if (stmt) problems.push(`${what} contains a module import: ${stmt[0].trim().slice(0, 120)}`);
  if (problems.length > 0) {
    throw new Error(
      `The ${what} is not self-contained (the generated API must have no run-time dependencies):\n  ${problems.join('\n  ')}`,
    );
  }
}

export async function buildBundle() {
  const t0 = performance.now();
  const result = await esbuild.build({ ...OPTIONS, outfile: BUNDLE_PATH });
  const buildMs = performance.now() - t0;
  const text = readFileSync(BUNDLE_PATH, 'utf8');
  assertSelfContained(result.metafile, text, 'bundle');
  // For information: the same bundle minified (what a Lambda deployment would usually ship).
  const min = await esbuild.build({ ...OPTIONS, minify: true, write: false, outfile: BUNDLE_PATH });
  const minText = min.outputFiles[0].text;
  assertSelfContained(min.metafile, minText, 'minified bundle');
  return {
    path: BUNDLE_PATH,
    buildMs,
    bytes: Buffer.byteLength(text),
    gzipBytes: gzipSync(text, { level: 9 }).length,
    minBytes: Buffer.byteLength(minText),
    minGzipBytes: gzipSync(minText, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs),
  };
}
