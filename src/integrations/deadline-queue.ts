/**
 * Deadlines that all have the same length (one integration's timeout), kept in arrival order so
 * one timer serves all of them. Adding and cancelling are O(1) and allocate one small node, instead
 * of creating and clearing a Node timer per request on the hot path.
 */
export interface Deadline {
  /** Stops the deadline; false when it had already fired. */
  cancel(): boolean;
}

interface Node extends Deadline {
  at: number;
  onExpire: () => void;
  prev: Node | undefined;
  next: Node | undefined;
  live: boolean;
}

/** A queue of same-length deadlines. */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  #head: Node | undefined;
  #tail: Node | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Calls `onExpire` after the timeout unless cancelled first. */
  add(onExpire: () => void): Deadline {
    const unlink = (n: Node): void => this.#unlink(n);
    const node: Node = {
      at: performance.now() + this.#timeoutMs,
      onExpire,
      prev: this.#tail,
      next: undefined,
      live: true,
      cancel() {
        if (!node.live) return false;
        unlink(node);
        return true;
      },
    };
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    if (this.#timer === undefined) this.#arm(node.at);
    return node;
  }

  #unlink(node: Node): void {
    node.live = false;
    if (node.prev) node.prev.next = node.next;
    else this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.#tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
  }

  #arm(at: number): void {
    this.#timer = setTimeout(this.#fire, Math.max(0, Math.ceil(at - performance.now())));
    this.#timer.unref();
  }

  #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    while (this.#head && this.#head.at <= now) {
      const node = this.#head;
      this.#unlink(node);
      node.onExpire();
    }
    if (this.#head && this.#timer === undefined) this.#arm(this.#head.at);
  };

  /** Pending deadlines (tests). */
  get size(): number {
    let n = 0;
    for (let node = this.#head; node; node = node.next) n++;
    return n;
  }
}
