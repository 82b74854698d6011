/** Which handler names `scaffold` accepts: each becomes a file name and an export name. */
import { CodegenError, DiagnosticCodes } from '../../core/diagnostics.js';
import { camelCase, RESERVED_WORDS } from '../../core/identifiers.js';

export const MAX_NAME_LENGTH = 64;

/**
 * Windows' reserved device names, in any letter case and with any extension: a file
 * named `con.ts` or `com1.test.ts` cannot be created there, so a repository holding one
 * cannot be checked out on Windows. (COM0 and LPT0 are reserved too, per Microsoft's
 * "Naming Files, Paths, and Namespaces".)
 */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export interface HandlerName {
  /** As given: the file is `<name>.ts`. */
  readonly name: string;
  /** The name `handlers/index.ts` exports the handler as (camelCase). */
  readonly exportName: string;
}

/** Checks `name`; throws CodegenError saying what a valid name looks like. */
export function checkHandlerName(name: string): HandlerName {
  const refuse = (why: string): never => {
    throw new CodegenError([
      {
        code: DiagnosticCodes.invalidName,
        message: `invalid handler name ${JSON.stringify(name)}: ${why}. A name is a letter followed by letters, digits, "-" or "_", at most ${MAX_NAME_LENGTH} characters (e.g. "orders" or "order-events").`,
      },
    ]);
  };
  if (name.length === 0) refuse('it is empty');
  if (name.length > MAX_NAME_LENGTH) refuse(`it has ${name.length} characters`);
  if (/[/\\]/.test(name) || name.includes('..')) refuse('it is a path; give a name, and --dir for the folder');
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) refuse('it has a character that cannot be in a file and export name');
  if (/[-_]$/.test(name)) refuse('it ends with "-" or "_"');
  if (WINDOWS_DEVICE_NAME.test(name)) {
    refuse(
      `it is a device name on Windows (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9, in any case): no file can be named ${name}.ts there, so the repository could not be checked out on Windows`,
    );
  }
  const exportName = camelCase(name);
  if (RESERVED_WORDS.has(name) || RESERVED_WORDS.has(exportName)) refuse('it is a reserved word in JavaScript');
  if (name.toLowerCase() === 'index') refuse('"index" is taken by the handlers index file');
  return { name, exportName };
}
