/**
 * A journey in a real pseudo-terminal: answer two items, press Ctrl-C, reopen, and find the third
 * item waiting with the first two saved.
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

async function start(args: string[]): Promise<Session> {
  const { spawn } = await import('@lydell/node-pty');
  const env = childEnv({ NO_COLOR: undefined, TERM: 'xterm-256color' }) as Record<string, string>;
  const pty = spawn(process.execPath, [binPath, ...args], {
    cwd: root,
    env,
    cols: 120,
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
  await s.waitFor(/Line 1/);
  s.pty.write(`${text}\r`);
  await s.waitFor(/Line 2/);
  s.pty.write('\r');
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
        /Resuming at question 3 of 52[\s\S]*Question 3 of 52[\s\S]*What would you like to do\?/,
      );
      second.pty.write('\x03');
      expect(await second.exit).toBe(130);
    } finally {
      second.pty.kill();
    }
  });
});
