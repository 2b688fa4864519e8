/**
 * Deadlines that all have the same length (one integration's timeout), kept in arrival order so
 * one timer serves all of them. Adding and cancelling are O(1) and allocate one small node, instead
 * of creating and clearing a Node timer (and closures) per request on the hot path.
 */

/** Something that a deadline expires (an object, so no closure is allocated per deadline). */
export interface Expirable {
  expire(): void;
}

/** A pending deadline. */
export interface Deadline {
  /** Stops the deadline; false when it had already fired or been cancelled. */
  cancel(): boolean;
}

class DeadlineNode implements Deadline {
  prev: DeadlineNode | undefined;
  next: DeadlineNode | undefined;
  constructor(
    readonly queue: DeadlineQueue,
    public target: Expirable | undefined,
    readonly at: number,
  ) {}

  cancel(): boolean {
    if (this.target === undefined) return false;
    this.queue.unlink(this);
    return true;
  }
}

/** A queue of same-length deadlines. */
export class DeadlineQueue {
  readonly #timeoutMs: number;
  #head: DeadlineNode | undefined;
  #tail: DeadlineNode | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Calls `target.expire()` after the timeout unless cancelled first. */
  add(target: Expirable): Deadline {
    const node = new DeadlineNode(this, target, performance.now() + this.#timeoutMs);
    node.prev = this.#tail;
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
    if (this.#timer === undefined) this.#arm(node.at);
    return node;
  }

  /** Removes a node (internal: called by the node's cancel and by expiry). */
  unlink(node: DeadlineNode): void {
    node.target = undefined;
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
      const target = node.target;
      this.unlink(node);
      target?.expire();
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
