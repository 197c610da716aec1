/**
 * The state of one interview: the workspace, the cycle as last saved, the prompter, and the one save
 * path every confirmed answer goes through.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bankTags, describeTag } from '../core/bank.ts';
import { linesToText } from '../core/cycle.ts';
import { type Draft, type DraftField, describeDraftKey, draftItemId } from '../core/drafts.ts';
import { FailureError, formatProblem, UsageError, ValidationError } from '../core/errors.ts';
import { describeGlossaryEntry, glossaryForQuestion } from '../core/glossary.ts';
import type { CycleFile, Tag } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { updateCycle } from '../shell/cycle-store.ts';
import { draftsPath, readDrafts, setDraft } from '../shell/draft-store.ts';
import { readResumeItem, saveResumeItem } from '../shell/session-state.ts';
import { displayPath, type Workspace } from '../shell/workspace.ts';
import type { Prompter } from '../ui/prompter.ts';
import type { Theme } from '../ui/theme.ts';

export class Session {
  /** The cycle as it was last read from or written to disk. */
  cycle: CycleFile;
  /** How many answers this session saved. */
  saved = 0;
  /** Text the user typed that could not be saved, kept to show at the end. */
  readonly unsaved: { label: string; text: string }[] = [];
  /** This cycle's drafts as on disk (read when the session starts). */
  drafts: Record<string, Draft> = {};
  /** The question on screen (or, with no item, a stage walked to its end), remembered for resuming. */
  at: { stage: string; item: string | undefined } | undefined;
  /** Drafts kept during this session (keys), for the message at the end. */
  readonly drafted: string[] = [];

  constructor(
    readonly ctx: CommandContext,
    readonly ws: Workspace,
    readonly prompter: Prompter,
    readonly theme: Theme,
    cycle: CycleFile,
    /** The cycle before this one, for "see last cycle's answer". */
    readonly previous: CycleFile | undefined,
  ) {
    this.cycle = cycle;
  }

  get cycleId(): string {
    return this.cycle.cycle;
  }

  /** Where the answers live, for messages. */
  get location(): string {
    return displayPath(this.ctx, path.join(this.ws.dir, `${this.cycleId}.json`));
  }

  say(text: string): void {
    this.prompter.say(text);
  }

  /** Untrusted text made safe for the terminal. */
  safe(text: string): string {
    return this.theme.safe(text);
  }

  /**
   * `?` help: what the given tags mean (or every tag of the bank), then the glossary's explanations of
   * the terms the question's `text` uses.
   */
  tagHelp(tags?: readonly Tag[], text?: string): string {
    const bank = this.ws.bank;
    const list = tags && tags.length > 0 ? tags : bankTags(bank);
    const lines = list.map((t) => this.safe(describeTag(bank, t)));
    if (list.includes('ALL') || !tags) {
      const ratings = bank.evidenceRatings.map((e) => `${e.label}: ${e.definition}`);
      lines.push('', 'Evidence ratings:', ...ratings.map((r) => this.safe(r)));
    }
    const terms = text === undefined ? [] : glossaryForQuestion(bank, text);
    if (terms.length > 0) {
      lines.push('', 'Terms in this question:', ...terms.map((t) => this.safe(describeGlossaryEntry(t))));
    }
    return lines.join('\n');
  }

  /** The item the last session of this cycle stopped at in `stage`. */
  resumeItem(stage: string): string | undefined {
    return readResumeItem(this.ws, this.cycleId, stage);
  }

  /** Remember where this session stopped (best effort, never throws). */
  async rememberPosition(): Promise<void> {
    if (this.at) await saveResumeItem(this.ws, this.cycleId, this.at.stage, this.at.item);
  }

  /** Read this cycle's drafts; a broken drafts file is reported and left alone. */
  async loadDrafts(): Promise<void> {
    try {
      this.drafts = await readDrafts(this.ws, this.cycleId);
    } catch (error) {
      // a drafts file that is broken, too large, a link or not a file: the interview goes on without it
      if (!(error instanceof ValidationError || error instanceof UsageError)) throw error;
      this.say(
        this.theme.warn(`Note: ${this.safe(error.message.replace(/\.$/, ''))}; its drafts are not offered.`),
      );
      if (error instanceof ValidationError)
        for (const p of error.problems) this.say(`  ${this.safe(formatProblem(p))}`);
      this.drafts = {};
    }
  }

  /**
   * Keep text that was typed but not saved as an answer as a draft of `key`, so it is offered the next
   * time. Says nothing (the terminal may be gone); when even the draft cannot be written (the disk
   * that refused the answer refuses it too), the text is printed at the end so it can be copied.
   */
  async keepDraft(key: string, field: DraftField, lines: readonly string[]): Promise<void> {
    const text = [...lines];
    while (text.length > 0 && (text[text.length - 1] as string).trim() === '') text.pop();
    if (text.length === 0) return;
    const draft: Draft = { field, text, saved: this.ctx.today() };
    try {
      await setDraft(this.ws, this.cycleId, key, draft);
      this.drafts[key] = draft;
      if (!this.drafted.includes(key)) this.drafted.push(key);
    } catch {
      this.unsaved.push({ label: draftItemId(key) ?? key, text: linesToText(text) });
    }
  }

  /** Remove the draft of `key` (it was saved as an answer, restored and saved, or discarded). */
  async dropDraft(key: string): Promise<void> {
    if (!(key in this.drafts)) return;
    try {
      await setDraft(this.ws, this.cycleId, key, undefined);
      delete this.drafts[key];
      const at = this.drafted.indexOf(key);
      if (at >= 0) this.drafted.splice(at, 1);
    } catch (error) {
      this.say(
        this.theme.warn(`Note: the draft of ${key} could not be removed (${(error as Error).message}).`),
      );
    }
  }

  /** What was kept as drafts and recovery files this session, in words (empty when nothing). */
  draftReport(): string {
    const lines: string[] = [];
    if (this.drafted.length > 0) {
      const where = displayPath(this.ctx, draftsPath(this.ws, this.cycleId));
      lines.push(
        this.drafted.length === 1
          ? `Kept as a draft (not saved as an answer; offered when you come back to it): ${describeDraftKey(this.drafted[0] as string)} — in ${where}.`
          : `Kept as drafts (not saved as answers; each offered when you come back to it): ${this.drafted.map(describeDraftKey).join(', ')} — in ${where}.`,
      );
    }
    return lines.join('\n');
  }

  /**
   * Save a change to the cycle. Under the store's lock the file is re-read, so answers saved meanwhile
   * by another process are kept. When the disk refuses, the user chooses: try again, write what they
   * typed to a recovery file, or see it printed so nothing is lost. Returns false if not saved.
   */
  async save(
    mutate: (cycle: CycleFile) => void,
    typed: { label: string; lines?: string[]; draft?: { key: string; field: DraftField } },
  ): Promise<boolean> {
    for (;;) {
      try {
        this.cycle = await updateCycle(this.ws, this.cycleId, mutate, {
          create: true,
          warn: (m) => this.say(this.theme.warn(`Note: ${m}`)),
        });
        this.saved++;
        return true;
      } catch (error) {
        // a disk that refuses, or a cycle file that someone else broke meanwhile: either way the text
        // just typed must not be lost with the session
        if (error instanceof ValidationError) {
          this.say(this.theme.error(`Not saved: ${this.location} is no longer a valid cycle file:`));
          for (const p of error.problems) this.say(`  ${this.safe(formatProblem(p))}`);
          this.say('Restore it (for example from git), then try again.');
        } else if (error instanceof FailureError) {
          this.say(this.theme.error(`Not saved: ${error.message}`));
          if (error.hint) this.say(error.hint);
        } else {
          throw error;
        }
        const text = linesToText(typed.lines);
        const keepTyped = async (): Promise<void> => {
          if (typed.draft && typed.lines?.length)
            await this.keepDraft(typed.draft.key, typed.draft.field, typed.lines);
          else if (text !== '') this.unsaved.push({ label: typed.label, text });
        };
        let choice: string;
        try {
          choice = await this.prompter.select('What would you like to do?', [
            { value: 'retry', label: 'Try again', key: 'r' },
            { value: 'recover', label: 'Write what I typed to a recovery file and go on', key: 'w' },
            {
              value: 'keep',
              label: typed.draft
                ? 'Go on; keep what I typed as a draft of this question'
                : 'Go on; show what I typed again when I finish',
              key: 'g',
            },
          ]);
        } catch (stop) {
          // Ctrl-C or the end of input here must not lose the text either
          await keepTyped();
          throw stop;
        }
        if (choice === 'retry') continue;
        if (choice === 'recover') {
          const file = await this.writeRecovery(typed.label, text);
          if (file) {
            this.say(`What you typed is in ${file}. Copy it back in when the problem is fixed.`);
            return false;
          }
          this.say('The recovery file could not be written either.');
        }
        await keepTyped();
        return false;
      }
    }
  }

  private async writeRecovery(label: string, text: string): Promise<string | undefined> {
    const safeLabel = label.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
    for (const dir of [os.homedir(), os.tmpdir()]) {
      const file = path.join(dir, `kinship-reflect-recovery-${this.cycleId}-${safeLabel}.txt`);
      try {
        await fs.writeFile(file, `${label}\n\n${text}\n`, { mode: 0o600 });
        return file;
      } catch {
        /* try the next folder */
      }
    }
    return undefined;
  }

  /** At the end: anything typed but not saved is shown so it can be copied. */
  flushUnsaved(): void {
    for (const u of this.unsaved) {
      this.say(`Not saved — ${u.label}:\n${this.safe(u.text)}\n`);
    }
  }
}
