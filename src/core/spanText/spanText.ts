/**
 * The text of a trace's spans beyond names and services, in columns, for the panel's search:
 * attribute values, event names, event attribute values and status messages. Each distinct
 * string is stored once (`strings`); span `i` refers to `refs[offsets[i] .. offsets[i + 1])`.
 * The webview tests a search term once per distinct string, then walks the refs: a free-text
 * search over 100k spans stays a few typed-array passes, and the texts cross to the webview as
 * two typed arrays and one string table instead of 100k detail objects.
 */
import type { AttributeValue, SpanDetail } from '../../shared/model';

/** Span texts in columns (see the module comment). */
export interface SpanText {
  strings: string[];
  /** `spanCount + 1` entries: span `i`'s refs are `refs[offsets[i]] … refs[offsets[i + 1] - 1]`. */
  offsets: Uint32Array;
  /** Indexes into `strings`. */
  refs: Uint32Array;
}

/** What `buildSpanText` reads: the span count and a span's detail (a `DecodedTrace` is one). */
export interface SpanTextSource {
  model: { spanCount: number };
  detail(index: number): SpanDetail | undefined;
}

/** Longest text kept per value: a search term is short, a 1 MB stack trace need not be copied whole. */
export const MAX_TEXT = 4096;

function text(v: AttributeValue): string | undefined {
  if (v === null) return undefined;
  const s = typeof v === 'string' ? v : String(v);
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT) : s;
}

/** Collects the searchable texts of every span. A span whose detail cannot be read has none. */
export function buildSpanText(src: SpanTextSource): SpanText {
  const n = src.model.spanCount;
  const ids = new Map<string, number>();
  const strings: string[] = [];
  const offsets = new Uint32Array(n + 1);
  let refs = new Uint32Array(Math.max(16, n * 4));
  let len = 0;
  const seen = new Set<number>();
  const add = (s: string | undefined) => {
    if (s === undefined || s === '') return;
    let id = ids.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      ids.set(s, id);
    }
    if (seen.has(id)) return;
    seen.add(id);
    if (len === refs.length) {
      const grown = new Uint32Array(refs.length * 2);
      grown.set(refs);
      refs = grown;
    }
    refs[len++] = id;
  };
  for (let i = 0; i < n; i++) {
    offsets[i] = len;
    seen.clear();
    let d: SpanDetail | undefined;
    try {
      d = src.detail(i);
    } catch {
      d = undefined;
    }
    if (!d) continue;
    for (const a of d.attributes) add(text(a.value));
    for (const e of d.events) {
      add(e.name);
      for (const a of e.attributes) add(text(a.value));
    }
    add(d.statusMessage);
  }
  offsets[n] = len;
  return { strings, offsets, refs: refs.slice(0, len) };
}
