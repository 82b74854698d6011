import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../../../generator/core/diagnostics.js';
import { checkHandlerName } from '../../../../generator/commands/scaffold/names.js';

describe('checkHandlerName', () => {
  it.each([
    ['orders', 'orders'],
    ['order-events', 'orderEvents'],
    ['order_events_v2', 'orderEventsV2'],
    ['A', 'A'],
    ['x'.repeat(64), 'x'.repeat(64)],
    // Only the bare device names are reserved, not names that contain one.
    ['console', 'console'],
    ['con-events', 'conEvents'],
    ['com10', 'com10'],
    ['lpt', 'lpt'],
    ['auxiliary', 'auxiliary'],
    ['nul_orders', 'nulOrders'],
  ])('accepts %j (exported as %j)', (name, exportName) => {
    expect(checkHandlerName(name)).toEqual({ name, exportName });
  });

  it.each([
    ['', 'it is empty'],
    ['x'.repeat(65), 'it has 65 characters'],
    ['../orders', 'it is a path'],
    ['handlers/orders', 'it is a path'],
    ['a\\b', 'it is a path'],
    ['a..b', 'it is a path'],
    ['1orders', 'cannot be in a file and export name'],
    ['-orders', 'cannot be in a file and export name'],
    ['or ders', 'cannot be in a file and export name'],
    ['orders.ts', 'cannot be in a file and export name'],
    ['orders-', 'ends with'],
    ['delete', 'reserved word'],
    ['class', 'reserved word'],
    ['index', 'taken by the handlers index file'],
    // Windows device names, in any case: con.ts cannot be created (or checked out) on Windows.
    ...['con', 'CON', 'Prn', 'aux', 'nul', 'NuL', 'com1', 'COM9', 'com0', 'lpt1', 'Lpt5', 'LPT9', 'lpt0'].map(
      (name): [string, string] => [name, 'it is a device name on Windows'],
    ),
  ])('refuses %j: %s', (name, why) => {
    let error: unknown;
    try {
      checkHandlerName(name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CodegenError);
    const diagnostic = (error as CodegenError).diagnostics[0];
    expect(diagnostic?.code).toBe('E_INVALID_NAME');
    expect(diagnostic?.message).toContain(why);
    expect(diagnostic?.message).toContain('e.g. "orders"');
  });
});
