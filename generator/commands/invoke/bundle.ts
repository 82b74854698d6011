/**
 * Bundles a handler the way it is deployed (issue 12: `invoke`, `replay`): esbuild, ESM,
 * Node.js 20 target, packages' `module` entry before `main`, the handler's own
 * tsconfig.json (esbuild reads the nearest one),
 * `@aws-sdk/*` left external as the Lambda runtime provides it, and the `require` shim
 * CDK's NodejsFunction documents for ESM output. The bundle is written inside the project
 * (node_modules/.cache/msk-codegen/invoke/, so what stays external resolves from the
 * project's node_modules as the runtime would find it), never beside the user's files.
 *
 * A handler esbuild cannot bundle is a CodegenError (E_BUNDLE) at its file:line:column; an
 * export the bundle lacks is E_USAGE naming the exports it has.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CodegenError, type Diagnostic, DiagnosticCodes } from '../../core/diagnostics.js';
import { findCacheDir } from '../validate/compiled.js';

/** `handlers/orders.ts#processOrders`: the file, and the export to call (default `handler`). */
export interface HandlerSpec {
  readonly file: string;
  readonly exportName: string;
}

export interface BundledHandler extends HandlerSpec {
  /** The bundle (an ES module). */
  readonly bundle: string;
  /** The entry's exports, as esbuild saw them. */
  readonly exports: readonly string[];
}

/** Parses `file[#export]` against `cwd`. */
export function parseHandlerSpec(spec: string, cwd: string): HandlerSpec {
  const hash = spec.lastIndexOf('#');
  const file = hash < 0 ? spec : spec.slice(0, hash);
  const exportName = hash < 0 ? 'handler' : spec.slice(hash + 1);
  if (file === '' || !/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        message: `${JSON.stringify(spec)}: expected a handler file, optionally followed by #<export> (an identifier), for example handlers/orders.ts#handler`,
      },
    ]);
  }
  return { file: path.resolve(cwd, file), exportName };
}

/**
 * The handler `spec` names (`file[#export]`), read, and whether its event source mapping
 * reports batch item failures: `partialBatch` when given, else what its `@msk-codegen` line
 * (written by `scaffold --partial-batch`) says. For invoke and replay.
 */
export async function readHandler(
  spec: string,
  cwd: string,
  partialBatch: boolean | undefined,
): Promise<{ readonly spec: HandlerSpec; readonly partialBatch: boolean }> {
  const parsed = parseHandlerSpec(spec, cwd);
  let source: string;
  try {
    source = await readFile(parsed.file, 'utf8');
  } catch {
    throw new CodegenError([
      { code: DiagnosticCodes.unreadable, file: parsed.file, message: 'cannot read the handler file' },
    ]);
  }
  return { spec: parsed, partialBatch: partialBatch ?? /@msk-codegen .*--partial-batch/.test(source) };
}

/** What SAM and CDK's NodejsFunction put first in an ESM bundle, so bundled CommonJS code can still call `require`. */
const REQUIRE_SHIM =
  "import { createRequire as __mskCodegenCreateRequire } from 'node:module'; const require = __mskCodegenCreateRequire(import.meta.url);";

/** Where bundleHandler writes `spec`'s bundle (known before it is built, so a process to run it can start meanwhile). */
export function bundlePath(spec: HandlerSpec): string {
  const cache = findCacheDir(path.dirname(spec.file));
  if (cache === undefined) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        file: spec.file,
        message:
          'is not in a project: no folder above it has both package.json and node_modules (run `npm install` there first)',
      },
    ]);
  }
  const name = `${path.basename(spec.file).replace(/\.[cm]?[jt]sx?$/, '')}-${createHash('sha256').update(spec.file).digest('hex').slice(0, 12)}.mjs`;
  return path.join(cache, 'invoke', name);
}

export async function bundleHandler(spec: HandlerSpec): Promise<BundledHandler> {
  const bundle = bundlePath(spec);
  const { build } = await import('esbuild');
  await mkdir(path.dirname(bundle), { recursive: true });
  let result: Awaited<ReturnType<typeof build>>;
  try {
    result = await build({
      entryPoints: [spec.file],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // CDK's NodejsFunction for ESM output: packages' ES module builds first (a UMD `main`
      // that requires its own files at run time does not bundle).
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      banner: { js: REQUIRE_SHIM },
      sourcemap: 'inline',
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: path.dirname(spec.file),
    });
  } catch (error) {
    throw bundleError(error, spec);
  }
  const output = Object.values(result.metafile?.outputs ?? {})[0];
  const exports = output?.exports ?? [];
  if (!exports.includes(spec.exportName)) {
    throw new CodegenError([
      {
        code: DiagnosticCodes.usage,
        file: spec.file,
        message: `has no export ${JSON.stringify(spec.exportName)} to invoke (it exports ${exports.length > 0 ? exports.map((e) => JSON.stringify(e)).join(', ') : 'nothing'}); name one with ${path.basename(spec.file)}#<export>`,
      },
    ]);
  }
  return { ...spec, bundle, exports };
}

interface EsbuildMessage {
  readonly text: string;
  readonly location?: { readonly file: string; readonly line: number; readonly column: number } | null;
}

/** esbuild's errors as diagnostics at file:line:column (its columns count from 0). */
function bundleError(error: unknown, spec: HandlerSpec): Error {
  const messages = (error as { errors?: readonly EsbuildMessage[] }).errors;
  if (!Array.isArray(messages) || messages.length === 0) return error as Error;
  const diagnostics: Diagnostic[] = messages.map((m: EsbuildMessage) => ({
    code: DiagnosticCodes.bundle,
    file: m.location ? path.resolve(path.dirname(spec.file), m.location.file) : spec.file,
    message: `cannot bundle the handler: ${m.text}`,
    ...(m.location ? { line: m.location.line, column: m.location.column + 1 } : {}),
  }));
  return new CodegenError(diagnostics);
}
