/**
 * Journeys in a real pseudo-terminal: answer two items, press Ctrl-C, reopen, and find the third
 * item waiting with the first two saved; paste several lines; Ctrl-C mid-typing keeps a draft that
 * is offered and restored; edit one word of a pre-filled answer; change only the rating; Esc backs out;
 * the Plan stage asks for the priorities' order once; the personal-data warning marks the line.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CycleFile } from '../src/core/types.ts';
import { binPath, childEnv, runCli, stripAnsi } from './helpers/run-cli.ts';

type Pty = import('@lydell/node-pty').IPty;

let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-pty-'));
  const init = await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

interface Session {
  pty: Pty;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exit: Promise<number>;
}

async function start(args: string[], options: { cols?: number; cwd?: string } = {}): Promise<Session> {
  const { spawn } = await import('@lydell/node-pty');
  const env = childEnv({ NO_COLOR: undefined, TERM: 'xterm-256color' }) as Record<string, string>;
  const pty = spawn(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? root,
    env,
    cols: options.cols ?? 120,
    rows: 40,
    name: 'xterm-256color',
  });
  let out = '';
  pty.onData((d) => {
    out += d;
  });
  const exit = new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
  let seen = 0;
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const fresh = stripAnsi(out.slice(seen));
      const m = pattern.exec(fresh);
      if (m) {
        // remember where we are, so the next wait looks only at newer output
        seen = out.length;
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${pattern}; screen so far:\n${stripAnsi(out).slice(-2000)}`);
  };
  return { pty, output: () => stripAnsi(out), waitFor, exit };
}

/** Answer the question whose menu is on screen (the caller waited for it). */
async function answerCurrent(s: Session, text: string): Promise<void> {
  s.pty.write('\r'); // the first choice: write an answer
  await s.waitFor(/Ctrl-D save/);
  s.pty.write(text);
  await s.waitFor(new RegExp(text.slice(-10).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  s.pty.write('\x04'); // Ctrl-D saves
  // the text is saved as soon as it is confirmed, before the rating is asked
  await s.waitFor(/Saved [\s\S]*How well is this in place locally\?/);
  s.pty.write('\r'); // keep the default (no rating)
}

describe('interview in a real terminal', () => {
  it('Ctrl-C exits 130 after saving, and reopening resumes at the third item', async () => {
    const first = await start(['interview', '--cycle', 'pty', '--stage', 'assess']);
    try {
      await first.waitFor(/Question 1 of 52[\s\S]*What would you like to do\?/);
      await answerCurrent(first, 'First answer typed in a terminal.');
      await first.waitFor(/Question 2 of 52[\s\S]*What would you like to do\?/);
      await answerCurrent(first, 'Second answer.');
      await first.waitFor(/Question 3 of 52[\s\S]*What would you like to do\?/);
      first.pty.write('\x03');
      expect(await first.exit).toBe(130);
      expect(first.output()).toMatch(
        /interrupted\. Everything you confirmed is saved in reflections\/pty\.json/,
      );
    } finally {
      first.pty.kill();
    }
    const saved = JSON.parse(
      await fs.readFile(path.join(root, 'reflections', 'pty.json'), 'utf8'),
    ) as CycleFile;
    expect(Object.keys(saved.answers)).toEqual(['assess.carers.demographics', 'assess.carers.connection']);
    expect(saved.answers['assess.carers.demographics']?.text).toEqual(['First answer typed in a terminal.']);

    const second = await start(['interview', '--cycle', 'pty', '--stage', 'assess']);
    try {
      await second.waitFor(
        /Resuming where you left off: question 3 of 52\.[\s\S]*Question 3 of 52[\s\S]*What would you like to do\?/,
      );
      second.pty.write('\x03');
      expect(await second.exit).toBe(130);
    } finally {
      second.pty.kill();
    }
  });
});

const CTRL_D = '\x04';
const ESC = '\x1b';
const cyclePath = () => path.join(root, 'reflections', 'pty.json');
const readSaved = async () => JSON.parse(await fs.readFile(cyclePath(), 'utf8')) as CycleFile;

/** Open the interview on Assess and wait for the first question's menu. */
async function openFirst(cols = 120): Promise<Session> {
  const s = await start(['interview', '--cycle', 'pty', '--stage', 'assess'], { cols });
  await s.waitFor(/Question 1 of 52[\s\S]*What would you like to do\?/);
  return s;
}

/** Open the interview on Assess and skip the first question, to the second one's menu. */
async function openSecond(): Promise<Session> {
  const s = await openFirst();
  s.pty.write('\x1b[B\x1b[B\x1b[B\r'); // Skip this question
  await s.waitFor(/Question 2 of 52[\s\S]*What would you like to do\?/);
  return s;
}

describe('the text box in a real terminal', () => {
  it('a bracketed paste of three lines (CRLF) is saved as three lines and does not submit', async () => {
    const s = await openFirst(80);
    try {
      s.pty.write('\r');
      await s.waitFor(/Ctrl-D save/);
      s.pty.write(
        '\x1b[200~Around 240 households.\r\nMost carers are grandparents.\r\nA third work full time.\x1b[201~',
      );
      await s.waitFor(/Pasted 3 lines\./);
      expect(s.output()).not.toMatch(/Saved assess/);
      s.pty.write(CTRL_D);
      await s.waitFor(/Saved assess\.carers\.demographics: answered, 3 lines/);
      s.pty.write('\x03');
      expect(await s.exit).toBe(130);
    } finally {
      s.pty.kill();
    }
    expect((await readSaved()).answers['assess.carers.demographics']?.text).toEqual([
      'Around 240 households.',
      'Most carers are grandparents.',
      'A third work full time.',
    ]);
  });

  it('Esc after pasting keeps the lines as a draft, which the menu restores', async () => {
    const s = await openFirst(80);
    try {
      s.pty.write('\r');
      await s.waitFor(/Ctrl-D save/);
      s.pty.write('\x1b[200~Pasted one.\r\nPasted two.\r\nPasted three.\x1b[201~');
      await s.waitFor(/Pasted 3 lines\./);
      s.pty.write(ESC);
      await s.waitFor(/kept as a draft[\s\S]*Back: nothing changed\.[\s\S]*Restore my draft/);
      expect((await readSaved().catch(() => ({ answers: {} }))).answers).toEqual({});
      const drafts = path.join(root, 'reflections', 'drafts', 'pty.json');
      expect(await fs.readFile(drafts, 'utf8')).toContain('Pasted three.');
      s.pty.write('\r'); // the first choice: restore the draft
      await s.waitFor(/Pasted three\.[\s\S]*Ctrl-D save/);
      s.pty.write(CTRL_D);
      await s.waitFor(/Saved assess\.carers\.demographics: answered, 3 lines/);
      s.pty.write('\x03');
      await s.exit;
    } finally {
      s.pty.kill();
    }
    expect((await readSaved()).answers['assess.carers.demographics']?.text).toEqual([
      'Pasted one.',
      'Pasted two.',
      'Pasted three.',
    ]);
    await expect(fs.access(path.join(root, 'reflections', 'drafts', 'pty.json'))).rejects.toThrow();
  });

  it('Ctrl-C mid-typing keeps a draft that is offered next time and restores exactly', async () => {
    const first = await openFirst();
    try {
      first.pty.write('\r');
      await first.waitFor(/Ctrl-D save/);
      first.pty.write('First typed line,\rand a second one');
      await first.waitFor(/and a second one/);
      first.pty.write('\x03');
      expect(await first.exit).toBe(130);
      expect(first.output()).toMatch(
        /Kept as a draft \(not saved as an answer[^)]*\): assess\.carers\.demographics/,
      );
    } finally {
      first.pty.kill();
    }
    await expect(fs.access(cyclePath())).resolves.toBeUndefined();
    expect((await readSaved()).answers).toEqual({});
    const second = await openFirst();
    try {
      expect(second.output()).toMatch(
        /A draft you typed on [\d-]+ and did not save:\s+\| First typed line,\s+\| and a second one/,
      );
      second.pty.write('\r'); // the first choice: restore the draft
      await second.waitFor(/and a second one[\s\S]*Ctrl-D save/);
      second.pty.write(CTRL_D);
      await second.waitFor(/Saved assess\.carers\.demographics: answered, 2 lines/);
      second.pty.write('\x03');
      await second.exit;
    } finally {
      second.pty.kill();
    }
    expect((await readSaved()).answers['assess.carers.demographics']?.text).toEqual([
      'First typed line,',
      'and a second one',
    ]);
    await expect(fs.access(path.join(root, 'reflections', 'drafts', 'pty.json'))).rejects.toThrow();
  });

  it('editing one word of a five-line answer changes one line of the cycle file; Esc changes nothing', async () => {
    const five = ['Line one.', 'Line two.', 'Line three has a typo: teh word.', 'Line four.', 'Line five.'];
    const seeded = await runCli(
      ['answer', 'assess.carers.connection', '--cycle', 'pty', '--rating', 'amber'],
      {
        cwd: root,
        input: `${five.join('\n')}\n`,
      },
    );
    expect(seeded.code, seeded.stderr).toBe(0);
    const s = await openSecond();
    const before = await fs.readFile(cyclePath(), 'utf8');
    try {
      s.pty.write('\r'); // Edit the answer
      await s.waitFor(/Line five\.[\s\S]*Ctrl-D save/);
      s.pty.write(`${ESC}`);
      await s.waitFor(/Back: nothing changed\.[\s\S]*What would you like to do\?/);
      expect(await fs.readFile(cyclePath(), 'utf8')).toBe(before);
      s.pty.write('\r');
      await s.waitFor(/Line five\.[\s\S]*Ctrl-D save/);
      // up twice to line three, to its end, back one word and a bit: replace "teh"
      s.pty.write('\x1b[A\x1b[A\x1b[F');
      s.pty.write('\x1b[1;5D\x1b[1;5D'); // Ctrl-Left twice: before "word", then before "teh"
      s.pty.write('\x1b[3~\x1b[3~\x1b[3~the');
      await s.waitFor(/typo: the word/);
      s.pty.write(CTRL_D);
      await s.waitFor(/How well is this in place locally\?/);
      s.pty.write('\r'); // the rating stays amber (the default)
      await s.waitFor(/Question 3 of 52/);
      s.pty.write('\x03');
      await s.exit;
    } finally {
      s.pty.kill();
    }
    const after = await fs.readFile(cyclePath(), 'utf8');
    const { diffLines } = await import('diff');
    const changed = diffLines(before, after).filter((p) => p.added || p.removed);
    expect(changed.map((p) => p.value.trim())).toEqual([
      '"Line three has a typo: teh word.",',
      '"Line three has a typo: the word.",',
    ]);
  });

  it('changes only the rating', async () => {
    const seeded = await runCli(
      ['answer', 'assess.carers.connection', '--cycle', 'pty', '--rating', 'amber', '--text', 'Kept words.'],
      { cwd: root },
    );
    expect(seeded.code, seeded.stderr).toBe(0);
    const s = await openSecond();
    try {
      s.pty.write('\x1b[B\x1b[B\r'); // the third choice: Change the rating only
      await s.waitFor(/How well is this in place locally\?/);
      s.pty.write('\x1b[B\r'); // from amber down to green
      await s.waitFor(/Saved assess\.carers\.connection: answered, rated green/);
      s.pty.write('\x03');
      await s.exit;
    } finally {
      s.pty.kill();
    }
    const a = (await readSaved()).answers['assess.carers.connection'];
    expect(a).toMatchObject({ text: ['Kept words.'], rating: 'green' });
  });
});

describe('the workspace found from where you are', () => {
  it('the interview runs from inside the workspace and from a sub-folder of it', async () => {
    const ws = path.join(root, 'reflections');
    const sub = path.join(ws, 'minutes');
    await fs.mkdir(sub);
    for (const cwd of [ws, sub]) {
      const s = await start(['interview', '--cycle', 'pty', '--stage', 'assess'], { cwd });
      try {
        await s.waitFor(/answers are saved as you go in[\s\S]*pty\.json[\s\S]*What would you like to do\?/);
        s.pty.write('q');
        expect(await s.exit).toBe(0);
      } finally {
        s.pty.kill();
      }
    }
    await expect(fs.access(path.join(ws, 'pty.json'))).resolves.toBeUndefined();
    await expect(fs.access(path.join(ws, 'reflections'))).rejects.toThrow();
    await expect(fs.access(path.join(sub, 'reflections'))).rejects.toThrow();
  });
});

describe('the Plan stage in a real terminal', () => {
  it('asks for the priorities and their order once, and saves them in that order', async () => {
    const s = await start(['interview', '--cycle', 'pty', '--stage', 'plan'], { cols: 80 });
    try {
      await s.waitFor(/Which Recommendations will you prioritise this cycle, in order\?/);
      s.pty.write(' '); // R1
      s.pty.write('\x1b[B\x1b[B\x1b[B');
      s.pty.write(' '); // R4
      s.pty.write('\r');
      // the order is asked once, by short name, Enter keeping it
      await s.waitFor(/Keep them in this order\? 1\. R1, 2\. R4 \(Y\/n\)/);
      s.pty.write('\r');
      await s.waitFor(/Saved priorities: R1, R4\.[\s\S]*Why prioritise R1\?[\s\S]*Ctrl-D save/);
      s.pty.write('Most carers do not know what they are entitled to.');
      await s.waitFor(/entitled to\./);
      s.pty.write(CTRL_D);
      await s.waitFor(/Why prioritise R4\?[\s\S]*Ctrl-D save/);
      s.pty.write('Long waits for therapy.');
      await s.waitFor(/for therapy\./);
      s.pty.write(CTRL_D);
      for (const rec of ['R1', 'R4']) {
        await s.waitFor(new RegExp(`Add an action for ${rec}\\? \\(Y/n\\)`));
        s.pty.write('n\r');
      }
      await s.waitFor(/Question 1 of \d+[\s\S]*What would you like to do\?/);
      s.pty.write('q');
      expect(await s.exit).toBe(0);
    } finally {
      s.pty.kill();
    }
    const screen = s.output();
    expect(screen.match(/Which Recommendations will you prioritise/g)?.length).toBeGreaterThan(0);
    // no second round of ordering, and the order question came once
    expect(screen).not.toMatch(/Which comes first|Which comes next/);
    expect(new Set(screen.match(/Keep them in this order\?[^\n]*/g)).size).toBe(1);
    expect((await readSaved()).priorities).toEqual([
      { recommendation: 'R1', rationale: ['Most carers do not know what they are entitled to.'] },
      { recommendation: 'R4', rationale: ['Long waits for therapy.'] },
    ]);
  });
});

describe('the personal-data warning in a real terminal', () => {
  it('opens the text box with the finding’s line marked and the cursor on it', async () => {
    const s = await openFirst(80);
    try {
      s.pty.write('\r');
      await s.waitFor(/Ctrl-D save/);
      // a valid NHS number made here (9000000017), never stored in fixtures
      s.pty.write('Around 240 households.\rOne case, NHS 9000000017, needs review.');
      await s.waitFor(/needs review\./);
      s.pty.write(CTRL_D);
      await s.waitFor(/line 2: possible NHS number[\s\S]*Edit the answer \(what you typed, line 2 marked\)/);
      s.pty.write('e');
      await s.waitFor(/> Line 2 may hold personal data: possible NHS number[\s\S]*> One case, NHS/);
      // the cursor is on the number: ten Deletes take it out, then a word goes in its place
      s.pty.write('\x1b[3~'.repeat(10));
      s.pty.write('[removed]');
      await s.waitFor(/> One case, NHS \[removed\], needs review\./);
      s.pty.write(CTRL_D);
      await s.waitFor(/Saved assess\.carers\.demographics: answered, 2 lines/);
      s.pty.write('\x03');
      expect(await s.exit).toBe(130);
    } finally {
      s.pty.kill();
    }
    expect((await readSaved()).answers['assess.carers.demographics']?.text).toEqual([
      'Around 240 households.',
      'One case, NHS [removed], needs review.',
    ]);
  });
});
