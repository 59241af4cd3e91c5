import { createReadStream } from 'node:fs';

/** A column of non-negative integers: `Uint32Array` unless a value does not fit. */
export type IntColumn = Uint32Array | Float64Array;

/**
 * A V8 heap snapshot read into flat arrays, as V8 lays it out: node `i` occupies
 * `nodes[i * nodeFields.length …]`, its edges follow those of node `i - 1` in `edges`.
 */
export interface ParsedHeapSnapshot {
  /** Field names of a node as kept, e.g. `type`, `name`, `id`, `self_size`, `edge_count`. */
  readonly nodeFields: readonly string[];
  /** Field names of an edge, e.g. `type`, `name_or_index`, `to_node`. */
  readonly edgeFields: readonly string[];
  /** Names of the values of a node's `type` field (`hidden`, `array`, `string`, `object`…). */
  readonly nodeTypes: readonly string[];
  /** Names of the values of an edge's `type` field (`context`, `element`, `property`, `weak`…). */
  readonly edgeTypes: readonly string[];
  /** Nodes in the snapshot: `nodes.length / nodeFields.length`. */
  readonly nodeCount: number;
  /** Edges in the snapshot: `edges.length / edgeFields.length`. */
  readonly edgeCount: number;
  /** `nodeCount * nodeFields.length` integers. */
  readonly nodes: IntColumn;
  /**
   * `edgeCount * edgeFields.length` integers; `to_node` is an index into `nodes` (the start of the
   * target's record, as stored: rescaled when only some node fields are kept).
   */
  readonly edges: IntColumn;
  /** The string table that node names and named edges index into. */
  readonly strings: readonly string[];
}

/** Options of {@link HeapSnapshotReader}. */
export interface HeapSnapshotReaderOptions {
  /**
   * Node fields to keep, e.g. `['type', 'name', 'edge_count']`; the others are read past and not
   * stored, which saves memory on large snapshots. Default: all of them.
   */
  readonly nodeFields?: readonly string[];
}

interface SnapshotHeader {
  meta: { node_fields: string[]; edge_fields: string[]; node_types: unknown[]; edge_types: unknown[] };
  node_count?: number;
  edge_count?: number;
}

const enum Mode {
  Top,
  Key,
  Colon,
  Capture,
  Ints,
  Strings,
  Skip,
  Done,
}
const QUOTE = 34,
  BACKSLASH = 92,
  COMMA = 44,
  COLON = 58;
const OPEN_BRACKET = 91,
  CLOSE_BRACKET = 93,
  OPEN_BRACE = 123,
  CLOSE_BRACE = 125;
const ZERO = 48,
  NINE = 57;

/**
 * Reads a `.heapsnapshot` JSON document chunk by chunk without ever holding its whole text: the
 * small `snapshot` header is parsed as JSON, `nodes` and `edges` go straight into typed arrays,
 * only `strings` become JS strings, and the other sections are skipped. Chunks may split numbers,
 * strings and escapes anywhere.
 *
 * @example
 * ```ts
 * const reader = new HeapSnapshotReader();
 * for await (const chunk of stream) reader.push(chunk);
 * const snapshot = reader.end();
 * ```
 */
export class HeapSnapshotReader {
  readonly #wantedNodeFields: readonly string[] | undefined;
  #mode: Mode = Mode.Top;
  #started = false;
  #key = '';
  /** Text of the value being captured or skipped, and its nesting state. */
  #captured = '';
  #depth = 0;
  #inString = false;
  #escaped = false;
  #header: SnapshotHeader | undefined;
  #target: 'nodes' | 'edges' = 'nodes';
  #column: IntColumn = new Uint32Array(0);
  #length = 0;
  #value = 0;
  #inNumber = false;
  /** Which fields of a record are stored, and the field the next number belongs to. */
  #keep: Uint8Array = new Uint8Array(0);
  #field = 0;
  /** Edge field holding node offsets, rescaled when nodes keep fewer fields: -1 when not needed. */
  #toNodeField = -1;
  #allNodeFields = 1;
  #keptNodeFields = 1;
  #opened = false;
  #nodes: IntColumn | undefined;
  #edges: IntColumn | undefined;
  #strings: string[] = [];
  /** Pieces of a string split across chunks, and whether it has escapes to decode. */
  #pending = '';
  #pendingEscapes = false;
  /** Next backslash in the current chunk: -2 not looked for yet, -1 none left. */
  #slashAt = -2;

  constructor(options: HeapSnapshotReaderOptions = {}) {
    this.#wantedNodeFields = options.nodeFields;
  }

  /** Consumes the next piece of the document. */
  push(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    this.#slashAt = -2;
    this.#units = undefined;
    while (i < n) {
      switch (this.#mode) {
        case Mode.Top:
          i = this.#top(chunk, i);
          break;
        case Mode.Key:
          i = this.#readKey(chunk, i);
          break;
        case Mode.Colon:
          i = this.#colon(chunk, i);
          break;
        case Mode.Capture:
        case Mode.Skip:
          i = this.#skipValue(chunk, i);
          break;
        case Mode.Ints:
          i = this.#ints(chunk, i);
          break;
        case Mode.Strings:
          i = this.#stringList(chunk, i);
          break;
        case Mode.Done:
          if (chunk.slice(i).trim() !== '') throw new SyntaxError('heap snapshot: text after the end of the document');
          i = n;
      }
    }
    this.#units = undefined;
  }

  /** Finishes reading; throws when the document was cut short or lacked a section. */
  end(): ParsedHeapSnapshot {
    if (this.#mode !== Mode.Done) throw new SyntaxError('heap snapshot: document ended early');
    const header = this.#header;
    if (!header || !this.#nodes || !this.#edges) throw new SyntaxError('heap snapshot: missing snapshot, nodes or edges');
    const { node_fields: allNodeFields, edge_fields: edgeFields } = header.meta;
    const nodeTypes = header.meta.node_types[allNodeFields.indexOf('type')];
    const edgeTypes = header.meta.edge_types[edgeFields.indexOf('type')];
    const wanted = this.#wantedNodeFields;
    const nodeFields = wanted ? allNodeFields.filter((field) => wanted.includes(field)) : allNodeFields;
    if (!Array.isArray(nodeTypes) || !Array.isArray(edgeTypes)) throw new SyntaxError('heap snapshot: meta lacks type names');
    if (this.#nodes.length % nodeFields.length !== 0 || this.#edges.length % edgeFields.length !== 0) {
      throw new SyntaxError('heap snapshot: nodes or edges are not a whole number of records');
    }
    return {
      nodeFields,
      edgeFields,
      nodeTypes: nodeTypes as string[],
      edgeTypes: edgeTypes as string[],
      nodeCount: this.#nodes.length / nodeFields.length,
      edgeCount: this.#edges.length / edgeFields.length,
      nodes: this.#nodes,
      edges: this.#edges,
      strings: this.#strings,
    };
  }

  #top(s: string, i: number): number {
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === OPEN_BRACE && !this.#started) {
        this.#started = true;
        continue;
      }
      if (c === QUOTE && this.#started) {
        this.#key = '';
        this.#mode = Mode.Key;
        return i + 1;
      }
      if (c === CLOSE_BRACE && this.#started) {
        this.#mode = Mode.Done;
        return i + 1;
      }
      if (c !== COMMA && !isSpace(c)) throw new SyntaxError(`heap snapshot: unexpected ${s[i]} at top level`);
    }
    return i;
  }

  #readKey(s: string, i: number): number {
    const close = s.indexOf('"', i);
    if (close === -1) {
      this.#key += s.slice(i);
      return s.length;
    }
    this.#key += s.slice(i, close);
    this.#mode = Mode.Colon;
    return close + 1;
  }

  #colon(s: string, i: number): number {
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) continue;
      if (c !== COLON) throw new SyntaxError('heap snapshot: expected a colon after a key');
      this.#startValue();
      return i + 1;
    }
    return i;
  }

  #startValue(): void {
    this.#captured = '';
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
    this.#opened = false;
    if (this.#key === 'snapshot') this.#mode = Mode.Capture;
    else if (this.#key === 'nodes' || this.#key === 'edges') {
      this.#target = this.#key;
      const fields = (this.#key === 'nodes' ? this.#header?.meta.node_fields : this.#header?.meta.edge_fields) ?? [''];
      const count = this.#key === 'nodes' ? this.#header?.node_count : this.#header?.edge_count;
      const wanted = this.#key === 'nodes' ? this.#wantedNodeFields : undefined;
      this.#keep = Uint8Array.from(fields, (field) => (wanted === undefined || wanted.includes(field) ? 1 : 0));
      this.#field = 0;
      const kept = this.#keep.reduce((sum, keep) => sum + keep, 0);
      if (this.#key === 'nodes') {
        this.#allNodeFields = fields.length;
        this.#keptNodeFields = kept;
      }
      this.#toNodeField = this.#key === 'edges' && this.#keptNodeFields !== this.#allNodeFields ? fields.indexOf('to_node') : -1;
      this.#column = new Uint32Array(Math.max(1024, (count ?? 0) * kept));
      this.#length = 0;
      this.#value = 0;
      this.#inNumber = false;
      this.#mode = Mode.Ints;
    } else if (this.#key === 'strings') {
      this.#strings = [];
      this.#pending = '';
      this.#mode = Mode.Strings;
    } else this.#mode = Mode.Skip;
  }

  /** Walks over one JSON value of any shape, keeping its text when capturing the header. */
  #skipValue(s: string, start: number): number {
    let i = start;
    let finished = false;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
        continue;
      }
      if (c === QUOTE) this.#inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.#depth++;
      else if (this.#depth > 0 && (c === CLOSE_BRACE || c === CLOSE_BRACKET)) {
        if (--this.#depth === 0) {
          i++;
          finished = true;
          break;
        }
      } else if (this.#depth === 0 && (c === COMMA || c === CLOSE_BRACE)) {
        finished = true;
        break;
      }
    }
    const capturing = this.#mode === Mode.Capture;
    if (capturing) this.#captured += s.slice(start, i);
    if (finished) {
      if (capturing) {
        this.#header = JSON.parse(this.#captured) as SnapshotHeader;
        this.#captured = '';
      }
      this.#mode = Mode.Top;
    }
    return i;
  }

  /** The current chunk's UTF-16 code units, made when integers are read from it. */
  #units: Uint16Array | undefined;

  /**
   * One native copy of the chunk's code units: reading them from a typed array is about 1.5x
   * faster than `charCodeAt` per character, which matters over the megabytes of digits.
   */
  #codeUnits(s: string): Uint16Array {
    const buffer = Buffer.allocUnsafeSlow(s.length * 2);
    buffer.write(s, 'utf16le');
    // utf16le bytes read as native-endian units: swapped on a big-endian machine (s390x).
    if (BIG_ENDIAN) buffer.swap16();
    return (this.#units = new Uint16Array(buffer.buffer, buffer.byteOffset, s.length));
  }

  #ints(s: string, start: number): number {
    let i = start;
    if (!this.#opened) {
      for (; i < s.length && isSpace(s.charCodeAt(i)); i++);
      if (i === s.length) return i;
      if (s.charCodeAt(i) !== OPEN_BRACKET) throw new SyntaxError(`heap snapshot: ${this.#target} is not an array`);
      this.#opened = true;
      i++;
    }
    let column = this.#column,
      length = this.#length,
      value = this.#value,
      inNumber = this.#inNumber;
    let field = this.#field;
    const keep = this.#keep;
    const fieldCount = keep.length;
    const toNodeField = this.#toNodeField;
    const allNodeFields = this.#allNodeFields;
    const keptNodeFields = this.#keptNodeFields;
    const n = s.length;
    const units = this.#units ?? this.#codeUnits(s);
    for (; i < n; i++) {
      const c = units[i]!;
      if (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        inNumber = true;
        continue;
      }
      if (c === COMMA || c === CLOSE_BRACKET || isSpace(c)) {
        if (inNumber) {
          if (keep[field] === 1) {
            // Keeps `to_node` an offset into the nodes as stored.
            if (field === toNodeField) value = (value / allNodeFields) * keptNodeFields;
            if (length === column.length) column = grow(column, column.length * 2);
            if (value > 0xffffffff && column instanceof Uint32Array) column = Float64Array.from(column);
            column[length++] = value;
          }
          if (++field === fieldCount) field = 0;
          value = 0;
          inNumber = false;
        }
        if (c === CLOSE_BRACKET) {
          const done = column.length === length ? column : grow(column, length);
          if (this.#target === 'nodes') this.#nodes = done;
          else this.#edges = done;
          this.#column = new Uint32Array(0);
          this.#mode = Mode.Top;
          return i + 1;
        }
        continue;
      }
      throw new SyntaxError(`heap snapshot: ${this.#target} holds ${s[i]}, expected non-negative integers`);
    }
    this.#column = column;
    this.#length = length;
    this.#value = value;
    this.#inNumber = inNumber;
    this.#field = field;
    return i;
  }

  #stringList(s: string, i: number): number {
    const n = s.length;
    if (!this.#opened) {
      for (; i < n && isSpace(s.charCodeAt(i)); i++);
      if (i === n) return i;
      if (s.charCodeAt(i) !== OPEN_BRACKET) throw new SyntaxError('heap snapshot: strings is not an array');
      this.#opened = true;
      i++;
    }
    while (i < n) {
      if (this.#inString) {
        i = this.#stringBody(s, i);
        continue;
      }
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.#inString = true;
        this.#pending = '';
        this.#pendingEscapes = false;
        i++;
      } else if (c === CLOSE_BRACKET) {
        this.#mode = Mode.Top;
        return i + 1;
      } else if (c === COMMA || isSpace(c)) i++;
      else throw new SyntaxError(`heap snapshot: strings holds ${s[i]}, expected strings`);
    }
    return i;
  }

  /** Reads string text up to its closing quote or the chunk's end. */
  #stringBody(s: string, start: number): number {
    let i = start;
    const n = s.length;
    if (!this.#escaped) {
      const quote = s.indexOf('"', i);
      // Looked up once per chunk and again only when passed, or many short strings would rescan.
      if (this.#slashAt !== -1 && this.#slashAt < i) this.#slashAt = s.indexOf('\\', i);
      const slash = this.#slashAt;
      if (slash === -1 || (quote !== -1 && slash > quote)) {
        // The common case: no escape before the closing quote.
        if (quote === -1) {
          this.#pending += s.slice(i);
          return n;
        }
        this.#finishString(this.#pending + s.slice(i, quote));
        return quote + 1;
      }
    }
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (this.#escaped) {
        this.#escaped = false;
        continue;
      }
      if (c === BACKSLASH) {
        this.#escaped = true;
        this.#pendingEscapes = true;
        continue;
      }
      if (c === QUOTE) {
        this.#finishString(this.#pending + s.slice(start, i));
        return i + 1;
      }
    }
    this.#pending += s.slice(start, n);
    return n;
  }

  #finishString(raw: string): void {
    this.#strings.push(this.#pendingEscapes ? (JSON.parse(`"${raw}"`) as string) : raw);
    this.#inString = false;
    this.#pending = '';
    this.#pendingEscapes = false;
  }
}

const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function grow(column: IntColumn, size: number): IntColumn {
  const next = column instanceof Uint32Array ? new Uint32Array(size) : new Float64Array(size);
  next.set(column.subarray(0, Math.min(size, column.length)));
  return next;
}

/**
 * Reads a `.heapsnapshot` file (as written by `v8.writeHeapSnapshot()` or DevTools) with
 * {@link HeapSnapshotReader}, streaming it so the whole text is never in memory.
 */
export async function readHeapSnapshotFile(path: string, options: HeapSnapshotReaderOptions = {}): Promise<ParsedHeapSnapshot> {
  const reader = new HeapSnapshotReader(options);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) reader.push(chunk as string);
  return reader.end();
}
