/**
 * The CodeLens figures already asked, keyed by the backend that answered and the query asked.
 * A backend is the object that sent the request, not its display name: the local store and a
 * configured Tempo, the store of this window and another's (both "local store"), or a backend
 * rebuilt after its settings changed, never share an answer. Pure; least recently stored first
 * out once `max` answers are kept.
 */
export class LensResults<R> {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly answers = new Map<string, R>();

  constructor(private readonly max = 2000) {}

  /** The key of `query` asked of `backend` (for requests in flight, beside the answers). */
  key(backend: object, query: string): string {
    let id = this.ids.get(backend);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(backend, id);
    }
    return `${id}\n${query}`;
  }

  /** What `backend` answered to `query`, if kept. */
  get(backend: object, query: string): R | undefined {
    return this.answers.get(this.key(backend, query));
  }

  /** Keeps `backend`'s answer to `query` (replacing an older one), dropping the oldest past `max`. */
  set(backend: object, query: string, answer: R): void {
    const key = this.key(backend, query);
    this.answers.delete(key);
    this.answers.set(key, answer);
    while (this.answers.size > this.max) {
      const oldest = this.answers.keys().next().value;
      if (oldest === undefined) break;
      this.answers.delete(oldest);
    }
  }

  /** The kept answers of `backend`. */
  *of(backend: object): IterableIterator<R> {
    const id = this.ids.get(backend);
    if (id === undefined) return;
    const prefix = `${id}\n`;
    for (const [key, answer] of this.answers) if (key.startsWith(prefix)) yield answer;
  }

  /** Every kept answer, of every backend. */
  values(): IterableIterator<R> {
    return this.answers.values();
  }

  /** Forgets every answer. */
  clear(): void {
    this.answers.clear();
  }
}
