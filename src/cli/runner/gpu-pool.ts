/**
 * GPU slots: a trial takes `perTrial` GPUs from the pool and gives them back when its process
 * group is gone, so a GPU never serves two trials at once.
 * @module
 */

/** A pool of GPU ids. */
export class GpuPool {
  private readonly free: string[];
  private readonly waiters: Array<() => void> = [];
  private readonly busy = new Set<string>();

  constructor(
    gpus: readonly string[],
    readonly perTrial: number,
  ) {
    if (!Number.isInteger(perTrial) || perTrial < 1)
      throw new RangeError(`perTrial must be ≥ 1, got ${perTrial}`);
    if (perTrial > gpus.length)
      throw new RangeError(`perTrial ${perTrial} exceeds the ${gpus.length} GPU(s)`);
    this.free = [...gpus];
  }

  /** How many trials can hold GPUs at once. */
  get slots(): number {
    return Math.floor((this.free.length + this.busy.size) / this.perTrial);
  }

  /** Waits for `perTrial` free GPUs and takes them (lowest ids first). */
  async acquire(): Promise<string[]> {
    while (this.free.length < this.perTrial) await new Promise<void>((r) => this.waiters.push(r));
    const taken = this.free.splice(0, this.perTrial);
    for (const g of taken) {
      if (this.busy.has(g)) throw new Error(`GPU ${g} handed out twice`);
      this.busy.add(g);
    }
    return taken;
  }

  /** Gives GPUs back. */
  release(gpus: readonly string[]): void {
    for (const g of gpus) {
      if (!this.busy.delete(g)) throw new Error(`GPU ${g} released but not held`);
      this.free.push(g);
    }
    this.free.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const waiters = this.waiters.splice(0);
    for (const w of waiters) w();
  }
}
