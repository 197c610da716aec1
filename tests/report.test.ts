import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cycleFromJsonExport, renderCsv, renderJsonExport } from '../src/core/csv.ts';
import { escapeEveryInline, escapeInline, fencedBlock, unescapeInline } from '../src/core/markdown.ts';
import { isReportHandEdited, renderReport, reportBodyHash } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

const bank = fixtureBank();

/** What the inline escaping looks at, and ordinary characters: the pieces of its random texts. */
const INLINE_PIECES = [
  ...'aZ09 .:/-+=)(wW\\`*_[]<>|#~&@!$\t\n\r',
  '\u0000',
  '\u007F',
  '\u0085',
  '\u00A0',
  '\u2028',
  '\uFEFF',
  '\u3000',
  'é',
  'ſ',
  'K',
  '😀',
  'www.',
  'WwW.',
  '://',
  '12.',
  '3)',
];

/** `count` texts of 0–12 pieces of `alphabet`, from a seeded generator (a failure names its text). */
function* randomTexts(alphabet: readonly string[], count: number, seed: number): Generator<string> {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let n = 0; n < count; n++) {
    let text = '';
    const length = Math.floor(next() * 13);
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
    yield text;
  }
}

describe('renderReport', () => {
  it('is deterministic, LF only, ends with a newline and carries front matter', () => {
    const a = renderReport(bank, fixtureCycle(bank));
    expect(renderReport(fixtureBank(), fixtureCycle(fixtureBank()))).toBe(a);
    expect(a).not.toContain('\r');
    expect(a.endsWith('\n')).toBe(true);
    expect(
      a.startsWith(
        '---\nformat: kinship-reflect-report/1\ncycle: "2026-27"\nauthority: "Exampleshire County Council"\nbank: "fixture"\nbankVersion: "0.0.1"\n',
      ),
    ).toBe(true);
  });

  it('has the summary, coverage with charts and accessible descriptions, priorities and actions', () => {
    const md = renderReport(bank, fixtureCycle(bank));
    expect(md).toContain('| Assess | 6 | 2 | 1 | 0 | 0 | 3 |');
    expect(md).toContain('| `R1` | 2 | 3 | 67% | 0 | 1 | 1 |');
    expect(md).toMatch(/```mermaid\npie showData\n {4}accTitle: .+\n {4}accDescr: .+/);
    expect(md).toMatch(/```mermaid\nxychart-beta\n {4}accTitle: .+\n {4}accDescr: .+/);
    // the red/amber/green chart: totals, then red + amber, then red, drawn over each other
    expect(md).toMatch(
      /```mermaid\n%%\{init: .*"plotColorPalette": "#1E7B34, #A85A00, #B3261E".*\nxychart-beta\n {4}accTitle: Red, amber and green self-ratings by Key Principle and Recommendation\n {4}accDescr: Answers rated red, amber and green for each tag: KP1 \d+ red, \d+ amber, \d+ green; .+\n(.+\n){3} {4}bar \[[\d, ]+\]\n {4}bar \[[\d, ]+\]\n {4}bar \[[\d, ]+\]\n```/,
    );
    expect(md).toContain('### Priority 1: R1');
    expect(md).toContain('> **Recommendation 1** (Strong evidence): Publish a clear local offer.');
    expect(md).toContain(
      '| A1 | Publish the local offer | Kinship team | 31/03/2026 | in-progress | R1 | 2026-27 |',
    );
    expect(md).toContain('- Status: not answered');
  });

  it('marks itself as generated; any edit, but not a CRLF checkout, makes it hand-edited', () => {
    const md = renderReport(bank, fixtureCycle(bank));
    expect(isReportHandEdited(md)).toBe(false);
    expect(isReportHandEdited(md.replace(/\n/g, '\r\n'))).toBe(false);
    expect(isReportHandEdited(md.replace('Around 240', 'Around 250'))).toBe(true);
    expect(isReportHandEdited(renderReport(bank, fixtureCycle(bank), { generatedMarker: false }))).toBe(true);
    expect(reportBodyHash(md)).toMatch(/^[0-9a-f]{8}$/);
    expect(md).toMatch(/\n<!-- kinship-reflect: generated, crc32 [0-9a-f]{8} -->\n$/);
  });

  it('still recognises the SHA-256 marker that earlier versions wrote, edited or not', () => {
    const body = `${renderReport(bank, fixtureCycle(bank), { generatedMarker: false })}\n`;
    const old = `${body}<!-- kinship-reflect: generated, sha256 ${createHash('sha256').update(body).digest('hex')} -->\n`;
    expect(isReportHandEdited(old)).toBe(false);
    expect(isReportHandEdited(old.replace(/\n/g, '\r\n'))).toBe(false);
    expect(isReportHandEdited(old.replace('Around 240', 'Around 250'))).toBe(true);
    // a checksum of the wrong length for its kind is not a marker of ours
    expect(isReportHandEdited(old.replace(/sha256 ([0-9a-f]{8})[0-9a-f]{56}/, 'sha256 $1'))).toBe(true);
  });

  it('changes exactly three lines (the answer line, its fingerprint and the hash) when one line of an answer changes', () => {
    const cycle = fixtureCycle(bank);
    cycle.answers['assess.carers.count']!.text = ['one', 'two', 'three', 'four', 'five'];
    const before = renderReport(bank, cycle).split('\n');
    cycle.answers['assess.carers.count']!.text![2] = 'three, edited';
    cycle.answers['assess.carers.count']!.changed = '2026-02-01';
    const after = renderReport(bank, cycle).split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((l, i) => l !== before[i]);
    expect(changed).toHaveLength(3);
    expect(changed[0]).toMatch(/^<!-- fingerprint: [0-9a-f]{8} -->$/);
    expect(changed[1]).toBe('three, edited');
    expect(changed[2]).toMatch(/^<!-- kinship-reflect: generated, crc32 [0-9a-f]{8} -->$/);
  });
});

describe('markdown helpers', () => {
  it('escapes inline text reversibly', () => {
    for (const s of [
      '',
      ' a ',
      'a|b\\c',
      '&#10;',
      '\n\r\t',
      '- x',
      '1. x',
      'http://x www.y a@b',
      '—',
      '\u00A0x\u3000',
    ]) {
      expect(unescapeInline(escapeInline(s))).toBe(s);
      expect(escapeInline(s)).not.toMatch(/[\n\r]|(?<!\\)\||^\s|\s$/);
    }
  });

  it('escapes as the eight replacements did, one after another, on any text', () => {
    // the escaping as first written, one pass per replacement: what escapeEveryInline must still give
    const charRef = (ch: string) => `&#${ch.codePointAt(0)};`;
    const reference = (text: string): string => {
      let out = text.replace(/[\\`*_[\]<>|#~&@!$]/g, (ch) => `\\${ch}`);
      out = out.replace(/:\/\//g, '\\://').replace(/(www)\./gi, '$1\\.');
      out = out.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/g, charRef);
      out = out.replace(/^([-+=])/, '\\$1').replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2');
      const refs = (s: string) => [...s].map(charRef).join('');
      return out.replace(/^\s+/u, refs).replace(/\s+$/u, refs);
    };
    for (const s of randomTexts(INLINE_PIECES, 30000, 11))
      expect(escapeEveryInline(s), JSON.stringify(s)).toBe(reference(s));
  });

  it('takes its shortcut only for text that every replacement leaves as it is', () => {
    let unchanged = 0;
    for (const s of randomTexts(INLINE_PIECES, 20000, 7)) {
      expect(escapeInline(s), JSON.stringify(s)).toBe(escapeEveryInline(s));
      if (escapeInline(s) === s) unchanged++;
    }
    expect(unchanged).toBeGreaterThan(500);
  });

  it('fences with more backticks than any run inside', () => {
    expect(fencedBlock(['a ```` b'])).toEqual(['`````text', 'a ```` b', '`````']);
    expect(fencedBlock([])).toEqual(['```text', '```']);
  });
});

describe('parseReport problems', () => {
  it('reports an unclosed fence, a duplicate item, a bad status and a bad rating with their lines', () => {
    const md = renderReport(bank, fixtureCycle(bank));
    const lines = md.split('\n');
    const at = (needle: string) => lines.indexOf(needle);
    lines[at('- Rating: amber')] = '- Rating: purple';
    lines[at('- Status: needs-data')] = '- Status: done-ish';
    const broken = `${lines.join('\n')}\n<!-- item: assess.carers.count -->\n\n- Status: answered\n\nAnswer:\n\n\`\`\`text\nnever closed\n`;
    const { problems } = parseReport(broken, bank, { file: 'r.md' });
    const messages = problems.map((p) => `${p.line}:${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${at('- Rating: purple') + 1}:unknown rating "purple"`)),
        expect.stringMatching(new RegExp(`^${at('- Status: done-ish') + 1}:unknown status "done-ish"`)),
        expect.stringMatching(/appears twice/),
        expect.stringMatching(/never closed/),
      ]),
    );
  });

  it('refuses a file that is not a report', () => {
    const { problems } = parseReport('# Just notes\n', bank, { file: 'notes.md' });
    expect(problems[0]?.message).toMatch(/does not look like a kinship-reflect report/);
  });
});

describe('CSV and JSON exports', () => {
  it('writes one RFC 4180 row per item with a formula guard', () => {
    const cycle = fixtureCycle(bank);
    cycle.answers['assess.carers.count']!.text = ['=HYPERLINK("http://x")', 'said "hi", then left'];
    cycle.answers['assess.carers.data.age'] = {
      status: 'answered',
      text: ['-5 years', '@home'],
      changed: '2026-01-15',
    };
    const csv = renderCsv(bank, cycle);
    const records = csv.split('\r\n');
    expect(records[0]).toBe(
      'id,stage,section,kind,tags,text,status,rating,answer,needs,evidence,carried,changed',
    );
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")\nsaid ""hi"", then left"`);
    expect(csv).toContain(`'-5 years\n@home`);
    // 9 items (the prompt included) + header + final empty string after the last CRLF
    expect(records).toHaveLength(11);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('JSON export carries the bank text and reads back to the same cycle', () => {
    const cycle = fixtureCycle(bank);
    const doc = JSON.parse(renderJsonExport(bank, cycle));
    expect(doc.items[0]).toMatchObject({
      id: 'assess.carers.count',
      text: 'How many kinship households do you know of?',
    });
    expect(cycleFromJsonExport(doc)).toEqual(cycle);
  });
});

describe('parseReport bank check', () => {
  it('refuses a report written for another question bank', () => {
    const other = { ...fixtureBank(), id: 'elected-members' };
    const { problems } = parseReport(renderReport(bank, fixtureCycle(bank)), other, { file: 'r.md' });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/question bank "fixture", but the workspace uses "elected-members"/),
    ]);
  });
});
