/** Named rewrites of generated code applied in order, each counted: the shape of emit/optimize.ts and emit/error-limit.ts. */

export interface Rewrite {
  readonly name: string;
  /** The code rewritten, and how many places changed. */
  readonly apply: (code: string) => { readonly code: string; readonly count: number };
}

/** `code` with every rewrite applied in order, and how many places each changed (by name). */
export function applyRewrites(
  code: string,
  rewrites: readonly Rewrite[],
): { readonly code: string; readonly counts: Readonly<Record<string, number>> } {
  const counts: Record<string, number> = {};
  let result = code;
  for (const rewrite of rewrites) {
    const next = rewrite.apply(result);
    counts[rewrite.name] = next.count;
    result = next.code;
  }
  return { code: result, counts };
}
