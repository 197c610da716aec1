/**
 * A child process that saves answers through the real storage layer, for the crash and concurrency
 * tests. It is bundled by esbuild into a temp .mjs (see `buildSaveWorker`) and run with plain node.
 *
 *   node save-worker.mjs loop   <dir> <cycle>                 save forever (until killed); prints "ready"
 *   node save-worker.mjs answer <dir> <cycle> <from> <count>  answer items from..from+count-1, print "done"
 *
 * `loop` appends one line per save to the first item's answer (so the file grows and every version
 * is distinguishable: line n reads `save n`), and rewrites one other random item each time.
 */
import { answerableItems } from '../../src/core/bank.ts';
import { setAnswer, statusesFor } from '../../src/core/cycle.ts';
import type { FlatItem } from '../../src/core/types.ts';
import { processContext, processOutputs } from '../../src/shell/context.ts';
import { updateCycle } from '../../src/shell/cycle-store.ts';
import { openWorkspace } from '../../src/shell/workspace.ts';

const [mode, dir, cycle, fromArg, countArg] = process.argv.slice(2);
if (!mode || !dir || !cycle) throw new Error('usage: save-worker loop|answer <dir> <cycle> [from count]');

const TODAY = '2026-01-15';

function statusFor(item: FlatItem): 'answered' | 'planned' {
  return statusesFor(item).includes('answered') ? 'answered' : 'planned';
}

const testOutputs = processOutputs(() => process.exit(0));

async function main(): Promise<void> {
  const ws = await openWorkspace(processContext({ dir: dir as string }, testOutputs));
  const items = answerableItems(ws.bank);
  const first = items[0] as FlatItem;
  if (mode === 'loop') {
    process.stdout.write('ready\n');
    for (let n = 0; ; n++) {
      await updateCycle(
        ws,
        cycle as string,
        (c) => {
          const lines = c.answers[first.id]?.text ?? [];
          const next = [
            ...lines,
            `save ${lines.length + 1}: ${'kinship carers and special guardians '.repeat(1 + (n % 4))}`,
          ];
          setAnswer(c, first.id, { status: statusFor(first), text: next }, TODAY);
          const other = items[1 + Math.floor(Math.random() * (items.length - 1))] as FlatItem;
          setAnswer(c, other.id, { status: statusFor(other), text: [`pid ${process.pid} save ${n}`] }, TODAY);
        },
        { create: true },
      );
    }
  }
  if (mode === 'answer') {
    const from = Number(fromArg);
    const count = Number(countArg);
    const mine = items.slice(from, from + count);
    if (mine.length !== count) throw new Error(`the bank has only ${items.length} answerable items`);
    for (const item of mine) {
      await updateCycle(
        ws,
        cycle as string,
        (c) => {
          setAnswer(
            c,
            item.id,
            { status: statusFor(item), text: [`answered by worker ${from / count}`] },
            TODAY,
          );
        },
        { create: true },
      );
    }
    process.stdout.write('done\n');
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  process.exitCode = 1;
});
