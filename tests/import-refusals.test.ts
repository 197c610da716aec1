/**
 * import refuses what it cannot read exactly, with the line and what to do, and saves nothing: a
 * damaged, misspelt, look-alike or re-cased marker, an unclosed fence, a fence that swallowed the
 * next item, a duplicated item, an item of another bank (issue #13, Deliver 2).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answer } from '../src/commands/answer.ts';
import { importReport } from '../src/commands/import.ts';
import { ValidationError } from '../src/core/errors.ts';
import { renderReport } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const bank = fixtureBank();
const report = renderReport(bank, fixtureCycle(bank));
const lines = report.split('\n');
const lineOf = (text: string, from = 0) => lines.indexOf(text, from) + 1;

/** The report with line `n` (1-based) replaced, and the problems found reading it. */
function problemsWith(
  n: number,
  replacement: string | string[],
): { line: number; message: string; item?: string }[] {
  const edited = [...lines];
  edited.splice(n - 1, 1, ...(Array.isArray(replacement) ? replacement : [replacement]));
  return parseReport(edited.join('\n'), bank, { file: 'r.md' }).problems.map((p) => ({
    line: p.line as number,
    message: p.message,
    ...(p.item !== undefined ? { item: p.item } : {}),
  }));
}

describe('marker lines must be exactly as the tool wrote them', () => {
  const marker = lineOf('<!-- item: assess.carers.count -->');

  it.each([
    ['damaged', '<!-- item: assess.carers.count ->'],
    ['damaged at the start', '<!- item: assess.carers.count -->'],
    ['without spaces', '<!--item: assess.carers.count-->'],
    ['misspelt', '<!-- itme: assess.carers.count -->'],
    ['upper case', '<!-- ITEM: assess.carers.count -->'],
    ['capitalised', '<!-- Item: assess.carers.count -->'],
    ['a look-alike letter (Cyrillic і)', '<!-- \u0456tem: assess.carers.count -->'],
    ['full-width letters', '<!-- ｉｔｅｍ: assess.carers.count -->'],
  ])('%s: refused on its line, saying how to write it', (_name, text) => {
    const problems = problemsWith(marker, text);
    expect(problems).toContainEqual({
      line: marker,
      message: expect.stringMatching(
        /looks like an item marker but is not written exactly[\s\S]*<!-- item: /,
      ),
    });
    // the item's Status line, now under no marker, is refused too rather than read into another item
    expect(problems.some((p) => p.message.includes('no item marker above it'))).toBe(true);
  });

  it('an id in the wrong case or with a look-alike letter names the right id', () => {
    for (const id of ['Assess.Carers.Count', 'assess.carers.c\u043Eunt']) {
      expect(problemsWith(marker, `<!-- item: ${id} -->`)).toContainEqual({
        line: marker,
        item: id,
        message: expect.stringMatching(
          /differs from it only in letter case or in letters from another alphabet[\s\S]*write "assess\.carers\.count"/,
        ),
      });
    }
  });

  it('a misspelt id suggests the nearest one', () => {
    expect(problemsWith(marker, '<!-- item: assess.carers.cuont -->')).toContainEqual({
      line: marker,
      item: 'assess.carers.cuont',
      message: expect.stringMatching(/unknown item id[\s\S]*did you mean "assess\.carers\.count"/),
    });
  });

  it('the first item of a stage with its marker deleted: its lines are refused, not dropped', () => {
    const first = lineOf('<!-- item: plan.r2.timescales -->');
    // the marker and its fingerprint line deleted together
    const edited = [...lines];
    edited.splice(first - 1, 2);
    const problems = parseReport(edited.join('\n'), bank, { file: 'r.md' }).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.message.includes('no item marker above it'))).toBe(true);
    const status = lines.findIndex((l, i) => i >= first && l.startsWith('- Status:')) + 1;
    expect(problems[0]?.line).toBe(status - 2);
  });

  it('a damaged or misplaced fingerprint line', () => {
    const fp = marker + 1;
    expect(lines[fp - 1]).toMatch(/^<!-- fingerprint: [0-9a-f]{8} -->$/);
    expect(problemsWith(fp, '<!-- fingerprint: 12345 -->')).toContainEqual({
      line: fp,
      message: expect.stringMatching(/looks like a fingerprint marker/),
    });
    expect(problemsWith(fp, ['', lines[fp - 1] as string])).toContainEqual({
      line: fp + 1,
      message: expect.stringMatching(/fingerprint line belongs directly under/),
    });
  });

  it("an ordinary comment of the user's own is left alone", () => {
    expect(
      problemsWith(lineOf('- Status: not answered'), ['- Status: not answered', '<!-- TODO ask finance -->']),
    ).toEqual([]);
  });
});

describe('fences', () => {
  it('an unclosed fence at the end', () => {
    const last = lines.lastIndexOf('```text') + 1;
    const cut = `${lines.slice(0, last).join('\n')}\nAn answer whose closing fence is missing.\n`;
    const { problems } = parseReport(cut, bank, { file: 'r.md' });
    expect(problems).toContainEqual(
      expect.objectContaining({
        line: last,
        message: expect.stringMatching(/never closed: add a line of ```/),
      }),
    );
  });

  it('a closing fence deleted in the middle: the block would swallow the next item, so it is refused', () => {
    const open = lineOf('```text', lineOf('<!-- item: assess.carers.count -->'));
    let close = open + 1;
    while (lines[close - 1] !== '```') close++;
    const problems = problemsWith(close, []);
    const nextOpen = lines.indexOf('```text', close) + 1 - 1; // one line earlier once the fence is gone
    expect(problems).toContainEqual({
      line: nextOpen,
      message: expect.stringMatching(
        new RegExp(`fence line inside the block opened on line ${open}[\\s\\S]*lost its closing`),
      ),
    });
  });
});

describe('items', () => {
  it('a duplicated item', () => {
    const marker = lineOf('<!-- item: assess.carers.count -->');
    const dup = problemsWith(
      lineOf('<!-- item: assess.offer.published -->'),
      '<!-- item: assess.carers.count -->',
    );
    expect(dup).toContainEqual(
      expect.objectContaining({
        item: 'assess.carers.count',
        message: expect.stringMatching(/appears twice/),
      }),
    );
    expect(marker).toBeGreaterThan(0);
  });

  it('an item of another question bank', () => {
    const other = problemsWith(
      lineOf('<!-- item: assess.offer.published -->'),
      '<!-- item: elected.scrutiny.question -->',
    );
    expect(other).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/unknown item id[\s\S]*report of another question bank/),
      }),
    );
    const { problems } = parseReport(report.replace('bank: "fixture"', 'bank: "elected-members"'), bank, {
      file: 'r.md',
    });
    expect(problems[0]?.message).toMatch(/for the question bank "elected-members"/);
  });

  it('a second Status line in one item', () => {
    const status = lineOf('- Status: answered');
    expect(problemsWith(status, ['- Status: answered', '- Status: skipped'])).toContainEqual(
      expect.objectContaining({
        line: status + 1,
        message: expect.stringMatching(/second "- Status:" line/),
      }),
    );
  });
});

describe('import command', () => {
  let t: TestWorkspace | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('saves nothing and exits 3 with the line, for a look-alike marker of the first item of a stage', async () => {
    t = await makeWorkspace();
    const { answerableItems } = await import('../src/core/bank.ts');
    const first = answerableItems(t.ws.bank)[0]?.id as string;
    await answer({ 'item-id': first, cycle: '2026-27', text: 'Saved.' }, t.ctx);
    const file = path.join(t.dir, '2026-27.md');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text
        .replace(`<!-- item: ${first} -->`, `<!-- \u0456tem: ${first} -->`)
        .replace('Saved.\n', 'Edited.\n'),
    );
    const before = await readFile(path.join(t.dir, '2026-27.json'), 'utf8');
    const error = await importReport({ file: '2026-27.md', yes: true }, t.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const line = text.split('\n').indexOf(`<!-- item: ${first} -->`) + 1;
    expect((error as ValidationError).problems[0]).toMatchObject({ file: '2026-27.md', line });
    expect((error as ValidationError).message).toMatch(/nothing was saved/);
    expect(await readFile(path.join(t.dir, '2026-27.json'), 'utf8')).toBe(before);
  });
});
