import {
  Binary,
  Bool,
  Data,
  DateDay,
  Decimal,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  IntervalMonthDayNano,
  List,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeMicrosecond,
  Timestamp,
  TimeUnit,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeData,
  tableToIPC,
  type DataType,
} from 'apache-arrow';
import {
  DuckDBArrayType,
  DuckDBDecimalType,
  DuckDBListType,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

/** What the Arrow output needs of a query result: names, DuckDB types and exact values, column by column. */
export interface TypedColumns {
  readonly columns: readonly string[];
  readonly types: readonly DuckDBType[];
  readonly values: readonly (readonly DuckDBValue[])[];
}

/**
 * Rows per record batch. Readers such as pandas and polars concatenate batches anyway; bounded
 * batches keep each conversion's buffers small.
 */
const BATCH_ROWS = 65_536;

/** Arrow's canonical JSON extension type (storage Utf8): pyarrow ≥ 19 reads it as `pa.json_()`, older readers as text. */
const JSON_METADATA: ReadonlyMap<string, string> = new Map([
  ['ARROW:extension:name', 'arrow.json'],
  ['ARROW:extension:metadata', ''],
]);

interface Converted {
  readonly data: Data;
  /** Metadata of the field that holds this data (the JSON extension, or the DuckDB type of a column sent as text). */
  readonly metadata?: ReadonlyMap<string, string>;
}

/** The whole result as one Arrow IPC stream (schema, then record batches), as `pyarrow.ipc.open_stream` reads it. */
export function arrowIpcStream(result: TypedColumns): Uint8Array {
  return tableToIPC(arrowTable(result), 'stream');
}

/**
 * The result as an Arrow table whose types follow DuckDB's: DATE → Date32 (days), TIMESTAMP →
 * Timestamp(µs), TIMESTAMPTZ → Timestamp(µs, UTC), DOUBLE → Float64, BIGINT → Int64, HUGEINT and
 * DECIMAL → Decimal128, VARCHAR → Utf8, JSON → Utf8 marked `arrow.json`, lists, arrays, structs and
 * maps nested alike. Types Arrow has no match for (ENUM, UUID, BIT, UNION, …) travel as their text,
 * with the DuckDB type in the field's metadata.
 */
export function arrowTable(result: TypedColumns): Table {
  const rows = result.values[0]?.length ?? 0;
  const batches: RecordBatch[] = [];
  let schema: Schema | undefined;
  // An empty result still sends one empty batch, so the schema comes from the same code path.
  for (let start = 0; start === 0 || start < rows; start += BATCH_ROWS) {
    // DuckDB hands back no columns at all for an empty result.
    const converted = result.types.map((t, i) => convert(t, (result.values[i] ?? []).slice(start, start + BATCH_ROWS)));
    schema ??= new Schema(converted.map((c, i) => field(result.columns[i]!, c)));
    const length = Math.min(BATCH_ROWS, rows - start);
    batches.push(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: converted.map((c) => c.data) })));
  }
  return new Table(schema!, batches);
}

function field(name: string, c: Converted): Field {
  return new Field(name, c.data.type, true, c.metadata ? new Map(c.metadata) : null);
}

function convert(t: DuckDBType, values: readonly DuckDBValue[]): Converted {
  if (t.alias === 'JSON') return { data: utf8(values, (v) => v as string), metadata: JSON_METADATA };
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { data: bool(values) };
    case DuckDBTypeId.TINYINT:
      return { data: fixed(new Int8(), new Int8Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.SMALLINT:
      return { data: fixed(new Int16(), new Int16Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.INTEGER:
      return { data: fixed(new Int32(), new Int32Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.BIGINT:
      return { data: fixed(new Int64(), new BigInt64Array(values.length), values, (v) => v as bigint) };
    case DuckDBTypeId.UTINYINT:
      return { data: fixed(new Uint8(), new Uint8Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.USMALLINT:
      return { data: fixed(new Uint16(), new Uint16Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.UINTEGER:
      return { data: fixed(new Uint32(), new Uint32Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.UBIGINT:
      return { data: fixed(new Uint64(), new BigUint64Array(values.length), values, (v) => v as bigint) };
    case DuckDBTypeId.FLOAT:
      return { data: fixed(new Float32(), new Float32Array(values.length), values, (v) => v as number) };
    case DuckDBTypeId.DOUBLE:
      return { data: fixed(new Float64(), new Float64Array(values.length), values, (v) => v as number) };
    // Arrow has no 128-bit integer; DuckDB's own Arrow export also sends HUGEINT as Decimal128(38, 0).
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return { data: decimal128(0, 38, values, (v) => v as bigint) };
    case DuckDBTypeId.DECIMAL: {
      const d = t as DuckDBDecimalType;
      return { data: decimal128(d.scale, d.width, values, (v) => (v as { value: bigint }).value) };
    }
    case DuckDBTypeId.DATE:
      return { data: fixed(new DateDay(), new Int32Array(values.length), values, (v) => (v as { days: number }).days) };
    case DuckDBTypeId.TIME:
      return { data: fixed(new TimeMicrosecond(), new BigInt64Array(values.length), values, (v) => (v as { micros: bigint }).micros) };
    case DuckDBTypeId.TIMESTAMP:
      return { data: fixed(new Timestamp(TimeUnit.MICROSECOND), new BigInt64Array(values.length), values, (v) => (v as { micros: bigint }).micros) };
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { data: fixed(new Timestamp(TimeUnit.MICROSECOND, 'UTC'), new BigInt64Array(values.length), values, (v) => (v as { micros: bigint }).micros) };
    case DuckDBTypeId.TIMESTAMP_S:
      return { data: fixed(new Timestamp(TimeUnit.SECOND), new BigInt64Array(values.length), values, (v) => (v as { seconds: bigint }).seconds) };
    case DuckDBTypeId.TIMESTAMP_MS:
      return { data: fixed(new Timestamp(TimeUnit.MILLISECOND), new BigInt64Array(values.length), values, (v) => (v as { millis: bigint }).millis) };
    case DuckDBTypeId.TIMESTAMP_NS:
      return { data: fixed(new Timestamp(TimeUnit.NANOSECOND), new BigInt64Array(values.length), values, (v) => (v as { nanos: bigint }).nanos) };
    case DuckDBTypeId.INTERVAL:
      return { data: interval(values) };
    case DuckDBTypeId.VARCHAR:
      return { data: utf8(values, (v) => v as string) };
    case DuckDBTypeId.BLOB:
      return { data: binary(values) };
    case DuckDBTypeId.LIST:
      return { data: list(t as DuckDBListType, values) };
    case DuckDBTypeId.ARRAY:
      return { data: fixedSizeList(t as DuckDBArrayType, values) };
    case DuckDBTypeId.STRUCT:
      return { data: struct(t as DuckDBStructType, values) };
    case DuckDBTypeId.MAP:
      return { data: map(t as DuckDBMapType, values) };
    default:
      return { data: utf8(values, (v) => String(v)), metadata: new Map([['hubtrends:duckdb_type', t.toString()]]) };
  }
}

/** Validity bitmap (bit set = value present) and null count, as every Arrow array carries them. */
function validity(values: readonly DuckDBValue[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullBitmap, nullCount };
}

function fixed<T extends DataType, V extends number | bigint>(
  type: T,
  data: { [i: number]: V; length: number },
  values: readonly DuckDBValue[],
  read: (v: DuckDBValue) => V,
): Data {
  values.forEach((v, i) => {
    if (v !== null) data[i] = read(v);
  });
  return makeData({ type, length: values.length, ...validity(values), data: data as never } as never);
}

function bool(values: readonly DuckDBValue[]): Data {
  const bits = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v === true) bits[i >> 3]! |= 1 << (i & 7);
  });
  return makeData({ type: new Bool(), length: values.length, ...validity(values), data: bits });
}

/** 128-bit two's complement, little-endian, as four 32-bit words per value. */
function decimal128(scale: number, precision: number, values: readonly DuckDBValue[], read: (v: DuckDBValue) => bigint): Data {
  const words = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    if (v === null) return;
    let x = BigInt.asUintN(128, read(v));
    for (let w = 0; w < 4; w++, x >>= 32n) words[i * 4 + w] = Number(x & 0xffffffffn);
  });
  return makeData({ type: new Decimal(scale, precision, 128), length: values.length, ...validity(values), data: words });
}

/** Months, days and nanoseconds, as Arrow's month-day-nano interval lays them out (int32, int32, int64). */
function interval(values: readonly DuckDBValue[]): Data {
  const words = new Int32Array(values.length * 4);
  values.forEach((v, i) => {
    if (v === null) return;
    const { months, days, micros } = v as unknown as { months: number; days: number; micros: bigint };
    const nanos = BigInt.asUintN(64, micros * 1000n);
    words[i * 4] = months;
    words[i * 4 + 1] = days;
    words[i * 4 + 2] = Number(BigInt.asIntN(32, nanos & 0xffffffffn));
    words[i * 4 + 3] = Number(BigInt.asIntN(32, nanos >> 32n));
  });
  return makeData({ type: new IntervalMonthDayNano(), length: values.length, ...validity(values), data: words } as never);
}

/**
 * Strings are encoded all at once, not one by one: ten times faster for a million short ids. The
 * offsets come from each string's byte length; DuckDB's strings are valid UTF-8, so joining them
 * encodes each exactly as alone.
 */
function utf8(values: readonly DuckDBValue[], text: (v: DuckDBValue) => string): Data {
  const strings = values.map((v) => (v === null ? '' : text(v)));
  const valueOffsets = new Int32Array(values.length + 1);
  strings.forEach((s, i) => (valueOffsets[i + 1] = valueOffsets[i]! + Buffer.byteLength(s, 'utf8')));
  const bytes = Buffer.from(strings.join(''), 'utf8');
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  return makeData({ type: new Utf8(), length: values.length, ...validity(values), valueOffsets, data });
}

function binary(values: readonly DuckDBValue[]): Data {
  const parts = values.map((v) => (v === null ? new Uint8Array(0) : (v as { bytes: Uint8Array }).bytes));
  const valueOffsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (valueOffsets[i + 1] = valueOffsets[i]! + p.length));
  const data = new Uint8Array(valueOffsets[values.length]!);
  parts.forEach((p, i) => data.set(p, valueOffsets[i]!));
  return makeData({ type: new Binary(), length: values.length, ...validity(values), valueOffsets, data });
}

function items(v: DuckDBValue): readonly DuckDBValue[] {
  return (v as { items: readonly DuckDBValue[] }).items;
}

function list(t: DuckDBListType, values: readonly DuckDBValue[]): Data {
  const valueOffsets = new Int32Array(values.length + 1);
  const flat: DuckDBValue[] = [];
  values.forEach((v, i) => {
    if (v !== null) flat.push(...items(v));
    valueOffsets[i + 1] = flat.length;
  });
  const child = convert(t.valueType, flat);
  return makeData({ type: new List(field('item', child)), length: values.length, ...validity(values), valueOffsets, child: child.data });
}

function fixedSizeList(t: DuckDBArrayType, values: readonly DuckDBValue[]): Data {
  // A NULL array still occupies its slots in the child, as nulls.
  const flat = values.flatMap((v) => (v === null ? Array<DuckDBValue>(t.length).fill(null) : items(v)));
  const child = convert(t.valueType, flat);
  return makeData({ type: new FixedSizeList(t.length, field('item', child)), length: values.length, ...validity(values), child: child.data });
}

function struct(t: DuckDBStructType, values: readonly DuckDBValue[]): Data {
  const children = t.entryNames.map((name, k) => convert(t.entryTypes[k]!, values.map((v) => (v === null ? null : ((v as { entries: Record<string, DuckDBValue> }).entries[name] ?? null)))));
  const type = new Struct(children.map((c, k) => field(t.entryNames[k]!, c)));
  return makeData({ type, length: values.length, ...validity(values), children: children.map((c) => c.data) });
}

function map(t: DuckDBMapType, values: readonly DuckDBValue[]): Data {
  const valueOffsets = new Int32Array(values.length + 1);
  const keys: DuckDBValue[] = [];
  const vals: DuckDBValue[] = [];
  values.forEach((v, i) => {
    if (v !== null) {
      for (const e of (v as { entries: readonly { key: DuckDBValue; value: DuckDBValue }[] }).entries) {
        keys.push(e.key);
        vals.push(e.value);
      }
    }
    valueOffsets[i + 1] = keys.length;
  });
  const k = convert(t.keyType, keys);
  const x = convert(t.valueType, vals);
  const entriesType = new Struct([new Field('key', k.data.type, false, k.metadata ? new Map(k.metadata) : null), field('value', x)]);
  const entries = makeData({ type: entriesType, length: keys.length, nullCount: 0, children: [k.data, x.data] });
  return makeData({ type: new Map_(new Field('entries', entriesType, false)), length: values.length, ...validity(values), valueOffsets, child: entries } as never);
}
