/**
 * The schema validators are ajv's generated code with one change (scripts/compile-assets.ts,
 * `escapeKeysOnlyWhenNeeded`): a key is escaped for an error's JSON pointer only when it holds `~` or
 * `/`. These check that the change keeps error paths exact and that it rewrites every escape ajv
 * writes (a new ajv that spells them otherwise fails here, not silently).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { describe, expect, it } from 'vitest';
import { escapeKeysOnlyWhenNeeded, makeAjv } from '../scripts/compile-assets.ts';
import { serializeCycle } from '../src/core/cycle.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';
import { repoRoot } from './helpers/run-cli.ts';

const UNGUARDED = /(?<!\? )\bkey\d+\.replace\(\/~\/g/;

describe('escaping keys for error paths only when needed', () => {
  it('rewrites every escape in what ajv generates for a map of objects', () => {
    const ajv = makeAjv({ verbose: false, unicodeRegExp: false });
    const validate = ajv.compile({
      type: 'object',
      additionalProperties: { $ref: '#/$defs/entry' },
      $defs: { entry: { type: 'object', properties: { n: { type: 'number' } } } },
    });
    const raw = standaloneCode.default(ajv, validate);
    expect(raw).toMatch(UNGUARDED);
    const rewritten = escapeKeysOnlyWhenNeeded(raw);
    expect(rewritten).not.toMatch(UNGUARDED);
    expect(rewritten).toContain('.includes("~")');
  });

  it('leaves no unguarded escape in the validators the build wrote', () => {
    for (const name of ['validate-cycle.js', 'validate-bank.js']) {
      const code = readFileSync(path.join(repoRoot, 'src', 'generated', name), 'utf8');
      expect(code, name).not.toMatch(UNGUARDED);
    }
  });

  it('still points an error at a key holding / and ~, escaped', () => {
    const bank = fixtureBank();
    const text = serializeCycle(fixtureCycle(bank), bank);
    const doc = JSON.parse(text) as { answers: Record<string, unknown> };
    doc.answers['odd/key~1'] = { status: 'bogus' };
    const { cycle, problems } = parseCycleText(JSON.stringify(doc, null, 2), '2026-27.json', bank);
    expect(cycle).toBeUndefined();
    expect(problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining('"answers.odd/key~1.status" must be one of'),
    );
  });
});
