// Flood requests yield at the door: a submission from an address sending many leads (past a tenth of its frequency
// limit, see isBusyAddress) waits its turn, one request per turn of the event loop, so the legitimate requests that
// arrive meanwhile are read and screened first.

export interface FloodGateOptions {
  /** How long an address stays marked after its last busy lead. */
  readonly holdMs?: number;
  /** Most addresses remembered; the oldest mark is forgotten first. */
  readonly maxAddresses?: number;
  readonly now?: () => number;
}

export interface FloodGate {
  /** The address just sent a lead that makes it busy. */
  mark(address: string): void;
  isMarked(address: string): boolean;
  /**
   * Resolves on a later turn of the event loop, one waiter per turn, oldest first. In between, Node reads every
   * socket that is ready, so a legitimate request never queues behind a burst of flood requests' parsing and
   * screening; the flood is still served in full, only later.
   */
  turn(): Promise<void>;
  /** Flood requests waiting for their turn. */
  readonly waiting: number;
}

export function createFloodGate(options: FloodGateOptions = {}): FloodGate {
  const holdMs = options.holdMs ?? 10_000;
  const maxAddresses = options.maxAddresses ?? 10_000;
  const now = options.now ?? Date.now;
  /** Address → when its mark ends; insertion order is the order of last marking. */
  const marks = new Map<string, number>();
  const queue: (() => void)[] = [];
  let pumping = false;

  const pump = () => {
    const next = queue.shift();
    if (next) next();
    if (queue.length > 0) setImmediate(pump);
    else pumping = false;
  };

  return {
    mark(address) {
      marks.delete(address);
      marks.set(address, now() + holdMs);
      if (marks.size > maxAddresses) {
        const oldest = marks.keys().next();
        if (!oldest.done) marks.delete(oldest.value);
      }
    },
    isMarked(address) {
      const until = marks.get(address);
      if (until === undefined) return false;
      if (until > now()) return true;
      marks.delete(address);
      return false;
    },
    turn() {
      return new Promise<void>((resolve) => {
        queue.push(resolve);
        if (!pumping) {
          pumping = true;
          setImmediate(pump);
        }
      });
    },
    get waiting() {
      return queue.length;
    },
  };
}
