import path from 'node:path';

/**
 * An esbuild plugin: commander requires child_process when it loads, for executable subcommands (which
 * the tool has none of); with it come net, dgram and the streams, ~3 ms of every start. It loads when
 * first used instead. Used for dist/ (scripts/build.mjs) and the executable (scripts/build-exe.mjs).
 */
export const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`)
        ? { path: 'child_process', namespace: 'lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents:
        "let cp; module.exports = new Proxy({}, { get: (_, key) => (cp ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};
