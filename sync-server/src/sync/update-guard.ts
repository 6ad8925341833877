/**
 * A bounded structural check of a Yjs v1 update (and of a state vector) before the server applies it.
 *
 * Why: `Y.applyUpdate` reads structs, integrates them, and only THEN reads the delete set. A forged update
 * whose structs are fine but whose delete set is garbage throws half-way, after part of it is in the
 * document. And lib0's decoder does not throw everywhere it reads past the end (`readUint8`, `readVarInt`
 * return garbage), so a forged count can make a decode loop run for a very long time. This walk reads the
 * whole update once, byte-bounded: every count must fit in the bytes that remain, every read stays inside
 * the array, lengths are non-zero and clocks stay safe integers. Strings and JSON are skipped, not decoded:
 * Yjs parses them while reading, before it integrates anything, so a bad one cannot leave a half-applied
 * update behind. Cost: one pass over the bytes, no allocation.
 *
 * The format (yjs 13, `UpdateEncoderV1`): varUint #clients, per client {varUint #structs, varUint client,
 * varUint clock, structs}, then the delete set {varUint #clients, per client {client, #ranges, (clock,
 * len)*}}. A struct is an info byte: low 5 bits 0 = GC(len), 10 = Skip(len), else an Item: origin ID if
 * bit 8, right origin ID if bit 7, parent info if neither (varUint 1 -> root key string, else an ID),
 * parentSub string if bit 6 (and neither origin), then the content for ref = info & 31.
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** Deeper `any` values than this are refused; Crewline's records are a few levels deep. */
const MAX_ANY_DEPTH = 256;

/** Content refs (yjs `contentRefs`): which item contents the server accepts. */
const CONTENT_DELETED = 1;
const CONTENT_JSON = 2;
const CONTENT_BINARY = 3;
const CONTENT_STRING = 4;
const CONTENT_EMBED = 5;
const CONTENT_FORMAT = 6;
const CONTENT_TYPE = 7;
const CONTENT_ANY = 8;
/** Sub-documents (ref 9) are refused: Crewline documents have none, and each one is a whole Y.Doc. */
const STRUCT_GC = 0;
const STRUCT_SKIP = 10;
/** Type refs 0..6: YArray, YMap, YText, YXmlElement (+ name), YXmlFragment, YXmlHook (+ name), YXmlText. */
const TYPE_REF_MAX = 6;
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_HOOK = 5;

class Invalid extends Error {}

/** A cursor that refuses to read past the end, unlike lib0's decoder. */
class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Invalid('Unexpected end of update');
    return this.bytes[this.pos++]!;
  }

  /** lib0 varUint: 7 bits per byte, at most a safe integer. */
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (;;) {
      const r = this.byte();
      num += (r & 0x7f) * mult;
      if (num > MAX_SAFE) throw new Invalid('Integer out of range');
      if (r < 0x80) return num;
      mult *= 128;
    }
  }

  /** lib0 varInt: sign + 6 bits in the first byte, 7 bits in the rest. */
  skipVarInt(): void {
    let r = this.byte();
    let bytes = 1;
    while (r & 0x80) {
      if (++bytes > 8) throw new Invalid('Integer out of range');
      r = this.byte();
    }
  }

  skip(n: number): void {
    if (n > this.remaining) throw new Invalid('Unexpected end of update');
    this.pos += n;
  }

  /** varUint length + that many bytes (strings and byte arrays alike). */
  skipVarBytes(): number {
    const len = this.varUint();
    this.skip(len);
    return len;
  }

  /** A count of things that each take at least `minBytes`: it cannot exceed what is left. */
  count(minBytes: number): number {
    const n = this.varUint();
    if (n * minBytes > this.remaining) throw new Invalid('Count exceeds the remaining bytes');
    return n;
  }

  length(): number {
    const n = this.varUint();
    if (n === 0) throw new Invalid('Zero length');
    return n;
  }
}

function skipAny(r: Reader, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw new Invalid('Value nested too deeply');
  const type = r.byte();
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125:
      return r.skipVarInt();
    case 124:
      return r.skip(4);
    case 123:
    case 122:
      return r.skip(8);
    case 119: // string
    case 116: // Uint8Array
      r.skipVarBytes();
      return;
    case 118: {
      // object: n × (key string, value)
      const n = r.count(2);
      for (let i = 0; i < n; i++) {
        r.skipVarBytes();
        skipAny(r, depth + 1);
      }
      return;
    }
    case 117: {
      const n = r.count(1);
      for (let i = 0; i < n; i++) skipAny(r, depth + 1);
      return;
    }
    default:
      throw new Invalid(`Unknown value type ${type}`);
  }
}

/** Reads an item's content; returns the item's length in clock units. */
function skipContent(r: Reader, ref: number): number {
  switch (ref) {
    case CONTENT_DELETED:
      return r.length();
    case CONTENT_JSON: {
      const n = r.length();
      if (n > r.remaining) throw new Invalid('Count exceeds the remaining bytes');
      for (let i = 0; i < n; i++) r.skipVarBytes();
      return n;
    }
    case CONTENT_BINARY:
    case CONTENT_EMBED:
      r.skipVarBytes();
      return 1;
    case CONTENT_STRING: {
      // Yjs counts UTF-16 units; any non-empty UTF-8 string has at least one.
      const bytes = r.skipVarBytes();
      if (bytes === 0) throw new Invalid('Empty string content');
      // A UTF-8 byte is at most one UTF-16 unit: bytes bound the clock advance from above.
      return bytes;
    }
    case CONTENT_FORMAT:
      r.skipVarBytes();
      r.skipVarBytes();
      return 1;
    case CONTENT_TYPE: {
      const typeRef = r.varUint();
      if (typeRef > TYPE_REF_MAX) throw new Invalid(`Unknown type ref ${typeRef}`);
      if (typeRef === TYPE_XML_ELEMENT || typeRef === TYPE_XML_HOOK) r.skipVarBytes();
      return 1;
    }
    case CONTENT_ANY: {
      const n = r.length();
      if (n > r.remaining) throw new Invalid('Count exceeds the remaining bytes');
      for (let i = 0; i < n; i++) skipAny(r, 0);
      return n;
    }
    default:
      throw new Invalid(ref === 9 ? 'Sub-documents are not accepted' : `Unknown content ref ${ref}`);
  }
}

function skipId(r: Reader): void {
  r.varUint();
  r.varUint();
}

function checkStructs(r: Reader): void {
  const clients = r.count(3);
  for (let c = 0; c < clients; c++) {
    const structs = r.count(2);
    r.varUint(); // client id
    let clock = r.varUint();
    for (let s = 0; s < structs; s++) {
      const info = r.byte();
      const ref = info & 0x1f;
      let len: number;
      if (ref === STRUCT_GC || ref === STRUCT_SKIP) {
        // Yjs writes these as bare 0 and 10. Its readers disagree about other bits set next to them
        // (applyUpdate reads a Skip, mergeUpdates an item with invalid content): refuse the ambiguity.
        if (info !== ref) throw new Invalid('Flag bits on a GC or Skip struct');
        len = r.length();
      } else {
        const hasOrigin = (info & 0x80) !== 0;
        const hasRightOrigin = (info & 0x40) !== 0;
        if (hasOrigin) skipId(r);
        if (hasRightOrigin) skipId(r);
        if (!hasOrigin && !hasRightOrigin) {
          if (r.varUint() === 1) r.skipVarBytes();
          else skipId(r);
          if (info & 0x20) r.skipVarBytes();
        }
        len = skipContent(r, ref);
      }
      clock += len;
      if (clock > MAX_SAFE) throw new Invalid('Clock out of range');
    }
  }
}

function checkDeleteSet(r: Reader): void {
  const clients = r.count(2);
  for (let c = 0; c < clients; c++) {
    r.varUint(); // client id
    const ranges = r.count(2);
    for (let i = 0; i < ranges; i++) {
      const clock = r.varUint();
      const len = r.length();
      if (clock + len > MAX_SAFE) throw new Invalid('Clock out of range');
    }
  }
}

/** Null when `update` is a well-formed Yjs v1 update the server accepts, else the reason it is not. */
export function checkUpdate(update: Uint8Array): string | null {
  const r = new Reader(update);
  try {
    checkStructs(r);
    checkDeleteSet(r);
    if (r.remaining !== 0) return 'Trailing bytes after the update';
    return null;
  } catch (error) {
    if (error instanceof Invalid) return error.message;
    if (error instanceof RangeError) return 'Update nested too deeply';
    throw error;
  }
}

/** Null when `stateVector` is a well-formed encoded state vector, else the reason. */
export function checkStateVector(stateVector: Uint8Array): string | null {
  const r = new Reader(stateVector);
  try {
    const n = r.count(2);
    for (let i = 0; i < n; i++) {
      r.varUint();
      r.varUint();
    }
    return r.remaining === 0 ? null : 'Trailing bytes after the state vector';
  } catch (error) {
    if (error instanceof Invalid) return error.message;
    throw error;
  }
}
