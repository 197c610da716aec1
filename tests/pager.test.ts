/**
 * Long human output: through $PAGER (default less -FRX) in a terminal, never in a pipe.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGER, pagerCommand } from '../src/shell/pager.ts';
import { binPath, childEnv, repoRoot, runCli, stripAnsi } from './helpers/run-cli.ts';

const examples = path.join(repoRoot, 'examples', 'exampleshire');

describe('pager', () => {
  it('is $PAGER, else less -FRX; none for cat or an empty $PAGER', () => {
    expect(DEFAULT_PAGER).toBe('less -FRX');
    expect(pagerCommand({})).toEqual(['less', '-FRX']);
    expect(pagerCommand({ PAGER: 'more' })).toEqual(['more']);
    expect(pagerCommand({ PAGER: 'cat' })).toBeUndefined();
    expect(pagerCommand({ PAGER: '' })).toBeUndefined();
  });

  it('never pages or wraps in a pipe', async () => {
    const r = await runCli(['--dir', examples, 'diff', '2025-26', '2026-27'], {
      env: { PAGER: 'no-such-pager-kr' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').some((l) => l.length > 100)).toBe(true);
  });

  it('diff in a terminal goes through $PAGER, wrapped to the width', async () => {
    const { spawn } = await import('@lydell/node-pty');
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-pager-'));
    try {
      const seen = path.join(tmp, 'paged.txt');
      const pager = `"${process.execPath}" -e "require('fs').writeFileSync(process.argv[1], require('fs').readFileSync(0)); console.log('PAGED')" "${seen}"`;
      const env = childEnv({ PAGER: pager, TERM: 'xterm-256color' }) as Record<string, string>;
      const pty = spawn(process.execPath, [binPath, '--dir', examples, 'diff', '2025-26', '2026-27'], {
        cwd: tmp,
        env,
        cols: 80,
        rows: 24,
        name: 'xterm-256color',
      });
      let out = '';
      pty.onData((d) => {
        out += d;
      });
      const code = await new Promise<number>((resolve) => pty.onExit(({ exitCode }) => resolve(exitCode)));
      expect(code).toBe(0);
      expect(stripAnsi(out)).toContain('PAGED');
      const paged = stripAnsi(await fs.readFile(seen, 'utf8'));
      expect(paged).toContain('Changes from 2025-26 to 2026-27');
      expect(paged.split('\n').every((l) => l.length <= 80)).toBe(true);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});
