/**
 * Parsers for the source documents in ../shared/seeds, used by tests/fidelity.test.ts to check the
 * built-in banks against the text they quote.
 *
 * They know the layout of these two documents only (headings, "- " bullets, " - »" sub-bullets, TIP
 * paragraphs, tags in `**…**` or bare at the end of a line) and throw on anything they do not expect, so
 * a change to a seed shows up as a parse error rather than as a silently shorter list.
 */

export interface SeedItem {
  /** `assess`, `plan`, `do` or `review`. */
  stage: string;
  /** 1-based line number in the seed. */
  line: number;
  /** 0 for a "- " bullet, 1 for a " - »" sub-bullet. */
  depth: 0 | 1;
  text: string;
  tags: string[];
  /** Index (in `items`) of the bullet a sub-bullet belongs to. */
  parent: number | null;
  /** Index (in its stage's `sections`) of the section the item is in. */
  section: number;
  /** A paragraph between this bullet and its sub-bullets, e.g. "You may want to think about…". */
  lead?: string;
}

export interface SeedSection {
  /** The heading without its tags; null where the source has no heading (Do, Review). */
  title: string | null;
  tags: string[];
  /** Paragraphs between the heading and the first bullet. */
  intro: string[];
  tips: string[];
}

export interface SeedStage {
  id: string;
  /** The heading as printed, e.g. "STEP I: ASSESS". */
  heading: string;
  /** 1 to 4, from the stage's position. */
  ordinal: number;
  introduction: string[];
  /** TIPs that come before the stage's first section (none in the current seed). */
  tips: string[];
  sections: SeedSection[];
}

export interface SeedKeyPrinciple {
  id: string;
  title: string;
  text: string;
}

export interface SeedRecommendation {
  id: string;
  title: string;
  text: string;
  evidence: 'strong' | 'good' | 'promising';
}

export interface ReflectiveToolSeed {
  keyPrinciples: SeedKeyPrinciple[];
  recommendations: SeedRecommendation[];
  allTag: string;
  stages: SeedStage[];
  /** Every bullet and sub-bullet of the four stages, in source order. */
  items: SeedItem[];
}

export interface SeedEvidenceRating {
  id: string;
  definition: string;
}

export interface SeedKeyQuestion {
  question: string;
  paragraphs: string[];
}

export interface ElectedMembersSeed {
  introduction: string;
  keyPrinciples: SeedKeyPrinciple[];
  recommendations: SeedRecommendation[];
  evidenceRatings: SeedEvidenceRating[];
  keyQuestions: SeedKeyQuestion[];
}

const TAG = /^(?:KP\d|R\d|ALL)$/;
const TRAILING_TAGS = /^(.*?)((?:\s+(?:KP\d|R\d|ALL))+)\s*$/;

/**
 * Splits a line into its text and the trailing run of tags, after removing the `**` bold markers:
 * `"Practical support **R1**"` → `{ text: "Practical support", tags: ["R1"] }`.
 */
export function splitTags(line: string): { text: string; tags: string[] } {
  const plain = line.replaceAll('**', '');
  const match = TRAILING_TAGS.exec(plain);
  if (!match) return { text: plain.trim(), tags: [] };
  const tags = (match[2] ?? '').trim().split(/\s+/);
  if (!tags.every((t) => TAG.test(t))) throw new Error(`unexpected tag run in: ${line}`);
  return { text: (match[1] ?? '').trim(), tags };
}

function evidenceId(word: string): SeedRecommendation['evidence'] {
  const id = word.toLowerCase();
  if (id === 'strong' || id === 'good' || id === 'promising') return id;
  throw new Error(`unknown evidence rating: ${word}`);
}

function toLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The next non-blank line after `from`, with its index. */
function nextParagraph(lines: string[], from: number): { text: string; index: number } {
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() !== '') return { text: line.trim(), index: i };
  }
  throw new Error(`no paragraph after line ${from + 1}`);
}

const STAGE_HEADING = /^STEP ([0-9IVX]+): ([A-Z]+)$/;
const STAGES_END = 'This resource is part of a set of publications';
const BULLET = /^- (.*)$/;
const SUB_BULLET = /^ - » (.*)$/;

/** Parses seed 000, the Reflective Tool. */
export function parseReflectiveTool(text: string): ReflectiveToolSeed {
  const lines = toLines(text);

  const keyPrinciples: SeedKeyPrinciple[] = [];
  const recommendations: SeedRecommendation[] = [];
  let allTag: string | undefined;
  let firstStage = -1;
  for (let i = 0; i < lines.length && firstStage < 0; i++) {
    const line = lines[i] ?? '';
    const kp = /^Key Principle (\d) \*\*(KP\d)\*\*$/.exec(line);
    const rec = /^Recommendation (\d) \*\*(R\d)\*\*$/.exec(line);
    if (kp) {
      keyPrinciples.push({
        id: kp[2] ?? '',
        title: `Key Principle ${kp[1]}`,
        text: nextParagraph(lines, i).text,
      });
    } else if (rec) {
      const body = nextParagraph(lines, i);
      const rating = /^(STRONG|GOOD|PROMISING) EVIDENCE$/.exec(nextParagraph(lines, body.index).text);
      if (!rating) throw new Error(`no evidence rating after line ${body.index + 1}`);
      recommendations.push({
        id: rec[2] ?? '',
        title: `Recommendation ${rec[1]}`,
        text: body.text,
        evidence: evidenceId(rating[1] ?? ''),
      });
    } else if (line.startsWith('Where a question corresponds')) {
      allTag = line.replaceAll('**', '').trim();
    } else if (STAGE_HEADING.test(line)) {
      firstStage = i;
    }
  }
  if (firstStage < 0) throw new Error('no "STEP …" heading found');
  if (allTag === undefined) throw new Error('no sentence explaining ALL found');

  const stages: SeedStage[] = [];
  const items: SeedItem[] = [];
  let stage: SeedStage | undefined;
  let section: SeedSection | undefined;
  let sectionHasItems = false;
  let tipNext = false;
  let lastTop: number | null = null;

  for (let i = firstStage; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    if (raw.startsWith(STAGES_END)) break;
    if (raw.trim() === '') continue;

    const heading = STAGE_HEADING.exec(raw);
    if (heading) {
      stage = {
        id: (heading[2] ?? '').toLowerCase(),
        heading: raw,
        ordinal: stages.length + 1,
        introduction: [],
        tips: [],
        sections: [],
      };
      stages.push(stage);
      section = undefined;
      sectionHasItems = false;
      tipNext = false;
      lastTop = null;
      continue;
    }
    if (!stage) throw new Error(`line ${lineNo}: text before the first stage`);

    const bullet = BULLET.exec(raw);
    const sub = SUB_BULLET.exec(raw);
    if (bullet || sub) {
      if (!section) {
        // Do and Review have their bullets straight after the introduction, with no heading.
        section = { title: null, tags: [], intro: [], tips: [] };
        stage.sections.push(section);
      }
      sectionHasItems = true;
      const { text: itemText, tags } = splitTags((bullet ?? sub)?.[1] ?? '');
      if (sub && lastTop === null) throw new Error(`line ${lineNo}: "»" sub-bullet with no bullet above it`);
      items.push({
        stage: stage.id,
        line: lineNo,
        depth: sub ? 1 : 0,
        text: itemText,
        tags,
        parent: sub ? lastTop : null,
        section: stage.sections.length - 1,
      });
      if (bullet) lastTop = items.length - 1;
      continue;
    }
    if (raw.startsWith(' ') || raw.startsWith('-')) throw new Error(`line ${lineNo}: unexpected bullet form`);

    const paragraph = raw.trim();
    if (paragraph === 'TIP') {
      tipNext = true;
      continue;
    }
    if (tipNext) {
      (section ?? stage).tips.push(paragraph);
      tipNext = false;
      continue;
    }
    // Headings are the only paragraphs without closing punctuation ("Lived experience", "…carers R4").
    if (!/[.:?]$/.test(paragraph)) {
      const { text: title, tags } = splitTags(paragraph);
      section = { title, tags, intro: [], tips: [] };
      stage.sections.push(section);
      sectionHasItems = false;
      lastTop = null;
      continue;
    }
    if (!section) {
      stage.introduction.push(paragraph);
    } else if (!sectionHasItems) {
      section.intro.push(paragraph);
    } else {
      const parent = lastTop === null ? undefined : items[lastTop];
      if (!parent || parent.lead !== undefined) throw new Error(`line ${lineNo}: stray paragraph`);
      parent.lead = paragraph;
    }
  }
  if (tipNext) throw new Error('TIP heading with no text after it');

  return { keyPrinciples, recommendations, allTag, stages, items };
}

/** Parses seed 001, the Summary for Elected Members. */
export function parseElectedMembers(text: string): ElectedMembersSeed {
  const lines = toLines(text);
  const introduction = lines.find((l) => l.startsWith('This document summarises'));
  if (!introduction) throw new Error('no introduction ("This document summarises…") found');

  const keyPrinciples: SeedKeyPrinciple[] = [];
  const recommendations: SeedRecommendation[] = [];
  const evidenceRatings: SeedEvidenceRating[] = [];
  const keyQuestions: SeedKeyQuestion[] = [];
  const columns: SeedRecommendation['evidence'][] = ['strong', 'good', 'promising'];
  let inQuestions = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('KEY QUESTIONS FOR STRENGTHENING LOCAL SUPPORT')) {
      inQuestions = true;
      continue;
    }
    if (inQuestions) {
      if (line.startsWith('This resource is part of a set')) {
        inQuestions = false;
        continue;
      }
      const paragraph = line.trim();
      if (paragraph === '') continue;
      if (paragraph.endsWith('?')) {
        keyQuestions.push({ question: paragraph, paragraphs: [] });
      } else {
        const last = keyQuestions.at(-1);
        if (!last) throw new Error(`line ${i + 1}: paragraph before the first key question`);
        last.paragraphs.push(paragraph);
      }
      continue;
    }
    const kp = /^Key Principle (\d): (.*)$/.exec(line);
    if (kp) {
      keyPrinciples.push({ id: `KP${kp[1]}`, title: `Key Principle ${kp[1]}`, text: (kp[2] ?? '').trim() });
      continue;
    }
    const rec = /^(\d)\. (.*)$/.exec(line);
    if (rec) {
      const cells = (rec[2] ?? '').split('\t');
      const ticked = cells.slice(1).findIndex((c) => c.includes('✓'));
      const evidence = columns[ticked];
      if (!evidence) throw new Error(`line ${i + 1}: no evidence column ticked`);
      recommendations.push({
        id: `R${rec[1]}`,
        title: `Recommendation ${rec[1]}`,
        text: (cells[0] ?? '').trim(),
        evidence,
      });
      continue;
    }
    const rating = /^(STRONG|GOOD|PROMISING) EVIDENCE$/.exec(line);
    if (rating) {
      evidenceRatings.push({ id: evidenceId(rating[1] ?? ''), definition: nextParagraph(lines, i).text });
    }
  }
  return { introduction: introduction.trim(), keyPrinciples, recommendations, evidenceRatings, keyQuestions };
}
