/**
 * State time-to-live (SEMANTICS.md §5.1; Flink `StateTtlConfig`, `runtime/state/ttl/*`). Processing time only:
 * a value written (or, with OnReadAndWrite, read) at time `t` expires once the job's processing-time clock reaches
 * `t + ttl` (`TtlUtils.expired`: `lastAccess + ttl <= now`). Expired values are removed when they are read; the
 * config itself is not part of snapshots, the last-access timestamps are.
 *
 * @example
 * const ttl = StateTtlConfig.newBuilder(60_000).setUpdateType('OnReadAndWrite').build();
 * const seen = ctx.getState<number>({ name: 'seen', ttl });
 */

/** When the last-access timestamp is renewed (Flink `StateTtlConfig.UpdateType`). */
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';

/** Whether an expired value not yet removed may still be returned once (Flink `StateTtlConfig.StateVisibility`). */
export type TtlStateVisibility = 'NeverReturnExpired' | 'ReturnExpiredIfNotCleanedUp';

/** An immutable TTL configuration, built with `StateTtlConfig.newBuilder(ttlMs)…build()`. */
export class StateTtlConfig {
  private constructor(
    /** Time to live in milliseconds. */
    readonly ttl: number,
    readonly updateType: TtlUpdateType,
    readonly stateVisibility: TtlStateVisibility,
  ) {}

  /** Starts a config with time to live `ttlMs` (a positive integer); defaults OnCreateAndWrite, NeverReturnExpired. */
  static newBuilder(ttlMs: number): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(ttlMs);
  }

  /** @internal */
  static create(ttl: number, updateType: TtlUpdateType, visibility: TtlStateVisibility): StateTtlConfig {
    return new StateTtlConfig(ttl, updateType, visibility);
  }

  /** Same time to live, update type and visibility. */
  equals(other: StateTtlConfig | undefined): boolean {
    return (
      other !== undefined &&
      other.ttl === this.ttl &&
      other.updateType === this.updateType &&
      other.stateVisibility === this.stateVisibility
    );
  }

  toString(): string {
    return `StateTtlConfig(ttl ${this.ttl} ms, ${this.updateType}, ${this.stateVisibility})`;
  }
}

const UPDATE_TYPES: readonly TtlUpdateType[] = ['OnCreateAndWrite', 'OnReadAndWrite'];
const VISIBILITIES: readonly TtlStateVisibility[] = ['NeverReturnExpired', 'ReturnExpiredIfNotCleanedUp'];

export class StateTtlConfigBuilder {
  private updateType: TtlUpdateType = 'OnCreateAndWrite';
  private stateVisibility: TtlStateVisibility = 'NeverReturnExpired';

  /** @internal */
  constructor(private ttl: number) {
    this.setTtl(ttl);
  }

  setTtl(ttlMs: number): this {
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
      throw new RangeError(`StateTtlConfig: ttl must be a positive integer of milliseconds, got ${ttlMs}`);
    }
    this.ttl = ttlMs;
    return this;
  }

  setUpdateType(updateType: TtlUpdateType): this {
    if (!UPDATE_TYPES.includes(updateType)) {
      throw new RangeError(`StateTtlConfig: updateType must be one of ${UPDATE_TYPES.join(', ')}, got ${updateType}`);
    }
    this.updateType = updateType;
    return this;
  }

  updateTtlOnCreateAndWrite(): this {
    return this.setUpdateType('OnCreateAndWrite');
  }

  updateTtlOnReadAndWrite(): this {
    return this.setUpdateType('OnReadAndWrite');
  }

  setStateVisibility(visibility: TtlStateVisibility): this {
    if (!VISIBILITIES.includes(visibility)) {
      throw new RangeError(
        `StateTtlConfig: stateVisibility must be one of ${VISIBILITIES.join(', ')}, got ${visibility}`,
      );
    }
    this.stateVisibility = visibility;
    return this;
  }

  neverReturnExpired(): this {
    return this.setStateVisibility('NeverReturnExpired');
  }

  returnExpiredIfNotCleanedUp(): this {
    return this.setStateVisibility('ReturnExpiredIfNotCleanedUp');
  }

  build(): StateTtlConfig {
    return StateTtlConfig.create(this.ttl, this.updateType, this.stateVisibility);
  }
}

/** A stored user value with its last-access time (Flink `TtlValue`). Immutable: renewing makes a new one. */
export interface TtlValue<T> {
  readonly value: T;
  readonly lastAccess: number;
}

/** A TTL config resolved against the processing-time clock, as the state primitives use it. */
export interface TtlPolicy {
  readonly ttl: number;
  readonly updateOnRead: boolean;
  readonly returnExpired: boolean;
  readonly now: () => number;
}

export function ttlPolicy(config: StateTtlConfig, now: () => number): TtlPolicy {
  return {
    ttl: config.ttl,
    updateOnRead: config.updateType === 'OnReadAndWrite',
    returnExpired: config.stateVisibility === 'ReturnExpiredIfNotCleanedUp',
    now,
  };
}

/** `TtlUtils.expired`: expired once `lastAccess + ttl <= now`. */
export function isExpired(stored: TtlValue<unknown>, policy: TtlPolicy, now: number): boolean {
  return stored.lastAccess + policy.ttl <= now;
}
