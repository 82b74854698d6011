// Runs in a worker thread (its own V8 isolate), so feeding the validators dozens of odd
// shapes here does not pollute the type feedback of the copies the main thread times.
import { parentPort, workerData } from 'node:worker_threads';
import { canonicalEvents } from './events.mjs';
import { floorIsKafkaEvent } from './floor.mjs';
import { brokenCopies, checkAgreement } from './sanity.mjs';
import { compileKafkaEventValidator } from './ajv-runtime.mjs';

const { isKafkaEvent } = await import(workerData.bundlePath);
const { validate } = compileKafkaEventValidator();
const checks = {
  'generated isKafkaEvent': isKafkaEvent,
  floor: floorIsKafkaEvent,
  'run-time Ajv': (v) => validate(v),
};
const [one, hundred] = canonicalEvents();
let count = 0;
count += checkAgreement(checks, brokenCopies(one.event));
count += checkAgreement(checks, brokenCopies(hundred.event));
parentPort.postMessage({ cases: count });
