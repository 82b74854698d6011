/** RFC 6901 JSON pointers: parse, format, resolve. Every pointer msk-codegen reads or writes goes through here. */

/** `a/b~c` -> `a~1b~0c` */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `/a~1b/0` -> `['a/b', '0']`; a URI fragment (`#/$defs/A%20B`) is percent-decoded too. */
export function parsePointer(pointer: string): string[] {
  const isFragment = pointer.startsWith('#');
  const body = isFragment ? pointer.slice(1) : pointer;
  if (body === '') return [];
  return body
    .slice(1)
    .split('/')
    .map((s) => (isFragment ? decodeURIComponent(s) : s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `['a/b', 0]` -> `/a~1b/0` */
export function formatPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapePointerSegment(String(s))}`).join('');
}

/** `base` with `segments` appended: `joinPointer('/records', 'a/b', 0)` -> `/records/a~1b/0`. */
export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + formatPointer(segments);
}

/**
 * The value at `pointer` (or `#`-fragment) in `document`, through objects' and arrays' own
 * properties only (`constructor` or `__proto__` is never found on a prototype); undefined when
 * there is none.
 */
export function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const segment of parsePointer(pointer)) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
