/**
 * `validate` of a bank whose text is exactly a built-in bank's skips the YAML parser: the build parsed
 * that text. Checked against the parser itself: same bank, no problems, and one changed byte (or a
 * changed line ending) goes back to parsing, with the parser's own problems.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBank } from '../src/core/bank-validate.ts';
import { BUILTIN_BANK_IDS, BUILTIN_BANK_SOURCES } from '../src/generated/banks.ts';
import { builtinBankWithText } from '../src/shell/bank-loader.ts';
import { repoRoot } from './helpers/run-cli.ts';

describe('a built-in bank recognised by its text', () => {
  it.each(BUILTIN_BANK_IDS)('%s: the same bank the parser gives, with no problems', async (id) => {
    const rel = BUILTIN_BANK_SOURCES[id] as string;
    const text = readFileSync(path.join(repoRoot, rel), 'utf8');
    const parsed = parseBank(text, rel);
    expect(parsed.problems).toEqual([]);
    // the compiled bank went through JSON: compare as JSON
    expect(JSON.parse(JSON.stringify(await builtinBankWithText(text)))).toEqual(
      JSON.parse(JSON.stringify(parsed.bank)),
    );
  });

  it('any other text is not recognised, so it is parsed', async () => {
    const text = readFileSync(path.join(repoRoot, 'questions', 'reflective-tool.yaml'), 'utf8');
    expect(await builtinBankWithText(`${text}\n`)).toBeUndefined();
    expect(await builtinBankWithText(text.replace(/\n/g, '\r\n'))).toBeUndefined();
    expect(
      await builtinBankWithText(text.replace('id: reflective-tool', 'id: reflective-tool2')),
    ).toBeUndefined();
    expect(await builtinBankWithText('')).toBeUndefined();
  });
});
