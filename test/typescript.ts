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
