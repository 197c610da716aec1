/**
 * The workspace file `kinship-reflect.yaml` read with the YAML library: any YAML the user may have
 * written, checked, with every problem placed at its line and column. Loaded only when the subset
 * reader of `workspace-config.ts` cannot read the file.
 */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Problem } from './errors.ts';
import type { WorkspaceConfig } from './types.ts';

import { CONFIG_DEFAULTS as DEFAULTS, CONFIG_KEYS as KNOWN } from './workspace-config.ts';

/** Parse and check a workspace file; every problem is listed with its line and column. */
export function parseWorkspaceConfig(
  text: string,
  file: string,
): { config?: WorkspaceConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  if (text.length > 65_536)
    return { problems: [{ file, message: 'the workspace file is over 64 KB; it should be a few lines' }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: false, prettyErrors: false });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors)
    problems.push({ file, ...at(e.pos[0]), message: e.message.split('\n')[0] ?? 'YAML error' });
  if (problems.length > 0) return { problems };
  const root = doc.contents;
  if (!isMap(root)) {
    return {
      problems: [
        {
          file,
          line: 1,
          column: 1,
          message: 'expected "key: value" lines (authority, bank, ratings, report)',
        },
      ],
    };
  }
  const values: Record<string, unknown> = {};
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const pos = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
    if (!(KNOWN as readonly string[]).includes(key)) {
      problems.push({ file, ...pos, message: `unknown setting "${key}" (known: ${KNOWN.join(', ')})` });
      continue;
    }
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    const vpos = at(isScalar(pair.value) ? pair.value.range?.[0] : undefined);
    if (key === 'authority' || key === 'bank') {
      if (typeof v !== 'string' || v.trim() === '') {
        problems.push({ file, ...vpos, message: `"${key}" must be some text` });
        continue;
      }
    } else if (typeof v !== 'boolean') {
      problems.push({ file, ...vpos, message: `"${key}" must be true or false` });
      continue;
    }
    values[key] = v;
  }
  if (values.authority === undefined && problems.length === 0) {
    problems.push({
      file,
      line: 1,
      column: 1,
      message: 'missing "authority: <name of your local authority>"',
    });
  }
  if (problems.length > 0) return { problems };
  return { config: { ...DEFAULTS, ...values } as WorkspaceConfig, problems };
}
