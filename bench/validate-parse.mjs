// Section 7 reference, "process start + JSON.parse": reads one file and parses it, nothing else.
//   node bench/validate-parse.mjs <file.json>
import { readFileSync } from 'node:fs';

const value = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (value === null || typeof value !== 'object') process.exitCode = 1;
