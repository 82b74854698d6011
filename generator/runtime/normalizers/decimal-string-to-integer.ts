/** `"15"` -> `15`: an integer given in its legacy decimal-string form. */
export function decimalStringToInteger(value: string): number {
  return Number(value);
}
