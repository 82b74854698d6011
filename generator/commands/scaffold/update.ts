/**
 * `scaffold --update`: re-applies the template's imports from the generated files (the API,
 * and for a test the test helper) and the type annotations of its functions to a handler
 * or test the user has edited, through the AST, so function bodies and everything else
 * stay as the user wrote them.
 */
import * as path from 'node:path';
import { SyntaxKind, type ImportDeclaration, type Project, type SourceFile } from 'ts-morph';

/** The file's text (a handler or its test) with the template's imports from each of `generatedPaths` and its signatures applied. */
export function applyTemplate(
  project: Project,
  filePath: string,
  existingText: string,
  renderedText: string,
  generatedPaths: readonly string[],
): string {
  const existing = project.createSourceFile(filePath, existingText, { overwrite: true });
  const templatePath = path.join(path.dirname(filePath), `.msk-codegen-template-${path.basename(filePath)}`);
  const template = project.createSourceFile(templatePath, renderedText, { overwrite: true });
  try {
    // Signatures first: they may name types the imports must then provide.
    applySignatures(existing, template);
    for (const generatedPath of generatedPaths) {
      const generated = project.getSourceFile(generatedPath) ?? project.addSourceFileAtPath(generatedPath);
      applyImports(existing, template, generated, new Set(generated.getExportedDeclarations().keys()));
    }
    return existing.getFullText();
  } finally {
    project.removeSourceFile(template);
  }
}

function importsOfGenerated(file: SourceFile, generated: SourceFile): ImportDeclaration[] {
  return file.getImportDeclarations().filter((d) => d.getModuleSpecifierSourceFile() === generated);
}

function applyImports(
  existing: SourceFile,
  template: SourceFile,
  generated: SourceFile,
  exported: ReadonlySet<string>,
): void {
  // Names the generated API no longer exports (a type renamed in the schema) are dropped.
  for (const declaration of importsOfGenerated(existing, generated)) {
    for (const named of declaration.getNamedImports()) if (!exported.has(named.getName())) named.remove();
  }
  // What the template imports for its own example code, the user's code may not use: only names it uses are imported.
  const used = new Set(
    existing
      .getDescendantsOfKind(SyntaxKind.Identifier)
      .filter((id) => !id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration))
      .map((id) => id.getText()),
  );
  for (const wanted of importsOfGenerated(template, generated)) {
    const names = wanted
      .getNamedImports()
      .map((n) => n.getName())
      .filter((name) => used.has(name));
    if (names.length === 0) continue;
    const specifier = wanted.getModuleSpecifierValue();
    const match = importsOfGenerated(existing, generated).find((d) => d.isTypeOnly() === wanted.isTypeOnly());
    if (!match) {
      existing.insertImportDeclaration(existing.getImportDeclarations().length, {
        ...wanted.getStructure(),
        namedImports: names,
      });
      continue;
    }
    match.setModuleSpecifier(specifier);
    const have = new Set(match.getNamedImports().map((n) => n.getName()));
    for (const name of names) if (!have.has(name)) match.addNamedImport(name);
  }
  for (const declaration of importsOfGenerated(existing, generated)) {
    for (const named of declaration.getNamedImports()) if (!used.has(named.getName())) named.remove();
    if (
      declaration.getNamedImports().length === 0 &&
      !declaration.getDefaultImport() &&
      !declaration.getNamespaceImport()
    )
      declaration.remove();
  }
}

function applySignatures(existing: SourceFile, template: SourceFile): void {
  for (const wanted of template.getFunctions()) {
    const name = wanted.getName();
    const fn = name === undefined ? undefined : existing.getFunction(name);
    if (!fn) continue;
    wanted.getParameters().forEach((parameter, i) => {
      const type = parameter.getTypeNode()?.getText();
      const mine = fn.getParameters()[i];
      if (type !== undefined && mine && mine.getTypeNode()?.getText() !== type) mine.setType(type);
    });
    const returnType = wanted.getReturnTypeNode()?.getText();
    if (returnType !== undefined && fn.getReturnTypeNode()?.getText() !== returnType) fn.setReturnType(returnType);
  }
}
