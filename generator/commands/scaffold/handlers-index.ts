/**
 * Keeps `handlers/index.ts` exporting every handler, edited through the AST: adding a
 * handler twice changes nothing, and whatever else the user wrote there stays.
 */
import type { Project } from 'ts-morph';

export const INDEX_HEADER = `/**
 * Every Kafka handler of this project. msk-codegen scaffold adds an export here for
 * each handler it creates; your own edits stay.
 */
`;

/** The index file's text with `export { handler as <exportName> } from './<name>.js'`, or `undefined` if it already has it. */
export function withHandlerExport(
  project: Project,
  indexPath: string,
  current: string | undefined,
  name: string,
  exportName: string,
): string | undefined {
  const file = project.createSourceFile(indexPath, current ?? INDEX_HEADER, { overwrite: true });
  const specifier = `./${name}.js`;
  const existing = file.getExportDeclarations().find((d) => d.getModuleSpecifierValue() === specifier);
  if (
    existing
      ?.getNamedExports()
      .some((e) => e.getName() === 'handler' && (e.getAliasNode()?.getText() ?? 'handler') === exportName)
  ) {
    return current === undefined ? file.getFullText() : undefined;
  }
  if (existing) existing.addNamedExport({ name: 'handler', alias: exportName });
  else
    file.addExportDeclaration({ namedExports: [{ name: 'handler', alias: exportName }], moduleSpecifier: specifier });
  const text = file.getFullText();
  return text.endsWith('\n') ? text : `${text}\n`;
}
