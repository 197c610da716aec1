import { type CommandContext, isPlain } from '../shell/context.ts';
import { InquirerPrompter } from './inquirer-prompter.ts';
import { PlainPrompter } from './plain-prompter.ts';
import type { Prompter } from './prompter.ts';
import { colorLevel } from './theme.ts';

export interface MakePrompterOptions {
  /** Aborting it interrupts the prompts (they reject with InterruptedError). */
  signal?: AbortSignal;
  /**
   * Turn the process's first SIGINT (or SIGTERM, SIGHUP) into an interruption of the prompts instead of an abrupt exit, so
   * the caller can finish saving and say where the user stopped; a second Ctrl-C ends the process as
   * usual. Default: true when the context reads the real `process.stdin`.
   */
  handleSigint?: boolean;
}

/**
 * The prompter for a command: the plain, linear one when asked for (`--plain`, `ACCESSIBLE=1`) or when
 * stdin is not a terminal (then it reads the piped answers), otherwise the @inquirer one. Both read
 * `ctx.stdin` and write to `ctx.stderr`, so stdout stays for data. `close()` releases the input and
 * the SIGINT handler.
 */
export function makePrompter(ctx: CommandContext, options: MakePrompterOptions = {}): Prompter {
  const controller = new AbortController();
  const signals = options.signal ? [options.signal, controller.signal] : [controller.signal];
  const signal = signals.length === 1 ? controller.signal : AbortSignal.any(signals);
  const handleSigint = options.handleSigint ?? ctx.stdin === process.stdin;
  // SIGTERM and SIGHUP (the terminal closed) stop the prompts the same way, so the text being typed
  // is kept as a draft before the process ends; a second signal ends it at once, as usual.
  const signalsHandled = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  // The handler stays installed after the first signal: @inquirer's exit hook (signal-exit) re-raises
  // a signal that it finds no other listener for, so a handler that removed itself on the first
  // Ctrl-C let that hook kill the process whenever the Ctrl-C came between two prompts, before the
  // interview could say what it saved. A second signal ends the process the usual way, by the signal.
  let signalled = false;
  const onSigint = (signal: NodeJS.Signals): void => {
    if (!signalled) {
      signalled = true;
      controller.abort();
      return;
    }
    for (const s of signalsHandled) process.off(s, onSigint);
    if (process.platform === 'win32') process.exit(130);
    process.kill(process.pid, signal);
  };
  if (handleSigint) for (const s of signalsHandled) process.on(s, onSigint);

  const streams = { input: ctx.stdin, output: ctx.stderr, signal, env: ctx.env };
  const color = colorLevel(ctx, ctx.stderr) > 0;
  const prompter: Prompter =
    isPlain(ctx) || !ctx.stdin.isTTY
      ? new PlainPrompter(streams)
      : new InquirerPrompter({ ...streams, color });
  const close = prompter.close.bind(prompter);
  prompter.close = () => {
    if (handleSigint) for (const s of signalsHandled) process.off(s, onSigint);
    close();
  };
  return prompter;
}
