/**
 * The entry point: runs the CLI against the real process and sets the exit code.
 * The only module that ends the process.
 */
import { run } from './cli.ts';
import { processContext, processOutputs } from './shell/context.ts';

declare const __VERSION__: string;

// A reader that closes the pipe early (`| head`) is not an error.
const brokenPipe = (): never => process.exit(process.exitCode ?? 0);
const outputs = processOutputs(brokenPipe);

const version = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';
// No top-level await: this module is bundled as CommonJS for a fast start (see scripts/build.mjs).
void run(process.argv.slice(2), {
  context: (global) => processContext(global, outputs),
  outputs,
  version,
}).then((code) => {
  process.exitCode = code;
});
