/**
 * Three-way, per-item merging of what a report (or another copy of a cycle) brings in.
 *
 * Every item — an answer, a priority's rationale, the list of priorities, an action — is compared in
 * three versions: as it was when the two copies parted (the base: for a report, what it showed when
 * it was written, known by its fingerprint), as the incoming side has it now (theirs), and as the
 * cycle has it now (ours):
 *
 * - unchanged on the incoming side → the cycle's current value stands, whatever it is;
 * - changed on the incoming side and unchanged in the cycle → the incoming value is taken;
 * - changed on both sides, differently → a conflict, decided by a person (or by `--prefer`).
 *
 * Without a base (a report written before fingerprints, a JSON file) nothing is removed: an item
 * only on one side is taken from that side, and an item that differs is a conflict.
 */
import { sameAnswer } from './cycle.ts';
import {
  actionFingerprint,
  answerFingerprint,
  priorityFingerprint,
  priorityOrderFingerprint,
} from './fingerprint.ts';
import type { Action, Answer, CycleConflict, CycleFile, Priority } from './types.ts';

/** What the incoming side brings, and which parts of the cycle it speaks for. */
export interface IncomingData {
  answers: Record<string, Answer>;
  priorities: Priority[];
  actions: Action[];
  /** Item ids the incoming side covers (shown, answered or not): other answers are left alone. */
  items: ReadonlySet<string>;
  /** Whether it speaks for the priorities / the actions at all. */
  hasPriorities: boolean;
  hasActions: boolean;
  /** Fingerprints of the base versions; an id without one has no known base. */
  base: {
    answers: Readonly<Record<string, string>>;
    priorities: Readonly<Record<string, string>>;
    priorityOrder?: string | undefined;
    actions: Readonly<Record<string, string>>;
  };
}

/**
 * An item changed on both sides. `base` is the version both started from, when it is known (a git
 * merge knows it; a report only has its fingerprint).
 */
export type Conflict =
  | {
      kind: 'answer';
      key: string;
      id: string;
      ours: Answer | undefined;
      theirs: Answer | undefined;
      base?: Answer | undefined;
    }
  | {
      kind: 'priority';
      key: string;
      id: string;
      ours: Priority;
      theirs: Priority;
      base?: Priority | undefined;
    }
  | {
      kind: 'priorities';
      key: string;
      id: 'order';
      ours: Priority[];
      theirs: Priority[];
      base?: Priority[] | undefined;
    }
  | {
      kind: 'action';
      key: string;
      id: string;
      ours: Action | undefined;
      theirs: Action | undefined;
      base?: Action | undefined;
    };

/**
 * How a person settled a conflict: keep the cycle's version, take the incoming one, keep both texts
 * (answers and rationales: one after the other; the list of priorities: every priority of either),
 * or a text they edited (answers and rationales).
 */
export type Choice =
  | { take: 'ours' }
  | { take: 'theirs' }
  | { take: 'both' }
  | { take: 'edited'; text: string[] };

export interface ThreeWayResult {
  cycle: CycleFile;
  /** Conflicts without a choice: `cycle` keeps the cycle's version of each. */
  conflicts: Conflict[];
  /** Keys (`answer:<id>`, `priority:<R>`, `priorities:order`, `action:<id>`) taken from the incoming side. */
  taken: string[];
}

type Decision = 'ours' | 'theirs' | 'conflict';

/** The three-way rule for one item, on fingerprints (see the module comment). */
export function decide(
  base: string | undefined,
  ours: { fingerprint: string; present: boolean },
  theirs: { fingerprint: string; present: boolean },
): Decision {
  if (ours.fingerprint === theirs.fingerprint) return 'ours';
  if (base !== undefined) {
    if (theirs.fingerprint === base) return 'ours';
    if (ours.fingerprint === base) return 'theirs';
    return 'conflict';
  }
  if (!theirs.present) return 'ours';
  if (!ours.present) return 'theirs';
  return 'conflict';
}

/** Two lists of lines one after the other, a blank line between (or whichever exists). */
function joinLines(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined || a.length === 0) return b;
  if (b === undefined || b.length === 0) return a;
  return [...a, '', ...b];
}

/** Both answers' texts kept: the cycle's status and rating, each text field one after the other. */
export function bothAnswers(ours: Answer | undefined, theirs: Answer | undefined): Answer | undefined {
  if (!ours || !theirs) return ours ?? theirs;
  const out: Answer = { status: ours.status, changed: ours.changed };
  const text = joinLines(ours.text, theirs.text);
  const needs = joinLines(ours.needs, theirs.needs);
  const evidence = [...new Set([...(ours.evidence ?? []), ...(theirs.evidence ?? [])])];
  if (text !== undefined) out.text = text;
  if (needs !== undefined) out.needs = needs;
  const rating = ours.rating ?? theirs.rating;
  if (rating !== undefined) out.rating = rating;
  if (evidence.length > 0) out.evidence = evidence;
  return out;
}

function answerChoice(c: Extract<Conflict, { kind: 'answer' }>, choice: Choice): Answer | undefined {
  switch (choice.take) {
    case 'ours':
      return c.ours;
    case 'theirs':
      return c.theirs;
    case 'both':
      return bothAnswers(c.ours, c.theirs);
    case 'edited': {
      const from = (c.ours ?? c.theirs) as Answer;
      const out: Answer = { ...from, text: choice.text };
      delete out.carried;
      return out;
    }
  }
}

function priorityChoice(c: Extract<Conflict, { kind: 'priority' }>, choice: Choice): Priority {
  switch (choice.take) {
    case 'ours':
      return c.ours;
    case 'theirs':
      return c.theirs;
    case 'both': {
      const rationale = joinLines(c.ours.rationale, c.theirs.rationale);
      return rationale === undefined ? { recommendation: c.id } : { recommendation: c.id, rationale };
    }
    case 'edited':
      return { recommendation: c.id, rationale: choice.text };
  }
}

function orderChoice(c: Extract<Conflict, { kind: 'priorities' }>, choice: Choice): Priority[] {
  if (choice.take === 'theirs') return c.theirs;
  if (choice.take === 'both') {
    const ids = new Set(c.ours.map((p) => p.recommendation));
    return [...c.ours, ...c.theirs.filter((p) => !ids.has(p.recommendation))];
  }
  return c.ours;
}

class Merger {
  readonly conflicts: Conflict[] = [];
  readonly taken: string[] = [];

  constructor(
    private readonly choices: ReadonlyMap<string, Choice>,
    private readonly today: string,
  ) {}

  /** The choice made for a conflict, or undefined (and the conflict recorded) when none was made. */
  private settle(conflict: Conflict): Choice | undefined {
    const choice = this.choices.get(conflict.key);
    if (choice === undefined) this.conflicts.push(conflict);
    else if (choice.take !== 'ours') this.taken.push(conflict.key);
    return choice;
  }

  mergeAnswers(ours: CycleFile, incoming: IncomingData, next: CycleFile): void {
    for (const id of incoming.items) {
      const mine = Object.hasOwn(ours.answers, id) ? ours.answers[id] : undefined;
      const theirs = Object.hasOwn(incoming.answers, id) ? incoming.answers[id] : undefined;
      const base = Object.hasOwn(incoming.base.answers, id) ? incoming.base.answers[id] : undefined;
      const decision = decide(
        base,
        { fingerprint: answerFingerprint(mine), present: mine !== undefined },
        { fingerprint: answerFingerprint(theirs), present: theirs !== undefined },
      );
      let value = mine;
      const key = `answer:${id}`;
      if (decision === 'theirs') {
        value = theirs;
        this.taken.push(key);
      } else if (decision === 'conflict') {
        const choice = this.settle({ kind: 'answer', key, id, ours: mine, theirs });
        if (choice) value = answerChoice({ kind: 'answer', key, id, ours: mine, theirs }, choice);
      }
      this.setAnswer(next, id, mine, value);
    }
  }

  /** An answer that differs from the cycle's gets today's date; an unchanged one keeps its own. */
  private setAnswer(next: CycleFile, id: string, mine: Answer | undefined, value: Answer | undefined): void {
    if (value === undefined) {
      delete next.answers[id];
      return;
    }
    const changed = mine && sameAnswer(mine, value) ? mine.changed : this.today;
    next.answers[id] = { ...structuredClone(value), changed };
  }

  mergePriorities(ours: CycleFile, incoming: IncomingData, next: CycleFile): void {
    if (!incoming.hasPriorities) return;
    const order = this.mergePriorityOrder(ours.priorities, incoming);
    const mine = new Map(ours.priorities.map((p) => [p.recommendation, p]));
    const theirs = new Map(incoming.priorities.map((p) => [p.recommendation, p]));
    next.priorities = order.map((id) => {
      const a = mine.get(id);
      const b = theirs.get(id);
      if (!a || !b) return structuredClone((a ?? b) as Priority);
      const base = Object.hasOwn(incoming.base.priorities, id) ? incoming.base.priorities[id] : undefined;
      const decision = decide(
        base,
        { fingerprint: priorityFingerprint(a), present: true },
        { fingerprint: priorityFingerprint(b), present: true },
      );
      const key = `priority:${id}`;
      if (decision === 'ours') return structuredClone(a);
      if (decision === 'theirs') {
        this.taken.push(key);
        return structuredClone(b);
      }
      const conflict = { kind: 'priority', key, id, ours: a, theirs: b } as const;
      const choice = this.settle(conflict);
      return structuredClone(choice ? priorityChoice(conflict, choice) : a);
    });
  }

  /** Which recommendations are priorities, in which order. Without a base: every one of either. */
  private mergePriorityOrder(ours: Priority[], incoming: IncomingData): string[] {
    const mineIds = ours.map((p) => p.recommendation);
    const theirIds = incoming.priorities.map((p) => p.recommendation);
    const base = incoming.base.priorityOrder;
    const key = 'priorities:order';
    if (base === undefined) {
      const extra = theirIds.filter((id) => !mineIds.includes(id));
      if (extra.length > 0) this.taken.push(key);
      return [...mineIds, ...extra];
    }
    const decision = decide(
      base,
      { fingerprint: priorityOrderFingerprint(ours), present: true },
      { fingerprint: priorityOrderFingerprint(incoming.priorities), present: true },
    );
    if (decision === 'ours') return mineIds;
    if (decision === 'theirs') {
      this.taken.push(key);
      return theirIds;
    }
    const conflict = { kind: 'priorities', key, id: 'order', ours, theirs: incoming.priorities } as const;
    const choice = this.settle(conflict);
    return (choice ? orderChoice(conflict, choice) : ours).map((p) => p.recommendation);
  }

  mergeActions(ours: CycleFile, incoming: IncomingData, next: CycleFile): void {
    if (!incoming.hasActions) return;
    const result = ours.actions.map((a) => structuredClone(a));
    for (const theirs of incoming.actions) {
      const at = result.findIndex((a) => a.id === theirs.id);
      const mine = at >= 0 ? result[at] : undefined;
      const base = Object.hasOwn(incoming.base.actions, theirs.id)
        ? incoming.base.actions[theirs.id]
        : undefined;
      const decision = decide(
        base,
        { fingerprint: actionFingerprint(mine), present: mine !== undefined },
        { fingerprint: actionFingerprint(theirs), present: true },
      );
      const key = `action:${theirs.id}`;
      let take = decision === 'theirs';
      if (decision === 'conflict') {
        const choice = this.settle({ kind: 'action', key, id: theirs.id, ours: mine, theirs });
        take = choice?.take === 'theirs';
      } else if (take) this.taken.push(key);
      if (!take) continue;
      if (at >= 0) result[at] = structuredClone(theirs);
      else result.push(structuredClone(theirs));
    }
    next.actions = result;
  }
}

/**
 * The cycle `ours` with `incoming` merged in, item by item (see the module comment). Conflicts with
 * an entry in `choices` (by key) are settled by it; the others keep the cycle's version and are
 * returned. Never changes `ours`.
 */
export function mergeThreeWay(
  ours: CycleFile,
  incoming: IncomingData,
  today: string,
  choices: ReadonlyMap<string, Choice> = new Map(),
): ThreeWayResult {
  const next = structuredClone(ours);
  const merger = new Merger(choices, today);
  merger.mergeAnswers(ours, incoming, next);
  merger.mergePriorities(ours, incoming, next);
  merger.mergeActions(ours, incoming, next);
  return { cycle: next, conflicts: merger.conflicts, taken: merger.taken };
}

/** Every conflict settled the same way (`--prefer cycle|report`). */
export function preferAll(conflicts: readonly Conflict[], take: 'ours' | 'theirs'): Map<string, Choice> {
  return new Map(conflicts.map((c) => [c.key, { take }]));
}

/** Put a person's choice for one conflict into `cycle` (used by `git resolve`). */
export function applyChoice(cycle: CycleFile, conflict: Conflict, choice: Choice, today: string): void {
  switch (conflict.kind) {
    case 'answer': {
      const value = answerChoice(conflict, choice);
      if (value === undefined) delete cycle.answers[conflict.id];
      else {
        const kept = choice.take === 'ours' || choice.take === 'theirs';
        cycle.answers[conflict.id] = { ...structuredClone(value), changed: kept ? value.changed : today };
      }
      return;
    }
    case 'priority': {
      const value = priorityChoice(conflict, choice);
      cycle.priorities = cycle.priorities.map((p) =>
        p.recommendation === conflict.id ? structuredClone(value) : p,
      );
      return;
    }
    case 'priorities': {
      const wanted = orderChoice(conflict, choice);
      const current = new Map(cycle.priorities.map((p) => [p.recommendation, p]));
      cycle.priorities = wanted.map((p) => structuredClone(current.get(p.recommendation) ?? p));
      return;
    }
    case 'action': {
      const value = choice.take === 'theirs' ? conflict.theirs : conflict.ours;
      const at = cycle.actions.findIndex((a) => a.id === conflict.id);
      if (value === undefined) {
        if (at >= 0) cycle.actions.splice(at, 1);
      } else if (at >= 0) cycle.actions[at] = structuredClone(value);
      else cycle.actions.push(structuredClone(value));
      return;
    }
  }
}

/** A conflict as a cycle file stores it, and back. */
export function storedConflict(c: Conflict): CycleConflict {
  const out: CycleConflict = { kind: c.kind, id: c.id };
  if (c.ours !== undefined) out.ours = c.ours;
  if (c.theirs !== undefined) out.theirs = c.theirs;
  if (c.base !== undefined) out.base = c.base;
  return out;
}

export function conflictFromStored(c: CycleConflict): Conflict {
  return { ...c, key: `${c.kind === 'priorities' ? 'priorities' : c.kind}:${c.id}` } as Conflict;
}
