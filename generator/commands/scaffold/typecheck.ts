/**
 * Type-checks rendered files in memory, against the generated API on disk, before
 * anything is written (ts-morph: its bundled TypeScript, no files touched).
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Project, QuoteKind, ts, type SourceFile } from 'ts-morph';
import { CodegenError, DiagnosticCodes, type Diagnostic } from '../../core/diagnostics.js';
import { describeFileKind } from '../../core/regular-file.js';
import { isInstalled } from './runner.js';

export interface InMemoryFile {
  readonly path: string;
  readonly contents: string;
}

const manipulationSettings = { quoteKind: QuoteKind.Single };

/**
 * The compiler options of the project's tsconfig.json when there is one (what the user
 * compiles with), else strict defaults for an ES module project.
 */
export function createProject(cwd: string): Project {
  const tsconfig = path.join(cwd, 'tsconfig.json');
  if (existsSync(tsconfig)) {
    const unusable = (why: string) =>
      new CodegenError([
        {
          code: DiagnosticCodes.unreadable,
          file: tsconfig,
          message: `cannot use it to type-check the handler: ${why}`,
        },
      ]);
    const stats = statSync(tsconfig);
    if (!stats.isFile()) throw unusable(`it is ${describeFileKind(stats)}, not a regular file`);
    try {
      return new Project({
        tsConfigFilePath: tsconfig,
        skipAddingFilesFromTsConfig: true,
        compilerOptions: { noEmit: true },
        manipulationSettings,
      });
    } catch (error) {
      // ts-morph throws on a tsconfig.json TypeScript cannot parse.
      throw unusable(error instanceof Error ? error.message : String(error));
    }
  }
  // Where TypeScript looks for them: node_modules/@types in the project or a folder above.
  const hasNodeTypes = isInstalled(cwd, '@types/node');
  return new Project({
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', ...(hasNodeTypes ? [] : ['lib.dom.d.ts'])],
      types: hasNodeTypes ? ['node'] : [],
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    },
    manipulationSettings,
  });
}

/** Adds `files` to `project` (in memory) and returns their diagnostics, as file:line:col diagnostics. */
export function typeCheck(project: Project, files: readonly InMemoryFile[]): Diagnostic[] {
  const sourceFiles: SourceFile[] = files.map((file) =>
    project.createSourceFile(file.path, file.contents, { overwrite: true }),
  );
  const diagnostics: Diagnostic[] = [];
  for (const sourceFile of sourceFiles) {
    for (const d of [...sourceFile.getPreEmitDiagnostics()]) {
      const start = d.getStart();
      const position = start !== undefined ? sourceFile.getLineAndColumnAtPos(start) : undefined;
      const message = ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n  ');
      diagnostics.push({
        code: DiagnosticCodes.typeCheck,
        file: d.getSourceFile()?.getFilePath() ?? sourceFile.getFilePath(),
        message: `TS${d.getCode()}: ${message}`,
        ...(position ? { line: position.line, column: position.column } : {}),
      });
    }
  }
  return diagnostics;
}

export function assertTypeChecks(project: Project, files: readonly InMemoryFile[]): void {
  const diagnostics = typeCheck(project, files);
  if (diagnostics.length > 0) throw new CodegenError(diagnostics);
}
