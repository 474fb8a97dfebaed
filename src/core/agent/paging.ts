/**
 * Paging, the same in every answer: a first call lists the first few items of each section; a
 * cursor (`section:offset`, from an earlier answer's "Next" lines) asks for one section from an
 * item on, a page at a time; a section cut short (by its count or by the token budget) names the
 * call for the rest and how many are left. Pure.
 */
import { call, cursor, parseCursor, type Cursor, type FollowUpArgs } from './followUp';
import { code } from './markdown';

/** How one answer pages. */
export interface PagingOptions<S extends string> {
  /** The sections a cursor may name. */
  sections: readonly S[];
  /** Items of each section a first call lists. */
  first: Readonly<Record<S, number>>;
  /** Items a cursor's call lists (more: the caller asked for this section only). */
  page: number;
  /** The tool a follow-up calls, and its arguments besides `cursor`. */
  tool: string;
  args: FollowUpArgs;
}

/** Where an answer starts and what it says about the rest. */
export class Paging<S extends string> {
  /** The section and item the cursor named; undefined on a first call or for a cursor not ours. */
  readonly at: (Cursor & { section: S }) | undefined;
  /** What the answer says first when the cursor given is not one this tool gave (it starts over). */
  readonly badCursor: string | undefined;

  constructor(
    raw: string | undefined,
    private readonly options: PagingOptions<S>,
  ) {
    this.at = parseCursor(raw, options.sections) as (Cursor & { section: S }) | undefined;
    this.badCursor =
      raw !== undefined && !this.at
        ? `The cursor ${code(raw, 40)} is not one this tool gave (expected ${expected(options.sections)}); showing the start.`
        : undefined;
  }

  /** Whether the answer lists section `s`: every section at first, the cursor's only after. */
  shows(s: S): boolean {
    return !this.at || this.at.section === s;
  }

  /** The index of the first item of `s` to list. */
  from(s: S): number {
    return this.at?.section === s ? this.at.offset : 0;
  }

  /** How many items of `s` to list at most. */
  count(s: S): number {
    return this.at ? this.options.page : this.options.first[s];
  }

  /** The items of `s` to list, out of all of them. */
  slice<T>(s: S, all: readonly T[]): T[] {
    const from = this.from(s);
    return all.slice(from, from + this.count(s));
  }

  /**
   * The "Next" line for the rest of `s` once `shown` items from `from(s)` were listed out of
   * `total`: "- Attributes (12 more): `tool` with `{…,"cursor":"attributes:30"}`"; undefined when
   * none are left.
   */
  more(s: S, label: string, shown: number, total: number): string | undefined {
    const next = this.from(s) + shown;
    if (next >= total) return undefined;
    const args = { ...this.options.args, cursor: cursor(s, next) };
    return `- ${label} (${total - next} more): ${call(this.options.tool, args)}`;
  }
}

/** "errors:N, path:N or ops:N". */
function expected(sections: readonly string[]): string {
  const each = sections.map((s) => `${s}:N`);
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} or ${each[each.length - 1]}` : (each[0] ?? '');
}

/**
 * The row a search cursor names: search answers page by a plain row number (`"20"`), not a
 * section, as the query they repeat is too long to quote in a follow-up. Undefined for anything else.
 */
export function searchOffset(raw: string): number | undefined {
  const t = raw.trim();
  return /^\d{1,4}$/.test(t) ? Number(t) : undefined;
}
