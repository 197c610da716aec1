/**
 * The entry point: runs the CLI against the real process and sets the exit code.
 * The only module that ends the process.
 */
import { run } from './cli.ts';
import { processContext, processOutputs } from './shell/context.ts';

declare const __VERSION__: string;
/** Set by scripts/build-exe.mjs in the single executable, whose --version names the Node inside it. */
declare const __SINGLE_EXECUTABLE__: boolean;

// A reader that closes the pipe early (`| head`) is not an error.
const brokenPipe = (): never => process.exit(process.exitCode ?? 0);
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
});
