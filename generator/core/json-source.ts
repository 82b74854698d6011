/**
 * A JSON document read from disk together with its source positions, so that any
 * JSON pointer into it can be reported as file:line:column.
 */
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { CodegenError, DiagnosticCodes, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import { joinPointer, parsePointer } from './json-pointer.js';
import { readRegularFile } from './regular-file.js';

/** How lenient the parser is. */
export interface JsonSyntax {
  /** JSONC (as VS Code's settings): comments and trailing commas allowed. Default: strict JSON. */
  readonly jsonc?: boolean;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** How deep arrays and objects may nest: far beyond any schema, config or event, far below a stack overflow. */
export const MAX_NESTING = 1000;

/**
 * The offset of the first `{` or `[` nested deeper than `max` (outside strings and
 * comments), or -1: one linear scan, before anything recursive reads the text.
 */
function tooDeep(text: string, max: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, escapes skipped.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

export class JsonSource {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
  readonly #tree: Node;
  readonly #lineStarts: number[];

  private constructor(file: string, text: string, tree: Node) {
    this.file = file;
    this.text = text;
    this.#tree = tree;
    this.value = getNodeValue(tree);
    this.#lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#lineStarts.push(i + 1);
  }

  /** Reads and parses `file`; throws a CodegenError naming the file and the place on failure. */
  static async read(file: string, what = 'file', syntax: JsonSyntax = {}): Promise<JsonSource> {
    let text: string;
    try {
      text = await readRegularFile(file, 'utf8');
    } catch (error) {
      throw new CodegenError([
        { code: DiagnosticCodes.unreadable, file, message: `cannot read ${what}: ${describeFsError(error)}` },
      ]);
    }
    return JsonSource.parse(file, text, syntax);
  }

  /**
   * Parses `text` as strict JSON (no comments, no trailing commas; a UTF-8 BOM is allowed),
   * or with `jsonc` as JSONC. Positions are those of the text as written, comments included.
   */
  static parse(file: string, text: string, { jsonc = false }: JsonSyntax = {}): JsonSource {
    const body = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
    const deep = tooDeep(body, MAX_NESTING);
    if (deep >= 0) {
      // The parser (and every walk after it) recurses per level: a hostile file would overflow the stack.
      const at = new JsonSource(file, body, { type: 'null', offset: 0, length: 0 }).positionOfOffset(deep);
      throw new CodegenError([
        {
          code: DiagnosticCodes.invalidJson,
          file,
          message: `expected JSON nested at most ${MAX_NESTING} levels deep: this array or object is deeper`,
          line: at.line,
          column: at.column,
        },
      ]);
    }
    const errors: ParseError[] = [];
    const tree = parseTree(body, errors, {
      disallowComments: !jsonc,
      allowTrailingComma: jsonc,
      allowEmptyContent: false,
    });
    if (errors.length > 0 || tree === undefined) {
      const probe = new JsonSource(file, body, tree ?? { type: 'null', offset: 0, length: 0 });
      const first = errors[0];
      const at = probe.positionOfOffset(first?.offset ?? 0);
      const what =
        body.trim() === ''
          ? 'the file is empty'
          : first
            ? describeParseError(printParseErrorCode(first.error))
            : 'no JSON value';
      throw new CodegenError([
        {
          code: DiagnosticCodes.invalidJson,
          file,
          message: `not valid JSON: ${what}`,
          line: at.line,
          column: at.column,
        },
      ]);
    }
    return new JsonSource(file, body, tree);
  }

  positionOfOffset(offset: number): Position {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.#lineStarts[low] ?? 0) + 1 };
  }

  /**
   * The position of the value at `pointer`, or of its nearest existing ancestor (a
   * missing property is reported where its object is).
   */
  positionOf(pointer: string): Position {
    const location = this.#location(pointer);
    for (let depth = location.length; depth >= 0; depth--) {
      const node = findUsedNode(this.#tree, location.slice(0, depth));
      if (node) return this.positionOfOffset(node.offset);
    }
    return { line: 1, column: 1 };
  }

  /** The position of the property *name* at `pointer` (for problems with a key itself). */
  positionOfKey(pointer: string): Position {
    const node = findUsedNode(this.#tree, this.#location(pointer));
    const property = node?.parent;
    if (property?.type === 'property' && property.children?.[0])
      return this.positionOfOffset(property.children[0].offset);
    return this.positionOf(pointer);
  }

  /** A pointer as a jsonc-parser location: segments under an array become numbers. */
  #location(pointer: string): (string | number)[] {
    const location: (string | number)[] = [];
    let node: Node | undefined = this.#tree;
    for (const segment of parsePointer(pointer)) {
      const step: string | number =
        node?.type === 'array' && /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment;
      location.push(step);
      node = node ? findUsedNode(node, [step]) : undefined;
    }
    return location;
  }

  /**
   * Every property name that occurs again later in the same object, where JSON.parse
   * keeps only the last one: its pointer, the place of the (earlier) name, and the line
   * of the last occurrence, the one whose value is used.
   */
  duplicateKeys(): DuplicateKey[] {
    const found: DuplicateKey[] = [];
    const stack: { node: Node; pointer: string }[] = [{ node: this.#tree, pointer: '' }];
    while (stack.length > 0) {
      const { node, pointer } = stack.pop() as { node: Node; pointer: string };
      if (node.type === 'array') {
        node.children?.forEach((child, i) => stack.push({ node: child, pointer: joinPointer(pointer, i) }));
        continue;
      }
      if (node.type !== 'object' || !node.children) continue;
      const lastOf = new Map<string, Node>();
      for (const property of node.children) {
        const name = property.children?.[0];
        if (name) lastOf.set(String(name.value), name);
      }
      for (const property of node.children) {
        const [name, value] = property.children ?? [];
        if (!name) continue;
        const at = joinPointer(pointer, String(name.value));
        const last = lastOf.get(String(name.value));
        if (last !== undefined && last !== name) {
          found.push({
            pointer: at,
            ...this.positionOfOffset(name.offset),
            usedLine: this.positionOfOffset(last.offset).line,
          });
        }
        if (value) stack.push({ node: value, pointer: at });
      }
    }
    return found.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** A diagnostic placed at `pointer` in this file. */
  diagnostic(code: DiagnosticCode, pointer: string, message: string, at: 'value' | 'key' = 'value'): Diagnostic {
    const position = at === 'key' ? this.positionOfKey(pointer) : this.positionOf(pointer);
    return { code, file: this.file, pointer, message, line: position.line, column: position.column };
  }
}

export interface DuplicateKey {
  /** Where the name occurs more than once. */
  readonly pointer: string;
  /** The place of an earlier occurrence of the name (whose value JSON.parse drops). */
  readonly line: number;
  readonly column: number;
  /** The line of the last occurrence: the one whose value is used. */
  readonly usedLine: number;
}

/**
 * jsonc-parser's findNodeAtLocation, except that a property name that occurs more than
 * once in an object resolves to its last occurrence: the one JSON.parse keeps.
 */
function findUsedNode(root: Node, location: readonly (string | number)[]): Node | undefined {
  let node: Node | undefined = root;
  for (const segment of location) {
    const children: Node[] | undefined = node?.children;
    if (node === undefined || children === undefined) return undefined;
    if (typeof segment === 'string') {
      if (node.type !== 'object') return undefined;
      let found: Node | undefined;
      for (let i = children.length - 1; i >= 0 && found === undefined; i--) {
        const property = children[i]?.children;
        if (property?.length === 2 && property[0]?.value === segment) found = property[1];
      }
      node = found;
    } else {
      node = node.type === 'array' ? children[segment] : undefined;
    }
  }
  return node;
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'malformed number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ',' or a closing bracket",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'unexpected content after the JSON value',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory, not a regular file';
  if (code === 'ENOTDIR') return 'a folder on its path is a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
