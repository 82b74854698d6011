/** Bundles a generated directory with esbuild (as users' Lambdas are bundled) and imports it. */
import { build } from 'esbuild';
import * as path from 'node:path';

export interface BundleResult {
  readonly code: string;
  /** Every input file esbuild read, relative to the working directory. */
  readonly inputs: readonly string[];
}

export async function bundleGenerated(dir: string, platform: 'neutral' | 'node' = 'neutral'): Promise<BundleResult> {
  const result = await build({
    entryPoints: [path.join(dir, 'index.ts')],
    bundle: true,
    format: 'esm',
    platform,
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) };
}

/** Imports a generated directory's API (any shape: it depends on the schema it came from). */
export async function importGenerated(dir: string): Promise<Record<string, any>> {
  const { code } = await bundleGenerated(dir);
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
