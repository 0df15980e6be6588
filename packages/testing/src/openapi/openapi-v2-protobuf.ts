/**
 * Encodes a swagger 2.0 document as the protobuf kubectl asks for (`Accept:
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's `openapi.v2.Document` message, written
 * from its `.proto` field numbers with a small wire-format writer. Vendor extensions, defaults, enums and examples
 * travel as YAML text in `Any.yaml` (JSON is valid YAML), as gnostic's compiler produces them.
 *
 * @module
 */

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const encoder = new TextEncoder();

/** A protobuf writer: fields appended in order, nested messages length-prefixed. */
class Writer {
  #chunks: Uint8Array[] = [];
  #buf = new Uint8Array(1024);
  #pos = 0;
  length = 0;

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    this.#chunks.push(this.#buf.subarray(0, this.#pos));
    this.#buf = new Uint8Array(Math.max(1024, n));
    this.#pos = 0;
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
    this.length++;
  }

  varint(n: number): void {
    // Non-negative integers below 2^53; negative int64 values are written as ten-byte two's complement.
    if (n < 0) {
      let big = BigInt.asUintN(64, BigInt(n));
      for (let i = 0; i < 10; i++) {
        const b = Number(big & 0x7fn);
        big >>= 7n;
        this.#byte(big === 0n ? b : b | 0x80);
        if (big === 0n) return;
      }
      return;
    }
    while (n >= 0x80) {
      this.#byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.#byte(n);
  }

  bytes(data: Uint8Array): void {
    this.#ensure(data.length);
    this.#buf.set(data, this.#pos);
    this.#pos += data.length;
    this.length += data.length;
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  string(field: number, value: Json, keepEmpty = false): void {
    if (typeof value !== "string" || (value === "" && !keepEmpty)) return;
    const data = encoder.encode(value);
    this.tag(field, 2);
    this.varint(data.length);
    this.bytes(data);
  }

  strings(field: number, values: Json): void {
    if (!Array.isArray(values)) return;
    for (const v of values) this.string(field, typeof v === "string" ? v : String(v), true);
  }

  bool(field: number, value: Json, keepFalse = false): void {
    if (typeof value !== "boolean" || (!value && !keepFalse)) return;
    this.tag(field, 0);
    this.varint(value ? 1 : 0);
  }

  int64(field: number, value: Json): void {
    if (typeof value !== "number" || value === 0 || !Number.isInteger(value)) return;
    this.tag(field, 0);
    this.varint(value);
  }

  double(field: number, value: Json): void {
    if (typeof value !== "number" || value === 0) return;
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.bytes(b);
  }

  message(field: number, write: (w: Writer) => void): void {
    const child = new Writer();
    write(child);
    this.tag(field, 2);
    this.varint(child.length);
    for (const chunk of child.finish()) this.bytes(chunk);
  }

  finish(): Uint8Array[] {
    return [...this.#chunks, this.#buf.subarray(0, this.#pos)];
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.finish()) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** `Any { yaml = 2 }`. */
function any(w: Writer, field: number, value: Json): void {
  if (value === undefined) return;
  w.message(field, (a) => a.string(2, `${JSON.stringify(value)}\n`, true));
}

/** Vendor extensions (`x-*` keys) as `NamedAny`. */
function vendor(w: Writer, field: number, o: Obj): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith("x-")) continue;
    w.message(field, (n) => {
      n.string(1, k);
      any(n, 2, v);
    });
  }
}

function externalDocs(w: Writer, field: number, v: Json): void {
  if (!isObj(v)) return;
  w.message(field, (d) => {
    d.string(1, v.description);
    d.string(2, v.url);
    vendor(d, 3, v);
  });
}

function schema(w: Writer, s: Obj): void {
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(3, s.title);
  w.string(4, s.description);
  any(w, 5, s.default);
  w.double(6, s.multipleOf);
  w.double(7, s.maximum);
  w.bool(8, s.exclusiveMaximum);
  w.double(9, s.minimum);
  w.bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength);
  w.int64(12, s.minLength);
  w.string(13, s.pattern);
  w.int64(14, s.maxItems);
  w.int64(15, s.minItems);
  w.bool(16, s.uniqueItems);
  w.int64(17, s.maxProperties);
  w.int64(18, s.minProperties);
  w.strings(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  const ap = s.additionalProperties;
  if (typeof ap === "boolean") w.message(21, (m) => m.bool(2, ap, true));
  else if (isObj(ap)) w.message(21, (m) => m.message(1, (c) => schema(c, ap)));
  if (typeof s.type === "string") w.message(22, (t) => t.string(1, s.type, true));
  else if (Array.isArray(s.type)) w.message(22, (t) => t.strings(1, s.type));
  const items = s.items;
  if (isObj(items)) w.message(23, (i) => i.message(1, (c) => schema(c, items)));
  else if (Array.isArray(items))
    w.message(23, (i) => {
      for (const it of items) if (isObj(it)) i.message(1, (c) => schema(c, it));
    });
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isObj(a)) w.message(24, (c) => schema(c, a));
  const props = s.properties;
  if (isObj(props))
    w.message(25, (p) => {
      for (const [name, value] of Object.entries(props)) {
        if (!isObj(value)) continue;
        p.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (c) => schema(c, value));
        });
      }
    });
  w.string(26, s.discriminator);
  w.bool(27, s.readOnly);
  externalDocs(w, 29, s.externalDocs);
  any(w, 30, s.example);
  vendor(w, 31, s);
}

function primitivesItems(w: Writer, p: Obj): void {
  w.string(1, p.type);
  w.string(2, p.format);
  if (isObj(p.items)) {
    const items = p.items;
    w.message(3, (c) => primitivesItems(c, items));
  }
  w.string(4, p.collectionFormat);
  any(w, 5, p.default);
  w.double(6, p.maximum);
  w.bool(7, p.exclusiveMaximum);
  w.double(8, p.minimum);
  w.bool(9, p.exclusiveMinimum);
  w.int64(10, p.maxLength);
  w.int64(11, p.minLength);
  w.string(12, p.pattern);
  w.int64(13, p.maxItems);
  w.int64(14, p.minItems);
  w.bool(15, p.uniqueItems);
  if (Array.isArray(p.enum)) for (const e of p.enum) any(w, 16, e);
  w.double(17, p.multipleOf);
  vendor(w, 18, p);
}

/** Query and form-data parameters share one layout; path and header parameters another (no allowEmptyValue). */
function nonBodyParameter(w: Writer, p: Obj): void {
  const withEmpty = p.in === "query" || p.in === "formData";
  const o = withEmpty ? 1 : 0;
  w.bool(1, p.required);
  w.string(2, p.in);
  w.string(3, p.description);
  w.string(4, p.name);
  if (withEmpty) w.bool(5, p.allowEmptyValue);
  w.string(5 + o, p.type);
  w.string(6 + o, p.format);
  if (isObj(p.items)) {
    const items = p.items;
    w.message(7 + o, (c) => primitivesItems(c, items));
  }
  w.string(8 + o, p.collectionFormat);
  any(w, 9 + o, p.default);
  w.double(10 + o, p.maximum);
  w.bool(11 + o, p.exclusiveMaximum);
  w.double(12 + o, p.minimum);
  w.bool(13 + o, p.exclusiveMinimum);
  w.int64(14 + o, p.maxLength);
  w.int64(15 + o, p.minLength);
  w.string(16 + o, p.pattern);
  w.int64(17 + o, p.maxItems);
  w.int64(18 + o, p.minItems);
  w.bool(19 + o, p.uniqueItems);
  if (Array.isArray(p.enum)) for (const e of p.enum) any(w, 20 + o, e);
  w.double(21 + o, p.multipleOf);
  vendor(w, 22 + o, p);
}

const NON_BODY_FIELD: Readonly<Record<string, number>> = { header: 1, formData: 2, query: 3, path: 4 };

/** `Parameter`: a body parameter or one of the non-body kinds. */
function parameter(w: Writer, p: Obj): void {
  if (p.in === "body") {
    w.message(1, (b) => {
      b.string(1, p.description);
      b.string(2, p.name);
      b.string(3, p.in);
      b.bool(4, p.required);
      if (isObj(p.schema)) {
        const s = p.schema;
        b.message(5, (c) => schema(c, s));
      }
      vendor(b, 6, p);
    });
    return;
  }
  const field = NON_BODY_FIELD[String(p.in)];
  if (field === undefined) return;
  w.message(2, (nb) => nb.message(field, (c) => nonBodyParameter(c, p)));
}

function parametersItem(w: Writer, field: number, p: Json): void {
  if (!isObj(p)) return;
  w.message(field, (item) => {
    if (typeof p.$ref === "string")
      item.message(2, (r) => {
        r.string(1, p.$ref);
        r.string(2, p.description);
      });
    else item.message(1, (c) => parameter(c, p));
  });
}

function response(w: Writer, r: Obj): void {
  w.string(1, r.description, true);
  if (isObj(r.schema)) {
    const s = r.schema;
    w.message(2, (si) => {
      if (s.type === "file")
        si.message(2, (f) => {
          f.string(1, s.format);
          f.string(2, s.title);
          f.string(3, s.description);
          f.string(6, s.type);
        });
      else si.message(1, (c) => schema(c, s));
    });
  }
  vendor(w, 5, r);
}

function operation(w: Writer, op: Obj): void {
  w.strings(1, op.tags);
  w.string(2, op.summary);
  w.string(3, op.description);
  externalDocs(w, 4, op.externalDocs);
  w.string(5, op.operationId);
  w.strings(6, op.produces);
  w.strings(7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) parametersItem(w, 8, p);
  const responses = op.responses;
  if (isObj(responses))
    w.message(9, (rs) => {
      for (const [code, r] of Object.entries(responses)) {
        if (code.startsWith("x-") || !isObj(r)) continue;
        rs.message(1, (n) => {
          n.string(1, code, true);
          n.message(2, (rv) => {
            if (typeof r.$ref === "string") rv.message(2, (ref) => ref.string(1, r.$ref));
            else rv.message(1, (c) => response(c, r));
          });
        });
      }
      vendor(rs, 2, responses);
    });
  w.strings(10, op.schemes);
  w.bool(11, op.deprecated);
  securityRequirements(w, 12, op.security);
  vendor(w, 13, op);
}

const METHOD_FIELD: Readonly<Record<string, number>> = {
  get: 2,
  put: 3,
  post: 4,
  delete: 5,
  options: 6,
  head: 7,
  patch: 8,
};

function pathItem(w: Writer, item: Obj): void {
  w.string(1, item.$ref);
  for (const [method, field] of Object.entries(METHOD_FIELD)) {
    const op = item[method];
    if (isObj(op)) w.message(field, (c) => operation(c, op));
  }
  if (Array.isArray(item.parameters)) for (const p of item.parameters) parametersItem(w, 9, p);
  vendor(w, 10, item);
}

function securityRequirements(w: Writer, field: number, list: Json): void {
  if (!Array.isArray(list)) return;
  for (const req of list) {
    if (!isObj(req)) continue;
    w.message(field, (sr) => {
      for (const [name, scopes] of Object.entries(req))
        sr.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (sa) => sa.strings(1, scopes));
        });
    });
  }
}

/**
 * Encodes a swagger 2.0 document as gnostic's `openapi.v2.Document` protobuf.
 *
 * @param doc the parsed swagger document
 * @returns the protobuf bytes
 */
export function encodeOpenApiV2Protobuf(doc: Readonly<Record<string, unknown>>): Uint8Array {
  const w = new Writer();
  w.string(1, doc.swagger);
  const info = doc.info;
  if (isObj(info))
    w.message(2, (i) => {
      i.string(1, info.title);
      i.string(2, info.version);
      i.string(3, info.description);
      i.string(4, info.termsOfService);
      vendor(i, 7, info);
    });
  w.string(3, doc.host);
  w.string(4, doc.basePath);
  w.strings(5, doc.schemes);
  w.strings(6, doc.consumes);
  w.strings(7, doc.produces);
  const paths = doc.paths;
  if (isObj(paths))
    w.message(8, (ps) => {
      vendor(ps, 1, paths);
      for (const [path, item] of Object.entries(paths)) {
        if (path.startsWith("x-") || !isObj(item)) continue;
        ps.message(2, (n) => {
          n.string(1, path, true);
          n.message(2, (c) => pathItem(c, item));
        });
      }
    });
  const definitions = doc.definitions;
  if (isObj(definitions))
    w.message(9, (ds) => {
      for (const [name, def] of Object.entries(definitions)) {
        if (!isObj(def)) continue;
        ds.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (c) => schema(c, def));
        });
      }
    });
  const parameters = doc.parameters;
  if (isObj(parameters))
    w.message(10, (pd) => {
      for (const [name, p] of Object.entries(parameters)) {
        if (!isObj(p)) continue;
        pd.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (c) => parameter(c, p));
        });
      }
    });
  const responses = doc.responses;
  if (isObj(responses))
    w.message(11, (rd) => {
      for (const [name, r] of Object.entries(responses)) {
        if (!isObj(r)) continue;
        rd.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (c) => response(c, r));
        });
      }
    });
  securityRequirements(w, 12, doc.security);
  const secDefs = doc.securityDefinitions;
  if (isObj(secDefs))
    w.message(13, (sd) => {
      for (const [name, def] of Object.entries(secDefs)) {
        if (!isObj(def)) continue;
        sd.message(1, (n) => {
          n.string(1, name, true);
          n.message(2, (item) => {
            if (def.type === "apiKey")
              item.message(2, (k) => {
                k.string(1, def.type);
                k.string(2, def.name);
                k.string(3, def.in);
                k.string(4, def.description);
                vendor(k, 5, def);
              });
            else if (def.type === "basic")
              item.message(1, (b) => {
                b.string(1, def.type);
                b.string(2, def.description);
                vendor(b, 3, def);
              });
          });
        });
      }
    });
  if (Array.isArray(doc.tags))
    for (const t of doc.tags)
      if (isObj(t))
        w.message(14, (tag) => {
          tag.string(1, t.name);
          tag.string(2, t.description);
          externalDocs(tag, 3, t.externalDocs);
          vendor(tag, 4, t);
        });
  externalDocs(w, 15, doc.externalDocs);
  vendor(w, 16, doc);
  return w.toBytes();
}
