/**
 * Names a side output (Flink `OutputTag`). Tags are equal when their ids are equal; `ctx.output(tag, v)` emits to
 * it and `stream.getSideOutput(tag)` reads it.
 */
export class OutputTag<T = unknown> {
  /** Phantom field so `OutputTag<A>` and `OutputTag<B>` stay distinct to the type checker. */
  declare readonly __type?: T;

  constructor(readonly id: string) {
    if (typeof id !== 'string' || id.length === 0) {
      throw new TypeError('OutputTag id must be a non-empty string');
    }
  }

  toString(): string {
    return `OutputTag(${this.id})`;
  }
}
