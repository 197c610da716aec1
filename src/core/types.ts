/**
 * The data model shared by every part of kinship-reflect.
 *
 * These types mirror the JSON Schemas in `schemas/`; `tests/schema-types.test.ts` keeps them in step.
 * Once a file has passed its schema and integrity checks, the rest of the code trusts these types.
 */

// ---------------------------------------------------------------------------
// Question bank
// ---------------------------------------------------------------------------

/** A tag as the source gives it: a Key Principle, a Recommendation or ALL. */
export type Tag = string; // 'KP1'…'KP3', 'R1'…'R6', 'ALL', or whatever a custom bank defines

export type StageId = string; // 'assess' | 'plan' | 'do' | 'review' in the built-in bank

/** The stages of the default bank, in order (what shell completion offers; other banks may differ). */
export const BUILT_IN_STAGES: readonly StageId[] = ['assess', 'plan', 'do', 'review'];

/** The tags of the default bank (what shell completion offers; a custom bank may define others). */
export const BUILT_IN_TAGS: readonly Tag[] = ['KP1', 'KP2', 'KP3', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'ALL'];

export type ItemKind = 'question' | 'checklist' | 'prompt';

export interface BankSource {
  title: string;
  publisher: string;
  url: string;
  /** Who to credit and under what licence the text is used. */
  credit: string;
}

export interface EvidenceRating {
  id: string; // 'strong' | 'good' | 'promising'
  label: string; // 'Strong evidence'
  definition: string;
}

export interface KeyPrinciple {
  id: Tag; // 'KP1'
  title: string; // 'Key Principle 1'
  text: string;
}

export interface Recommendation {
  id: Tag; // 'R1'
  title: string; // 'Recommendation 1'
  text: string;
  /** Id of an entry of `evidenceRatings`. */
  evidence: string;
}

/** A term or abbreviation explained in plain words (the interview's `?`, documents' abbreviations). */
export interface GlossaryEntry {
  /** As it is written: `SGO`, `Section 17`. */
  term: string;
  /** What an abbreviation stands for: `special guardianship order`. */
  expansion?: string;
  definition: string;
  /** Other ways it is written; plurals (`SGOs`) and numbered forms (`KP1`) are found without them. */
  aliases?: string[];
}

export interface Item {
  /** Stable dotted id, e.g. `assess.carers.demographics`. Never changes once released. */
  id: string;
  kind: ItemKind;
  /** Verbatim from the source. */
  text: string;
  /** Exactly the source's tags, possibly none (an untagged lead-in). */
  tags: Tag[];
  /** Text shown between the item and its children, e.g. "You may want to think about collecting things such as:". */
  lead?: string;
  /** The "»" sub-questions. */
  children?: Item[];
}

export interface Section {
  /** Short id, unique within its stage, e.g. `carers`. */
  id: string;
  title: string;
  /** Tags printed on the section heading in the source, if any. */
  tags?: Tag[];
  /** For a Plan section: the Recommendation it belongs to. */
  recommendation?: Tag;
  intro?: string;
  tips?: string[];
  items: Item[];
}

export interface Stage {
  id: StageId;
  title: string;
  introduction: string;
  sections: Section[];
  tips?: string[];
}

export interface Bank {
  id: string;
  title: string;
  version: string;
  source: BankSource;
  /** Free text shown before the stages (about the resource, how to use it). */
  about?: string;
  evidenceRatings: EvidenceRating[];
  keyPrinciples: KeyPrinciple[];
  recommendations: Recommendation[];
  /** What the ALL tag means in this bank, if it uses it. */
  allTag?: string;
  glossary?: GlossaryEntry[];
  stages: Stage[];
  /** Old item id → new item id, so old cycle files still load. */
  renamed?: Record<string, string>;
}

/** An item with its place in the bank, as produced by `flattenBank`. */
export interface FlatItem {
  id: string;
  kind: ItemKind;
  text: string;
  tags: Tag[];
  /** Own tags, or the parent's, or the section's: what filters and coverage use. */
  effectiveTags: Tag[];
  lead?: string;
  stage: StageId;
  stageTitle: string;
  sectionId: string;
  section: string;
  parent: string | null;
  depth: number;
  /** Position in bank order, from 0. */
  index: number;
}

// ---------------------------------------------------------------------------
// Workspace and cycle files
// ---------------------------------------------------------------------------

export type QuestionStatus = 'answered' | 'needs-data' | 'skipped';
export type ChecklistStatus = 'not-started' | 'planned' | 'in-place' | 'not-applicable';
export type AnswerStatus = QuestionStatus | ChecklistStatus;
export type Rating = 'red' | 'amber' | 'green';

export const QUESTION_STATUSES: readonly QuestionStatus[] = ['answered', 'needs-data', 'skipped'];
export const CHECKLIST_STATUSES: readonly ChecklistStatus[] = [
  'not-started',
  'planned',
  'in-place',
  'not-applicable',
];
export const ANSWER_STATUSES: readonly AnswerStatus[] = [...QUESTION_STATUSES, ...CHECKLIST_STATUSES];
export const RATINGS: readonly Rating[] = ['red', 'amber', 'green'];

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface Answer {
  status: AnswerStatus;
  /** The answer (or a checklist note), one array entry per line so a one-line edit is a one-line diff. */
  text?: string[];
  /** For `needs-data`: what data is needed, one entry per line. */
  needs?: string[];
  rating?: Rating;
  /** Links or references to evidence, one per entry. */
  evidence?: string[];
  /** Pre-filled from an earlier cycle and not yet confirmed by the user. */
  carried?: string; // the id of the cycle it came from
  /** The date this answer last changed. */
  changed: IsoDate;
}

export interface Priority {
  /** A recommendation id, e.g. `R1`. */
  recommendation: Tag;
  rationale?: string[];
}

export type ActionStatus = 'planned' | 'in-progress' | 'done' | 'dropped';
export const ACTION_STATUSES: readonly ActionStatus[] = ['planned', 'in-progress', 'done', 'dropped'];

export interface ActionHistoryEntry {
  date: IsoDate;
  status: ActionStatus;
  note?: string;
}

export interface Action {
  /** `A1`, `A2`, … stable across cycles when an action carries forward. */
  id: string;
  title: string;
  owner?: string;
  due?: IsoDate;
  status: ActionStatus;
  tags: Tag[];
  notes?: string[];
  history: ActionHistoryEntry[];
  /** The cycle the action was first opened in. */
  opened: string;
}

export interface CycleBankRef {
  id: string;
  version: string;
}

export const CYCLE_FORMAT = 1;

export interface CycleFile {
  format: typeof CYCLE_FORMAT;
  cycle: string;
  authority: string;
  bank: CycleBankRef;
  /** The cycle this one was carried forward from, if any. */
  from?: string;
  priorities: Priority[];
  /** Keyed by item id, in bank order; answers to items the bank no longer has are kept at the end. */
  answers: Record<string, Answer>;
  actions: Action[];
  /**
   * Items a git merge could not settle (`kinship-reflect git merge-file`), each with both versions and
   * their base; the item itself holds our version meanwhile. Every command refuses a cycle that has
   * any until `kinship-reflect git resolve` has settled them.
   */
  conflicts?: CycleConflict[];
}

/** One item both sides of a merge changed differently. The versions are as in a cycle file. */
export interface CycleConflict {
  kind: 'answer' | 'priority' | 'priorities' | 'action';
  /** The item, recommendation or action id (`order` for the list of priorities). */
  id: string;
  /** Ours (the branch merged into), theirs (the branch merged in), and their base; absent: none. */
  ours?: unknown;
  theirs?: unknown;
  base?: unknown;
}

export interface WorkspaceConfig {
  authority: string;
  /** A built-in bank id or a path relative to the workspace. */
  bank: string;
  /** Ask for a red/amber/green self-rating after each answer. */
  ratings: boolean;
  /** Write `<cycle>.md` beside every saved `<cycle>.json`. */
  report: boolean;
}
