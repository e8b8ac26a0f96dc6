/**
 * Undo and redo for the measuring tools: each edit is a step that knows how to take itself back
 * and do itself again (a point added, a handle moved, a measurement kept or deleted).
 */
import { shallowRef, type ShallowRef } from 'vue';

/** One edit that can be taken back. */
export interface EditStep {
  /** For the tooltip: “Undo Move point”. */
  label: string;
  undo(): void | Promise<void>;
  redo(): void | Promise<void>;
  /** A step of the measurement being drawn: forgotten once it is kept or cancelled. */
  draft?: boolean;
}

/** The steps done and undone, newest last; reactive so buttons enable themselves. */
export interface EditHistory {
  done: ShallowRef<readonly EditStep[]>;
  undone: ShallowRef<readonly EditStep[]>;
  /** Records a step just done; it clears what could be redone. */
  record(step: EditStep): void;
  undo(): Promise<boolean>;
  redo(): Promise<boolean>;
  clear(): void;
  /** Forgets the steps of the measurement being drawn. */
  forgetDraft(): void;
}

/** A history keeping at most `limit` steps. */
export function createEditHistory(limit = 200): EditHistory {
  const done = shallowRef<readonly EditStep[]>([]);
  const undone = shallowRef<readonly EditStep[]>([]);
  // Steps run one after another: an undo pressed while the previous one is still talking to the
  // main process waits for it instead of being lost.
  let queue: Promise<unknown> = Promise.resolve();

  async function move(from: ShallowRef<readonly EditStep[]>, to: ShallowRef<readonly EditStep[]>, run: (step: EditStep) => void | Promise<void>): Promise<boolean> {
    const step = from.value[from.value.length - 1];
    if (step === undefined) return false;
    from.value = from.value.slice(0, -1);
    await run(step);
    to.value = [...to.value, step];
    return true;
  }

  function queued(action: () => Promise<boolean>): Promise<boolean> {
    const next = queue.then(action, action);
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    done,
    undone,
    record(step) {
      done.value = [...done.value, step].slice(-limit);
      undone.value = [];
    },
    undo: () => queued(() => move(done, undone, (step) => step.undo())),
    redo: () => queued(() => move(undone, done, (step) => step.redo())),
    clear() {
      done.value = [];
      undone.value = [];
    },
    forgetDraft() {
      done.value = done.value.filter((step) => step.draft !== true);
      undone.value = undone.value.filter((step) => step.draft !== true);
    }
  };
}
