/** Which events a scaffolded handler accepts: its own module, so that the CLI's option list loads no template engine. */
export const SOURCES = ['msk', 'self-managed', 'any'] as const;
export type Source = (typeof SOURCES)[number];
