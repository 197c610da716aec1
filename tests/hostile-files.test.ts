/**
 * Hostile files (issue 6.5): cycle files and banks built to crash, hang or pollute. Each must give a
 * clear error quickly, never a crash or a change to the file; plus a fuzz test over mutated cycle files.
 */
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { parseBank } from '../src/core/bank-validate.ts';
import { serializeCycle, setAnswer } from '../src/core/cycle.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import { formatProblem, ValidationError } from '../src/core/errors.ts';
import { parseJsonSafely, scanJsonKeys } from '../src/core/json-text.ts';
import type { Bank, CycleFile } from '../src/core/types.ts';
import { readBankText } from '../src/shell/bank-loader.ts';
import { cyclePath, readCycle, updateCycle } from '../src/shell/cycle-store.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace;
beforeEach(async () => {
  t = await makeWorkspace({ report: false });
});
afterEach(async () => {
  await t.cleanup();
});

const QUICK_MS = 5_000; // "within a second" on a developer machine; loose so a busy CI does not flake

function assertPrototypesClean(): void {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(Object.keys(Array.prototype)).toEqual([]);
}

/** A valid cycle text with a few answers, to corrupt. */
function validCycleText(bank: Bank): string {
  const ids = answerableItems(bank).filter((i) => i.kind === 'question');
  const cycle: CycleFile = {
    format: 1,
    cycle: '2026-27',
    authority: 'Exampleshire County Council',
    bank: { id: bank.id, version: bank.version },
    priorities: [{ recommendation: 'R1', rationale: ['most carers are grandparents'] }],
    answers: {},
    actions: [
      {
        id: 'A1',
        title: 'Review the kinship offer',
        status: 'planned',
        tags: ['R1'],
        history: [{ date: '2026-01-15', status: 'planned' }],
        opened: '2026-27',
      },
    ],
  };
  setAnswer(
    cycle,
    ids[0]?.id as string,
    { status: 'answered', text: ['64% of carers are grandparents', 'since 2019'] },
    '2026-01-10',
  );
  setAnswer(
    cycle,
    ids[1]?.id as string,
    { status: 'needs-data', needs: ['SGO numbers'], rating: 'amber' },
    '2026-01-12',
  );
  return serializeCycle(cycle, bank);
}

/**
 * Put `text` in the workspace as cycle 2026-27 and check that it is refused clearly and quickly,
 * by reading and by saving, and left as it was. Returns the problems.
 */
async function expectRefused(text: string | Buffer, expected: RegExp) {
  const file = cyclePath(t.ws, '2026-27');
  await writeFile(file, text);
  const before = await stat(file);
  const started = Date.now();
  const error = await readCycle(t.ws, '2026-27').catch((e: unknown) => e);
  const saving = await updateCycle(t.ws, '2026-27', (c) => {
    c.authority = 'changed';
  }).catch((e: unknown) => e);
  const elapsed = Date.now() - started;
  expect(error).toBeInstanceOf(ValidationError);
  expect(saving).toBeInstanceOf(ValidationError);
  const problems = (error as ValidationError).problems;
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.length).toBeLessThanOrEqual(25);
  const printed = problems.map(formatProblem).join('\n');
  expect(printed).toMatch(expected);
  expect(printed).not.toMatch(/\n\s+at /); // no stack trace
  expect(elapsed).toBeLessThan(QUICK_MS);
  const after = await stat(file);
  expect(after.size).toBe(before.size);
  expect(after.mtimeMs).toBe(before.mtimeMs);
  if (typeof text === 'string' && text.length < 20_000_000) expect(await readFile(file, 'utf8')).toBe(text);
  assertPrototypesClean();
  return problems;
}

describe('hostile cycle files', () => {
  it('100 000 nested arrays: refused with a position, no stack overflow', async () => {
    const problems = await expectRefused(
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      /nested more than 32 levels/,
    );
    expect(problems[0]?.line).toBe(1);
    expect(problems[0]?.column).toBe(33);
  });

  it('100 000 nested objects inside an answer: refused', async () => {
    const valid = validCycleText(t.ws.bank);
    const bomb = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const text = valid.replace('"since 2019"', bomb);
    const problems = await expectRefused(text, /nested more than 32 levels/);
    expect(problems[0]?.line).toBe(text.slice(0, text.indexOf('{"a":')).split('\n').length);
  });

  it('brackets inside strings do not count as nesting', () => {
    const valid = validCycleText(t.ws.bank);
    const text = valid.replace('"since 2019"', JSON.stringify(`[[[{{{${'['.repeat(1000)} "quoted" \\`));
    const { cycle, problems } = parseCycleText(text, 'c.json', t.ws.bank);
    expect(problems).toEqual([]);
    expect(cycle).toBeDefined();
  });

  it('a file over 16 MB: refused by its size before it is read', async () => {
    const file = cyclePath(t.ws, '2026-27');
    // a sparse 4 GB file: reading it would take long and fail; it must be refused on its size alone
    const h = await open(file, 'w');
    await h.truncate(4 * 1024 * 1024 * 1024);
    await h.close();
    const started = Date.now();
    const error = await readCycle(t.ws, '2026-27').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems[0]?.message).toMatch(/limited to 16 MB/);
    await expect(updateCycle(t.ws, '2026-27', () => {})).rejects.toBeInstanceOf(ValidationError);
    expect((await stat(file)).size).toBe(4 * 1024 * 1024 * 1024);
  });

  it('just over 16 MB of otherwise valid JSON: refused', async () => {
    const valid = validCycleText(t.ws.bank);
    const text = valid.replace('"since 2019"', JSON.stringify('x'.repeat(16 * 1024 * 1024)));
    await expectRefused(text, /limited to 16 MB/);
  });

  it('__proto__, constructor and prototype keys: refused with positions, nothing polluted', async () => {
    const valid = validCycleText(t.ws.bank);
    const text = valid
      .replace('"format": 1,', '"format": 1,\n  "__proto__": { "polluted": "yes" },')
      .replace('"actions": [', '"constructor": { "prototype": { "polluted": "yes" } },\n  "actions": [');
    const problems = await expectRefused(text, /the key "__proto__" is not allowed/);
    const printed = problems.map(formatProblem).join('\n');
    expect(printed).toMatch(/:3:3: the key "__proto__"/);
    expect(printed).toMatch(/the key "constructor" is not allowed/);
    expect(printed).toMatch(/the key "prototype" is not allowed/);
    // an escaped spelling is caught too
    const escaped = valid.replace(
      '"format": 1,',
      '"format": 1,\n  "__pro\\u0074o__": { "polluted": "yes" },',
    );
    await expectRefused(escaped, /the key "__proto__" is not allowed/);
    // and inside answers, under an item id
    const nested = valid.replace(
      '"answers": {',
      '"answers": {\n    "__proto__": { "status": "answered", "changed": "2026-01-01", "polluted": "yes" },',
    );
    await expectRefused(nested, /__proto__/);
  });

  it('duplicate keys (a bad merge): refused, naming both lines', async () => {
    const valid = validCycleText(t.ws.bank);
    const id = answerableItems(t.ws.bank).find((i) => i.kind === 'question')?.id as string;
    const text = valid.replace(
      '"answers": {',
      `"answers": {\n    "${id}": { "status": "skipped", "changed": "2026-01-01" },`,
    );
    const problems = await expectRefused(text, /appears twice in the same object \(first on line \d+\)/);
    expect(problems[0]?.message).toContain(id);
  });

  it('wrong types: refused with positions', async () => {
    const valid = validCycleText(t.ws.bank);
    await expectRefused(valid.replace('"format": 1', '"format": "1"'), /"format" must be 1/);
    await expectRefused(
      valid
        .replace('"answers": {', '"answers": [{')
        .replace(/\n {2}},\n {2}"actions"/, '\n  }],\n  "actions"'),
      /"answers" must be object/,
    );
    await expectRefused(valid.replace('"since 2019"', '42'), /must be string/);
    await expectRefused(valid.replace('"SGO numbers"', 'null'), /must be string/);
    await expectRefused('null\n', /the file must be object/);
    await expectRefused('"just a string"\n', /the file must be object/);
    await expectRefused('[]\n', /the file must be object/);
  });

  it('truncated JSON: says it looks truncated', async () => {
    const valid = validCycleText(t.ws.bank);
    for (const cut of [1, 10, Math.floor(valid.length / 2), valid.length - 3]) {
      await expectRefused(valid.slice(0, cut), /ends too early \(is it truncated\?\)/);
    }
    await expectRefused('', /ends too early|not valid JSON/);
  });

  it('binary garbage: refused as not UTF-8, at its first bad byte (a byte-order mark is accepted: utf8.test.ts)', async () => {
    await expectRefused(
      Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x00, 0x1b, 0x5b, 0x32, 0x4a]),
      /byte 1 \(line 1, column 2\) is not UTF-8 \(0xFF\)/,
    );
    await expectRefused(Buffer.from([0x7b, 0x00, 0x1b, 0x5b, 0x32, 0x4a]), /not valid JSON/);
  });

  it('a cycle written by a newer format version: says to upgrade', async () => {
    const valid = validCycleText(t.ws.bank);
    const problems = await expectRefused(
      valid.replace('"format": 1', '"format": 2'),
      /newer version of kinship-reflect \(cycle format 2/,
    );
    expect(problems[0]?.line).toBe(2);
    expect(problems[0]?.message).toMatch(/Upgrade kinship-reflect/);
  });

  it('10 000 answers of the wrong type: refused quickly, listing a few and counting the rest', async () => {
    const valid = JSON.parse(validCycleText(t.ws.bank)) as CycleFile;
    for (let i = 0; i < 10_000; i++) {
      (valid.answers as Record<string, unknown>)[`zz.unknown-${i}`] = {
        status: 5,
        text: 'not lines',
        changed: 'yesterday',
      };
    }
    const problems = await expectRefused(
      `${JSON.stringify(valid, null, 2)}\n`,
      /must be one of|must be array|must match/,
    );
    expect(problems[problems.length - 1]?.message).toMatch(/more problem/);
  });

  it('10 000 answers to items the bank does not have: kept, not a crash', async () => {
    const valid = JSON.parse(validCycleText(t.ws.bank)) as CycleFile;
    for (let i = 0; i < 10_000; i++) {
      valid.answers[`zz.unknown-${i}`] = { status: 'answered', text: [`answer ${i}`], changed: '2026-01-01' };
    }
    const file = cyclePath(t.ws, '2026-27');
    await writeFile(file, serializeCycle(valid, t.ws.bank));
    const started = Date.now();
    const cycle = await readCycle(t.ws, '2026-27');
    expect(Object.keys(cycle.answers)).toHaveLength(10_002);
    const id = answerableItems(t.ws.bank)[5]?.id as string;
    await updateCycle(t.ws, '2026-27', (c) => {
      setAnswer(c, id, { status: 'answered', text: ['new'] }, '2026-01-15');
    });
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    const saved = JSON.parse(await readFile(file, 'utf8')) as CycleFile;
    expect(Object.keys(saved.answers)).toHaveLength(10_003);
    expect(saved.answers['zz.unknown-9999']?.text).toEqual(['answer 9999']);
  });
});

describe('scanJsonKeys', () => {
  it('handles escapes, nesting and arrays of objects', () => {
    const scan = scanJsonKeys(
      '{"a\\"b": 1, "x": [{"a\\"b": 2}, {"k": 1, "k": 2}], "s": "{\\"k\\": 1, \\"k\\": 2}"}',
    );
    expect(scan.tooDeepAt).toBeUndefined();
    expect(scan.forbidden).toEqual([]);
    expect(scan.duplicates.map((d) => d.key)).toEqual(['k']);
  });

  /** The first version: one character at a time. The faster scan must agree with it on any text. */
  function scanOneByOne(text: string, maxDepth = 64) {
    const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
    const result: ReturnType<typeof scanJsonKeys> = { duplicates: [], forbidden: [] };
    const stack: (Map<string, number> | undefined)[] = [];
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        const start = i;
        for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
        const top = stack[stack.length - 1];
        if (top && expectKey) {
          let key: string;
          try {
            key = JSON.parse(text.slice(start, i + 1)) as string;
          } catch {
            key = text.slice(start + 1, i);
          }
          if (forbiddenKeys.has(key)) result.forbidden.push({ key, offset: start });
          const first = top.get(key);
          if (first !== undefined) result.duplicates.push({ key, offset: start, firstOffset: first });
          else top.set(key, start);
          expectKey = false;
        }
      } else if (c === 123 || c === 91) {
        stack.push(c === 123 ? new Map() : undefined);
        expectKey = c === 123;
        if (stack.length > maxDepth) {
          result.tooDeepAt = i;
          return result;
        }
      } else if (c === 125 || c === 93) {
        stack.pop();
        expectKey = false;
      } else if (c === 44) {
        expectKey = stack[stack.length - 1] !== undefined && stack.length > 0;
      }
    }
    return result;
  }

  it('agrees with a character-by-character scan on 5,000 random texts (valid JSON or not)', () => {
    const piece = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '\\"',
      'a',
      'k',
      ' ',
      '\n',
      '1',
      '"k"',
      '"__proto__"',
      '"\\u006b"',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(scanJsonKeys(text, 8)).toEqual(scanOneByOne(text, 8));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const text = JSON.stringify(v, null, 2);
        expect(scanJsonKeys(text)).toEqual(scanOneByOne(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('hostile question banks', () => {
  const billionLaughs = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
    'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    '',
  ].join('\n');

  function expectBankRefused(text: string, expected: RegExp): void {
    const started = Date.now();
    const { bank, problems } = parseBank(text, 'local.yaml');
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(bank).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map(formatProblem).join('\n')).toMatch(expected);
    assertPrototypesClean();
  }

  it('strings built to make our patterns backtrack (ids, tags, dates): refused fast', async () => {
    // a bank carries no regular expressions of its own, so the catastrophic input is text aimed at
    // ours: near-miss item ids (the id pattern has nested repetition), long tag-like runs, and answers
    // aimed at the personal-data detectors
    const nearMissId = `a${'-a'.repeat(20_000)}.${'b-'.repeat(20_000)}!`;
    const text = [
      'id: local',
      'title: Local questions',
      "version: '1'",
      'source: { title: t, publisher: p, url: "https://example.org", credit: c }',
      'evidenceRatings: []',
      'keyPrinciples: []',
      `recommendations: [{ id: R1, title: "${'R1 '.repeat(5000)}", text: t, evidence: none }]`,
      'stages:',
      '  - id: assess',
      '    title: Assess',
      '    introduction: i',
      '    sections:',
      '      - id: s',
      '        title: S',
      '        items:',
      `          - { id: "${nearMissId}", kind: question, text: q, tags: [${'R1, '.repeat(2000)}R9] }`,
      '',
    ].join('\n');
    expectBankRefused(text, /item id|must|not/);
    const { findPersonalData } = await import('../src/core/pii.ts');
    const started = Date.now();
    findPersonalData(
      `${'Mrs '.repeat(20_000)}${'0'.repeat(50_000)} ${'1/'.repeat(20_000)} born aged 9 ${'@a.'.repeat(20_000)}`,
    );
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
  });

  it('billion laughs (aliases): refused fast', () => {
    expectBankRefused(billionLaughs, /alias|anchor/i);
  });

  it('a bank over 1 MB: refused, by the parser and by the loader before reading it all', async () => {
    expectBankRefused(`id: big\ntitle: ${'x'.repeat(1024 * 1024)}\n`, /limited to 1 MB/);
    const file = path.join(t.dir, 'big.yaml');
    const h = await open(file, 'w');
    await h.truncate(2 * 1024 * 1024 * 1024);
    await h.close();
    const started = Date.now();
    await expect(readBankText(file, 'big.yaml')).rejects.toThrow(ValidationError);
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
  });

  it('deeply nested flow sequences: refused, no stack overflow', () => {
    expectBankRefused(
      `id: deep\nstages: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
      /nest|deep|limit|1 MB/i,
    );
    expectBankRefused(`id: deep\nstages: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`, /nest|deep/i);
  });

  it('__proto__ keys in a bank: no pollution', () => {
    const { bank } = parseBank('__proto__:\n  polluted: yes\nid: x\n', 'local.yaml');
    expect(bank).toBeUndefined();
    assertPrototypesClean();
  });
});

describe('fuzzing mutated cycle files', () => {
  const base = () => validCycleText(t.ws.bank);

  /** Mutations of the JSON value: delete keys, swap types, inject dangerous keys. */
  const strange = fc.oneof(
    fc.constantFrom<unknown>(null, true, 0, -1, 1e308, '', '__proto__', [], {}, [[[]]], { polluted: 'yes' }),
    fc.string(),
    fc.integer(),
    fc.array(fc.string(), { maxLength: 3 }),
  );
  const dangerousKey = fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
  );

  function mutateValue(
    doc: unknown,
    choices: number[],
    replacement: unknown,
    key: string,
    op: number,
  ): unknown {
    // walk down a random path, then change what is there
    let node = doc as Record<string, unknown>;
    for (const c of choices) {
      if (!node || typeof node !== 'object') break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const k = keys[c % keys.length] as string;
      const child = node[k];
      if (child === null || typeof child !== 'object' || c % 3 === 0) {
        if (op === 0) delete node[k];
        else if (op === 1) node[k] = replacement;
        else
          Object.defineProperty(node, key, {
            value: replacement,
            enumerable: true,
            configurable: true,
            writable: true,
          });
        return doc;
      }
      node = child as Record<string, unknown>;
    }
    if (node && typeof node === 'object') {
      Object.defineProperty(node, key, {
        value: replacement,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    return doc;
  }

  it('never throws, never pollutes, always explains (structured mutations)', () => {
    const text = base();
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        strange,
        dangerousKey,
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        (choices, replacement, key, op, pretty) => {
          const doc = mutateValue(JSON.parse(text), choices, replacement, key, op);
          const mutated = JSON.stringify(doc, null, pretty ? 2 : 0);
          const result = parseCycleText(mutated, 'fuzz.json', t.ws.bank);
          expect(result.cycle !== undefined || result.problems.length > 0).toBe(true);
          if (result.cycle) expect(result.problems).toEqual([]);
          for (const p of result.problems) expect(typeof p.message).toBe('string');
          // an accepted file serialises again without throwing
          if (result.cycle) serializeCycle(result.cycle, t.ws.bank);
          assertPrototypesClean();
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws, never pollutes (byte and character mutations)', () => {
    const text = base();
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.integer({ min: 0, max: 8 }),
      insert: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          '"',
          '\\',
          ',',
          ':',
          '"__proto__":',
          '"constructor":{',
          '\u0000',
          '\uFEFF',
          '\u202E',
          '1e999',
          '-',
        ),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        let mutated = text;
        for (const e of edits) {
          const at = e.at % (mutated.length + 1);
          mutated = mutated.slice(0, at) + e.insert + mutated.slice(at + e.remove);
        }
        const result = parseCycleText(mutated, 'fuzz.json', t.ws.bank);
        expect(result.cycle !== undefined || result.problems.length > 0).toBe(true);
        for (const p of result.problems) {
          expect(p.file).toBe('fuzz.json');
          if (p.line !== undefined) expect(p.line).toBeGreaterThanOrEqual(1);
        }
        assertPrototypesClean();
      }),
      { numRuns: 2000 },
    );
  });

  it('parseJsonSafely drops dangerous keys from what it returns', () => {
    const { value, problems } = parseJsonSafely('{"a": {"__proto__": {"polluted": 1}, "b": 2}}', 'x.json');
    expect(problems).toHaveLength(1);
    expect(Object.getPrototypeOf((value as { a: object }).a)).toBe(Object.prototype);
    assertPrototypesClean();
  });
});
