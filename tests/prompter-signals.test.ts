/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP during prompts: the first interrupts the prompts so the command
 * can say what it saved; the second ends the process by the signal. @inquirer's exit hook
 * (signal-exit) re-raises a signal it finds no other listener for, so the prompter's handler must
 * still be there when that hook looks, or a Ctrl-C between two prompts kills the process unannounced.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../src/core/errors.ts';
import type { CommandContext } from '../src/shell/context.ts';
import { makePrompter } from '../src/ui/make-prompter.ts';

function context(): CommandContext {
  const stdin = new PassThrough(); // never ends: a question waits for an answer
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin,
    env: { NO_COLOR: '1' },
    cwd: process.cwd(),
    today: () => '2026-01-15',
    global: { plain: true },
  } as unknown as CommandContext;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  vi.restoreAllMocks();
});

describe.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s while prompting', (signal) => {
  it('the first interrupts the question and leaves the handler in place for an exit hook to see', async () => {
    const before = process.listenerCount(signal);
    const prompter = makePrompter(context(), { handleSigint: true });
    cleanups.push(() => prompter.close());
    // an exit hook installed after ours, as inquirer installs signal-exit's when a prompt starts
    let othersSeenByHook = -1;
    const hook = () => {
      othersSeenByHook = process.listenerCount(signal) - 1;
    };
    process.on(signal, hook);
    cleanups.push(() => process.off(signal, hook));

    const answer = prompter.input('How many kinship households?');
    process.emit(signal, signal);
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
    // the hook saw another listener (the prompter's), so it would not have re-raised the signal
    expect(othersSeenByHook).toBeGreaterThan(before - 1);
    expect(process.listenerCount(signal)).toBe(before + 2);
  });

  it('the second ends the process by the signal, and close() removes the handler', () => {
    const before = process.listenerCount(signal);
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const prompter = makePrompter(context(), { handleSigint: true });
    process.emit(signal, signal);
    expect(kill).not.toHaveBeenCalled();
    process.emit(signal, signal);
    if (process.platform !== 'win32') expect(kill).toHaveBeenCalledWith(process.pid, signal);
    expect(process.listenerCount(signal)).toBe(before);
    prompter.close();
    expect(process.listenerCount(signal)).toBe(before);

    const again = makePrompter(context(), { handleSigint: true });
    expect(process.listenerCount(signal)).toBe(before + 1);
    again.close();
    expect(process.listenerCount(signal)).toBe(before);
  });
});
