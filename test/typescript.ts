/** The strict TypeScript settings tests type-check generated and scaffolded code with (the `typescript` devDependency, 6.0). */
import * as path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './helpers.js';

/** Strict, plus the flags careful projects add; no @types in scope unless a test adds them. */
export const STRICT: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  erasableSyntaxOnly: true,
  skipLibCheck: false,
  types: [],
  typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
  noEmit: true,
};

/** STRICT, and unused code is an error too (generated code must have none). */
export const STRICTEST: ts.CompilerOptions = { ...STRICT, noUnusedLocals: true, noUnusedParameters: true };

/**
 * The one way tests build a TypeScript program. The programs of a test file (of a worker,
 * when files share one) share one compiler host, which keeps the files it parsed under
 * node_modules (the lib .d.ts files, @types/node, ...): they do not change during a run, and
 * parsing them is most of what a small program costs. Files anywhere else (generated code,
 * temporary projects) are read and parsed afresh each time, as a tsc run would.
 */
const cachedFiles = new Map<string, ts.SourceFile | undefined>();
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
/** Only for its key: the compiler settings under which a parsed and bound file can be shared, as the language service shares them. */
const registry = ts.createDocumentRegistry();

function sharedHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!path.resolve(fileName).includes(NODE_MODULES))
      return getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    const settings =
      typeof languageVersionOrOptions === 'object'
        ? [
            languageVersionOrOptions.languageVersion,
            languageVersionOrOptions.impliedNodeFormat,
            languageVersionOrOptions.jsDocParsingMode,
          ]
        : [languageVersionOrOptions];
    const key = `${registry.getKeyForCompilationSettings(options)}\0${settings.join(',')}\0${fileName}`;
    if (!cachedFiles.has(key)) cachedFiles.set(key, getSourceFile(fileName, languageVersionOrOptions, onError));
    return cachedFiles.get(key);
  };
  return host;
}

/** `ts.createProgram(rootNames, options)`, with the shared host (see above). */
export function createProgram(rootNames: readonly string[], options: ts.CompilerOptions): ts.Program {
  return ts.createProgram({ rootNames, options, host: sharedHost(options) });
}
