/**
 * A Map for a rebuild's in-memory working set: only recently used values stay objects; the others
 * are kept as their JSON text (UTF-8) in large off-heap buffers, which the garbage collector
 * neither traces nor moves, and are parsed back when asked for. A log's events for one row come
 * close together, so few come back (a value that comes back and goes cold again is written anew;
 * its old bytes stay unused). Values must be plain JSON (what the read-model rows already are).
 *
 * Recency is generational, not a strict LRU (which would reorder a Map on every read): values set
 * go to a young generation; when it holds `hot` values, the old generation goes cold and the young
 * one becomes old. Iteration goes over a snapshot of the keys (cold values parsed for the caller,
 * not made hot again), so a caller may set while it iterates.
 */
/** Bytes per arena buffer; a value's location packs (buffer, offset, length) into one number. */
const ARENA_BYTES = 2 ** 26;
const LENGTH_BITS = 2 ** 20;

class Arena {
  readonly #buffers: Buffer[] = [];
  #offset = ARENA_BYTES;

  /** Stores the text; its location, or null when it does not fit an entry (kept as a string then). */
  put(text: string): number | null {
    const bytes = Buffer.byteLength(text);
    if (bytes >= LENGTH_BITS) return null;
    if (this.#offset + bytes > ARENA_BYTES) {
      this.#buffers.push(Buffer.allocUnsafe(ARENA_BYTES));
      this.#offset = 0;
    }
    const index = this.#buffers.length - 1;
    (this.#buffers[index] as Buffer).write(text, this.#offset);
    const at = (index * ARENA_BYTES + this.#offset) * LENGTH_BITS + bytes;
    this.#offset += bytes;
    return at;
  }

  get(at: number): string {
    const bytes = at % LENGTH_BITS;
    const start = (at - bytes) / LENGTH_BITS;
    const offset = start % ARENA_BYTES;
    const buffer = this.#buffers[(start - offset) / ARENA_BYTES] as Buffer;
    return buffer.toString('utf8', offset, offset + bytes);
  }

  clear(): void {
    this.#buffers.length = 0;
    this.#offset = ARENA_BYTES;
  }
}

export class ColdMap<V> extends Map<string, V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();
  /** Cold values: their location in the arena, or (too large for it) their text. */
  readonly #cold = new Map<string, number | string>();
  readonly #arena = new Arena();
  readonly #hot: number;

  constructor(hot: number) {
    super();
    this.#hot = Math.max(1, hot);
  }

  override get(key: string): V | undefined {
    const value = this.#young.get(key) ?? this.#old.get(key);
    if (value !== undefined) return value;
    const revived = this.#thaw(key);
    if (revived !== undefined) this.set(key, revived);
    return revived;
  }

  override set(key: string, value: V): this {
    this.#young.set(key, value);
    if (this.#old.size > 0) this.#old.delete(key);
    if (this.#cold.size > 0) this.#cold.delete(key);
    if (this.#young.size >= this.#hot) {
      for (const [k, v] of this.#old) {
        const text = JSON.stringify(v);
        this.#cold.set(k, this.#arena.put(text) ?? text);
      }
      this.#old = this.#young;
      this.#young = new Map();
    }
    return this;
  }

  override has(key: string): boolean {
    return this.#young.has(key) || this.#old.has(key) || this.#cold.has(key);
  }

  override delete(key: string): boolean {
    const young = this.#young.delete(key);
    const old = this.#old.delete(key);
    return this.#cold.delete(key) || young || old;
  }

  override clear(): void {
    this.#young.clear();
    this.#old.clear();
    this.#cold.clear();
    this.#arena.clear();
  }

  #thaw(key: string): V | undefined {
    const at = this.#cold.get(key);
    if (at === undefined) return undefined;
    return JSON.parse(typeof at === 'string' ? at : this.#arena.get(at)) as V;
  }

  override get size(): number {
    return this.#young.size + this.#old.size + this.#cold.size;
  }

  /** The value without making it hot (a cold one is parsed for the caller only). */
  peek(key: string): V | undefined {
    return this.#young.get(key) ?? this.#old.get(key) ?? this.#thaw(key);
  }

  override *keys(): MapIterator<string> {
    yield* [...this.#young.keys(), ...this.#old.keys(), ...this.#cold.keys()];
  }

  override *entries(): MapIterator<[string, V]> {
    for (const key of this.keys()) {
      const value = this.peek(key);
      if (value !== undefined) yield [key, value];
    }
  }

  override *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
