/**
 * A Map for a rebuild's in-memory working set: only recently used values stay objects; the others
 * are kept as their JSON text, one flat string each, which the garbage collector does not trace,
 * and are parsed back when asked for. A log's events for one row come close together, so few come
 * back. Values must be plain JSON (what the read-model rows already are).
 *
 * Recency is generational, not a strict LRU (which would reorder a Map on every read): values set
 * go to a young generation; when it holds `hot` values, the old generation goes cold and the young
 * one becomes old. Iteration goes over a snapshot of the keys (cold values parsed for the caller,
 * not made hot again), so a caller may set while it iterates.
 */
export class ColdMap<V> extends Map<string, V> {
  #young = new Map<string, V>();
  #old = new Map<string, V>();
  readonly #cold = new Map<string, string>();
  readonly #hot: number;

  constructor(hot: number) {
    super();
    this.#hot = Math.max(1, hot);
  }

  override get(key: string): V | undefined {
    const value = this.#young.get(key) ?? this.#old.get(key);
    if (value !== undefined) return value;
    const text = this.#cold.get(key);
    if (text === undefined) return undefined;
    const revived = JSON.parse(text) as V;
    this.set(key, revived);
    return revived;
  }

  override set(key: string, value: V): this {
    this.#young.set(key, value);
    if (this.#old.size > 0) this.#old.delete(key);
    if (this.#cold.size > 0) this.#cold.delete(key);
    if (this.#young.size >= this.#hot) {
      for (const [k, v] of this.#old) this.#cold.set(k, JSON.stringify(v));
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
  }

  override get size(): number {
    return this.#young.size + this.#old.size + this.#cold.size;
  }

  /** The value without making it hot (a cold one is parsed for the caller only). */
  peek(key: string): V | undefined {
    const value = this.#young.get(key) ?? this.#old.get(key);
    if (value !== undefined) return value;
    const text = this.#cold.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as V);
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
