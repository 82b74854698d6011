// The floor: a hand-written strict check of exactly the rules schema/kafka-event.schema.json
// states for `#/$defs/KafkaEvent`, written for speed (plain loops, early exit, no closures,
// no allocation per record). It answers only yes/no; the generated validator also collects
// every error (allErrors), so the ratio generated/floor is the price of generality.
//
// Rules (keep in step with the schema):
//   event: object; eventSource "aws:kafka" (MSKEvent) or "SelfManagedKafka" (SelfManagedKafkaEvent)
//   MSK: eventSourceArn string starting with an Amazon MSK ARN's prefix, ^arn:aws[a-z-]*:kafka: (required)
//   both: bootstrapServers optional string (its host:port,... form is an x-strict check, not validated here);
//         records object, keys ^.+-[0-9]+$, values non-empty arrays of KafkaRecord
//   KafkaRecord: object; topic string; partition, offset integers >= 0; timestamp integer;
//         timestampType "CREATE_TIME" | "LOG_APPEND_TIME"; key, value optional string | null;
//         headers array of KafkaRecordHeader; key/valueSchemaMetadata optional KafkaSchemaMetadata
//   KafkaRecordHeader: object with exactly one property, an array of integers -128..127
//   KafkaSchemaMetadata: object; dataFormat "AVRO" | "JSON" | "PROTOBUF";
//         schemaId optional string, numeric or UUID
// Unknown properties are allowed everywhere (the schema has no additionalProperties: false).
// As in Ajv, a property whose value is `undefined` counts as absent.

// The schema's patterns, with the 'u' flag Ajv compiles them with.
const MSK_ARN = /^arn:aws[a-z-]*:kafka:/u;
const SCHEMA_ID = /^(?:[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/u;

/** Whether `value` is a canonical KafkaEvent. */
export function floorIsKafkaEvent(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const source = value.eventSource;
  if (source === 'aws:kafka') {
    const arn = value.eventSourceArn;
    if (typeof arn !== 'string' || !MSK_ARN.test(arn)) return false;
  } else if (source !== 'SelfManagedKafka') {
    return false;
  }
  const servers = value.bootstrapServers;
  if (servers !== undefined && typeof servers !== 'string') return false;
  const records = value.records;
  if (typeof records !== 'object' || records === null || Array.isArray(records)) return false;
  for (const key in records) {
    if (!isRecordsKey(key)) return false;
    const list = records[key];
    if (!Array.isArray(list)) return false;
    const n = list.length;
    if (n === 0) return false;
    for (let i = 0; i < n; i++) if (!isRecord(list[i])) return false;
  }
  return true;
}

// ^.+-[0-9]+$ ('u') by hand, as the generated code checks it (emit/optimize.ts): ASCII digits at the
// end, a "-" before them, and before that at least one character, none a line terminator.
function isRecordsKey(s) {
  let i = s.length - 1;
  let c = s.charCodeAt(i); // NaN for ""
  if (!(c >= 48 && c <= 57)) return false;
  while (--i >= 0) {
    c = s.charCodeAt(i);
    if (c > 57 || c < 48) break;
  }
  if (c !== 45 || i < 1) return false;
  while (--i >= 0) {
    c = s.charCodeAt(i);
    if (c < 14 ? c === 10 || c === 13 : c === 8232 || c === 8233) return false;
  }
  return true;
}

function isRecord(r) {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  if (typeof r.topic !== 'string') return false;
  const partition = r.partition;
  if (!Number.isInteger(partition) || partition < 0) return false;
  const offset = r.offset;
  if (!Number.isInteger(offset) || offset < 0) return false;
  if (!Number.isInteger(r.timestamp)) return false;
  const tt = r.timestampType;
  if (tt !== 'CREATE_TIME' && tt !== 'LOG_APPEND_TIME') return false;
  const key = r.key;
  if (key !== undefined && key !== null && typeof key !== 'string') return false;
  const val = r.value;
  if (val !== undefined && val !== null && typeof val !== 'string') return false;
  const headers = r.headers;
  if (!Array.isArray(headers)) return false;
  for (let i = 0, n = headers.length; i < n; i++) {
    const header = headers[i];
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
    // Exactly one property. (for-in also sees inherited enumerable properties, Object.keys
    // does not; the two differ only on a polluted Object.prototype, never on parsed JSON.)
    let names = 0;
    for (const name in header) {
      if (++names > 1) return false;
      const bytes = header[name];
      if (!Array.isArray(bytes)) return false;
      for (let j = 0, m = bytes.length; j < m; j++) {
        const b = bytes[j];
        // An integer in -128..127: (b | 0) === b rejects fractions, NaN and infinities in this range.
        if (typeof b !== 'number' || b < -128 || b > 127 || (b | 0) !== b) return false;
      }
    }
    if (names !== 1) return false;
  }
  const keyMeta = r.keySchemaMetadata;
  if (keyMeta !== undefined && !isSchemaMetadata(keyMeta)) return false;
  const valueMeta = r.valueSchemaMetadata;
  if (valueMeta !== undefined && !isSchemaMetadata(valueMeta)) return false;
  return true;
}

function isSchemaMetadata(m) {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const format = m.dataFormat;
  if (format !== 'AVRO' && format !== 'JSON' && format !== 'PROTOBUF') return false;
  const id = m.schemaId;
  if (id !== undefined && (typeof id !== 'string' || !SCHEMA_ID.test(id))) return false;
  return true;
}
