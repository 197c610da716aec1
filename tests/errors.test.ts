/**
 * Our error classes are recognised across copies of their module: each command is bundled into its
 * own file, so report-error.cjs and a command file each carry a UsageError class.
 */
import { describe, expect, it } from 'vitest';
import * as errors from '../src/core/errors.ts';
import { EndOfInputError } from '../src/ui/prompter.ts';

describe('error classes', () => {
  it('instanceof holds for an error made by another copy of the class, and only for its own kind', async () => {
    // a second instance of the module, as a second bundle would have
    // @ts-expect-error: the query makes Vite load the module again; TypeScript knows no such file
    const copy = (await import('../src/core/errors.ts?second-copy')) as typeof errors;
    expect(copy.UsageError).not.toBe(errors.UsageError);
    const usage = new copy.UsageError('bad flag');
    expect(usage).toBeInstanceOf(errors.UsageError);
    expect(usage).toBeInstanceOf(Error);
    expect(usage).not.toBeInstanceOf(errors.ValidationError);
    expect(usage).toBeInstanceOf(errors.KnownError);
    const invalid = new copy.ValidationError([{ file: 'x.json', message: 'broken' }]);
    expect(invalid).toBeInstanceOf(errors.ValidationError);
    expect(invalid.problems).toHaveLength(1);
    expect(new EndOfInputError()).not.toBeInstanceOf(errors.InterruptedError);
    expect(new EndOfInputError()).toBeInstanceOf(EndOfInputError);
  });

  it('anything else is not one of ours', () => {
    for (const value of [new Error('x'), new TypeError('x'), { name: 'UsageError' }, 'UsageError', null, 3]) {
      expect(value).not.toBeInstanceOf(errors.UsageError);
      expect(value).not.toBeInstanceOf(errors.KnownError);
    }
    expect(new errors.FailureError('disk full', 'free some space').hint).toBe('free some space');
  });
});
