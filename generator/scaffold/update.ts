/**
 * `scaffold --update`: re-applies the template's imports from the generated API and the
 * type annotations of its functions to a handler the user has edited, through the AST,
 * so function bodies and everything else stay as the user wrote them.
 */
import * as path from 'node:path';
import { SyntaxKind, type ImportDeclaration, type Project, type SourceFile } from 'ts-morph';

/** The handler's text with the template's imports and signatures applied. */
export function applyTemplate(project: Project, handlerPath: string, existingText: string, renderedText: string, generatedIndexPath: string): string {
  const existing = project.createSourceFile(handlerPath, existingText, { overwrite: true });
  const templatePath = path.join(path.dirname(handlerPath), `.msk-codegen-template-${path.basename(handlerPath)}`);
  const template = project.createSourceFile(templatePath, renderedText, { overwrite: true });
  try {
    const generated = project.getSourceFile(generatedIndexPath) ?? project.addSourceFileAtPath(generatedIndexPath);
    const exported = new Set(generated.getExportedDeclarations().keys());
    // Signatures first: they may name types the imports must then provide.
    applySignatures(existing, template);
    applyImports(existing, template, generated, exported);
    return existing.getFullText();
  } finally {
    project.removeSourceFile(template);
  }
}

function importsOfGenerated(file: SourceFile, generated: SourceFile): ImportDeclaration[] {
  return file.getImportDeclarations().filter((d) => d.getModuleSpecifierSourceFile() === generated);
}

function applyImports(existing: SourceFile, template: SourceFile, generated: SourceFile, exported: ReadonlySet<string>): void {
  // Names the generated API no longer exports (a type renamed in the schema) are dropped.
  for (const declaration of importsOfGenerated(existing, generated)) {
    for (const named of declaration.getNamedImports()) if (!exported.has(named.getName())) named.remove();
  }
  for (const wanted of importsOfGenerated(template, generated)) {
    const specifier = wanted.getModuleSpecifierValue();
    const match = importsOfGenerated(existing, generated).find((d) => d.isTypeOnly() === wanted.isTypeOnly());
    if (!match) {
      existing.insertImportDeclaration(existing.getImportDeclarations().length, wanted.getStructure());
      continue;
    }
    match.setModuleSpecifier(specifier);
    const have = new Set(match.getNamedImports().map((n) => n.getName()));
    for (const named of wanted.getNamedImports()) if (!have.has(named.getName())) match.addNamedImport(named.getName());
  }
  // What the template imports for its own example code, the user's code may not use.
  const used = new Set(
    existing
      .getDescendantsOfKind(SyntaxKind.Identifier)
      .filter((id) => !id.getFirstAncestorByKind(SyntaxKind.ImportDeclaration))
      .map((id) => id.getText()),
  );
  for (const declaration of importsOfGenerated(existing, generated)) {
    for (const named of declaration.getNamedImports()) if (!used.has(named.getName())) named.remove();
    if (declaration.getNamedImports().length === 0 && !declaration.getDefaultImport() && !declaration.getNamespaceImport()) declaration.remove();
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
