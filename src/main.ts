/**
 * The entry point: runs the CLI against the real process and sets the exit code.
 * The only module that ends the process.
 */

import { writeSync } from 'node:fs';
import { run } from './cli.ts';
import { describeOutputFailure, processContext, processOutputs } from './shell/context.ts';

declare const __VERSION__: string;
/** Set by scripts/build-exe.mjs in the single executable, whose --version names the Node inside it. */
declare const __SINGLE_EXECUTABLE__: boolean;

// A reader that closes the pipe early (`| head`) is not an error, and it does not decide the exit
// code either: the output is dropped from then on and the command ends with the code its data gives
// (`check | head -1` still exits 3 on findings).
const brokenPipe = (): void => {};
const outputs = processOutputs(brokenPipe);

const version =
  (typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev') +
  (typeof __SINGLE_EXECUTABLE__ === 'boolean' && __SINGLE_EXECUTABLE__
    ? ` (single executable, Node.js ${process.version} ${process.platform}-${process.arch})`
    : '');
// No top-level await: this module is bundled as CommonJS for a fast start (see scripts/build.mjs).
void run(process.argv.slice(2), {
  context: (global) => processContext(global, outputs),
  outputs,
  version,
}).then((code) => {
  process.exitCode = code;
  setImmediate(endIfIdle);
});

/**
 * Ends the process now when nothing is left to do, the same way as the end of the event loop would
 * (the 'exit' listeners run, the exit code is kept) but without tearing down the heap first: Node's
 * teardown after the loop cost 1.5–2 ms of wall time (and ~5 ms of CPU across its threads) on every
 * command, against the 25–30 ms of `node -e 0` (bench/README.md). "Nothing left" is strict: no handle,
 * request or timer of any kind (a stream created for a terminal, stdin, a child process, a pending
 * write all appear there) and no 'beforeExit' listener; otherwise the loop ends as it always did.
 * Runs from setImmediate, so what the command queued on its way out runs first.
 */
function endIfIdle(): void {
  if (process.getActiveResourcesInfo().length === 0 && process.listenerCount('beforeExit') === 0) {
    process.exit();
  }
}

// An output that could not be written (`export > /dev/full`) fails the run with one line, whatever the
// command decided: what it meant to print was lost. Checked at exit, because a stream reports the
// failure of its last write after the command has returned.
process.on('exit', () => {
  const failure = outputs.stdout.failure ?? outputs.stderr.failure;
  if (failure === undefined) return;
  const which = outputs.stdout.failure !== undefined ? 'standard output' : 'standard error';
  try {
    writeSync(2, `kinship-reflect: could not write to ${which}: ${describeOutputFailure(failure)}.\n`);
  } catch {
    /* standard error is gone too: the exit code still tells */
  }
  if (!process.exitCode) process.exitCode = 1;
});
