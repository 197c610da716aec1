/**
 * The difference of two sequences of strings: Myers' O(ND) algorithm, with the same choices as
 * jsdiff's `diffArrays` (tests/myers.test.ts checks both give identical results), specialised to
 * strings compared with `===`. jsdiff's general version (options, comparators, callbacks) spent
 * ~6 ms of a 100 ms `diff` run on a fully changed cycle; this one a fraction of that.
 */

/** A run of the result: tokens both sides share, or tokens only `from` (removed) or `to` (added) has. */
export interface SequencePart {
  value: string[];
  count: number;
  added: boolean;
  removed: boolean;
}

/** One step of an edit path, linked backwards. */
interface Component {
  count: number;
  added: boolean;
  removed: boolean;
  previous: Component | undefined;
}

/** The furthest point reached on one diagonal: the position in `from` and how it got there. */
interface PathHead {
  oldPos: number;
  last: Component | undefined;
}

function extend(head: PathHead, added: boolean, removed: boolean, oldPosInc: number): PathHead {
  const last = head.last;
  if (last && last.added === added && last.removed === removed) {
    return {
      oldPos: head.oldPos + oldPosInc,
      last: { count: last.count + 1, added, removed, previous: last.previous },
    };
  }
  return { oldPos: head.oldPos + oldPosInc, last: { count: 1, added, removed, previous: last } };
}

/** Follow the diagonal while both sides agree; returns the position reached in `to`. */
function followSnake(
  head: PathHead,
  from: readonly string[],
  to: readonly string[],
  diagonal: number,
): number {
  let oldPos = head.oldPos;
  let newPos = oldPos - diagonal;
  const start = oldPos;
  while (newPos + 1 < to.length && oldPos + 1 < from.length && from[oldPos + 1] === to[newPos + 1]) {
    newPos++;
    oldPos++;
  }
  if (oldPos > start)
    head.last = { count: oldPos - start, added: false, removed: false, previous: head.last };
  head.oldPos = oldPos;
  return newPos;
}

function build(last: Component | undefined, from: readonly string[], to: readonly string[]): SequencePart[] {
  const components: Component[] = [];
  for (let c = last; c; c = c.previous) components.push(c);
  components.reverse();
  const parts: SequencePart[] = [];
  let newPos = 0;
  let oldPos = 0;
  for (const c of components) {
    if (c.removed) {
      parts.push({
        value: from.slice(oldPos, oldPos + c.count),
        count: c.count,
        added: false,
        removed: true,
      });
      oldPos += c.count;
    } else {
      parts.push({
        value: to.slice(newPos, newPos + c.count),
        count: c.count,
        added: c.added,
        removed: false,
      });
      newPos += c.count;
      if (!c.added) oldPos += c.count;
    }
  }
  return parts;
}

/**
 * The longest edit script searched for. The search costs about the square of the script's length, so
 * two unrelated 100,000-line answers would take hours; past this many edits the result is "all of
 * `from` removed, all of `to` added" around the lines both share at the start and the end, which is
 * what a reader would make of such a change anyway. (jsdiff's `maxEditLength` does the same job.)
 */
export const MAX_EDIT_LENGTH = 4000;

/** The whole of `from` replaced by the whole of `to`, keeping a common start and end. */
function replaceAll(from: readonly string[], to: readonly string[]): SequencePart[] {
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let end = 0;
  while (
    end < from.length - start &&
    end < to.length - start &&
    from[from.length - 1 - end] === to[to.length - 1 - end]
  )
    end++;
  const parts: SequencePart[] = [];
  const part = (value: string[], added: boolean, removed: boolean) => {
    if (value.length > 0) parts.push({ value, count: value.length, added, removed });
  };
  part(from.slice(0, start), false, false);
  part(from.slice(start, from.length - end), false, true);
  part(to.slice(start, to.length - end), true, false);
  part(from.slice(from.length - end), false, false);
  return parts;
}

/** The parts that turn `from` into `to`, shortest edit first, removals before additions. */
export function diffSequences(from: readonly string[], to: readonly string[]): SequencePart[] {
  const newLen = to.length;
  const oldLen = from.length;
  // the furthest head on each diagonal (oldPos - newPos, from -newLen - 1 to oldLen + 1), by index
  // diagonal + offset
  const offset = newLen + 1;
  const best: (PathHead | undefined)[] = new Array(oldLen + newLen + 3).fill(undefined);
  const first: PathHead = { oldPos: -1, last: undefined };
  best[offset] = first;
  let newPos = followSnake(first, from, to, 0);
  if (first.oldPos + 1 >= oldLen && newPos + 1 >= newLen) return build(first.last, from, to);

  let minDiagonal = Number.NEGATIVE_INFINITY;
  let maxDiagonal = Number.POSITIVE_INFINITY;
  const maxEdit = newLen + oldLen;
  for (let edit = 1; edit <= maxEdit; edit++) {
    if (edit > MAX_EDIT_LENGTH) return replaceAll(from, to);
    const lo = Math.max(minDiagonal, -edit);
    const hi = Math.min(maxDiagonal, edit);
    for (let diagonal = lo; diagonal <= hi; diagonal += 2) {
      const removeHead = best[diagonal - 1 + offset];
      const addHead = best[diagonal + 1 + offset];
      if (removeHead) best[diagonal - 1 + offset] = undefined;
      let canAdd = false;
      if (addHead) {
        const addNewPos = addHead.oldPos - diagonal;
        canAdd = addNewPos >= 0 && addNewPos < newLen;
      }
      const canRemove = removeHead !== undefined && removeHead.oldPos + 1 < oldLen;
      if (!canAdd && !canRemove) {
        best[diagonal + offset] = undefined;
        continue;
      }
      // branch from the neighbour furthest along `from` that stays inside the edit graph
      const head =
        !canRemove || (canAdd && (removeHead as PathHead).oldPos < (addHead as PathHead).oldPos)
          ? extend(addHead as PathHead, true, false, 0)
          : extend(removeHead as PathHead, false, true, 1);
      newPos = followSnake(head, from, to, diagonal);
      if (head.oldPos + 1 >= oldLen && newPos + 1 >= newLen) return build(head.last, from, to);
      best[diagonal + offset] = head;
      if (head.oldPos + 1 >= oldLen) maxDiagonal = Math.min(maxDiagonal, diagonal - 1);
      if (newPos + 1 >= newLen) minDiagonal = Math.max(minDiagonal, diagonal + 1);
    }
  }
  // unreachable: an edit script of length oldLen + newLen always exists
  return build(undefined, from, to);
}
