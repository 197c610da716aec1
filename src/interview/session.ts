/**
 * The state of one interview: the workspace, the cycle as last saved, the prompter, and the one save
 * path every confirmed answer goes through.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bankTags, describeTag } from '../core/bank.ts';
import { linesToText } from '../core/cycle.ts';
import { FailureError, formatProblem, ValidationError } from '../core/errors.ts';
import { describeGlossaryEntry, glossaryForQuestion } from '../core/glossary.ts';
import type { CycleFile, Tag } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { updateCycle } from '../shell/cycle-store.ts';
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

  /**
   * Save a change to the cycle. Under the store's lock the file is re-read, so answers saved meanwhile
   * by another process are kept. When the disk refuses, the user chooses: try again, write what they
   * typed to a recovery file, or see it printed so nothing is lost. Returns false if not saved.
   */
  async save(
    mutate: (cycle: CycleFile) => void,
    typed: { label: string; lines?: string[] },
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
        const choice = await this.prompter.select('What would you like to do?', [
          { value: 'retry', label: 'Try again', key: 'r' },
          { value: 'recover', label: 'Write what I typed to a recovery file and go on', key: 'w' },
          { value: 'keep', label: 'Go on; show what I typed again when I finish', key: 'g' },
        ]);
        if (choice === 'retry') continue;
        if (choice === 'recover') {
          const file = await this.writeRecovery(typed.label, text);
          if (file) {
            this.say(`What you typed is in ${file}. Copy it back in when the problem is fixed.`);
            return false;
          }
          this.say('The recovery file could not be written either.');
        }
        if (text !== '') this.unsaved.push({ label: typed.label, text });
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
