/**
 * The workspace file `kinship-reflect.yaml`: its keys and defaults, the writer, and a reader for what
 * the writer writes. The tool writes a few `key: value` lines, and reading that subset here, without
 * the YAML library, keeps every workspace command from loading a YAML parser at start-up (about
 * 25 ms). Anything outside the subset — or anything wrong — returns undefined, and the caller reads the
 * file with the YAML parser in `workspace-config-yaml.ts`, which also places errors.
 */
import type { WorkspaceConfig } from './types.ts';

export const CONFIG_DEFAULTS: Omit<WorkspaceConfig, 'authority'> = {
  bank: 'reflective-tool',
  ratings: true,
  report: true,
};
export const CONFIG_KEYS = ['authority', 'bank', 'ratings', 'report'] as const;

/** A plain YAML scalar we may read as a string without a parser: no indicator first, no `: ` or ` #`. */
export const PLAIN = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^#]*$/;
/** Plain scalars YAML would read as something other than a string (core schema and YAML 1.1 habits). */
export const NOT_A_STRING =
  /^(?:true|false|null|~|yes|no|on|off|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\.inf|\.nan)$/i;

// The two patterns above, tested only when a value's first character leaves the answer open: every
// workspace command reads the workspace file, and compiling them cost ~0.3 ms of each start on Node 26
// (tests/workspace-config.test.ts compares these with the patterns).
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';
/** What NOT_A_STRING can start with: the first letters of its words, `~`, digits, signs and `.`. */
const NOT_A_STRING_FIRST = 'tfnyo~0123456789+-.';

/** `PLAIN.test(raw)`. */
export function isPlainScalar(raw: string): boolean {
  if (raw === '' || raw.includes('#')) return false;
  const first = raw.charCodeAt(0);
  if (first > 0x7f) return PLAIN.test(raw); // a space of another script
  return first !== 0x20 && !(first >= 0x09 && first <= 0x0d) && !INDICATORS.includes(raw[0] as string);
}

/** `NOT_A_STRING.test(raw)`. */
export function readsAsNotString(raw: string): boolean {
  const first = raw.charCodeAt(0);
  if (first <= 0x7f && !NOT_A_STRING_FIRST.includes((raw[0] ?? '').toLowerCase())) return false;
  return NOT_A_STRING.test(raw);
}

function readValue(raw: string): string | boolean | undefined {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw.startsWith('"')) {
    // a JSON string is a valid YAML double-quoted scalar; other escapes go to the full parser
    try {
      const v: unknown = JSON.parse(raw);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  if (raw.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'$/.exec(raw);
    return m ? (m[1] as string).replace(/''/g, "'") : undefined;
  }
  if (!isPlainScalar(raw) || raw.includes(': ') || raw.endsWith(':') || readsAsNotString(raw))
    return undefined;
  return raw;
}

/** Read the simple form of a workspace file, or undefined when the full parser is needed. */
export function parseWorkspaceConfigSubset(text: string): WorkspaceConfig | undefined {
  if (text.length > 4096 || text.charCodeAt(0) === 0xfeff) return undefined;
  const values: Record<string, string | boolean> = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([a-z]+):[ ]+(.*)$/.exec(line);
    if (!m) return undefined;
    const [, key, rest] = m as unknown as [string, string, string];
    // a quoted value must fill the rest of the line; a plain one may be followed by ` # comment`
    const raw = rest.startsWith('"') || rest.startsWith("'") ? rest : rest.replace(/[ ]+#.*$/, '');
    if (!(CONFIG_KEYS as readonly string[]).includes(key) || key in values) return undefined;
    const value = readValue(raw.trimEnd());
    if (value === undefined) return undefined;
    const wantsText = key === 'authority' || key === 'bank';
    if (wantsText !== (typeof value === 'string')) return undefined;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    values[key] = value;
  }
  if (typeof values.authority !== 'string') return undefined;
  return { ...CONFIG_DEFAULTS, ...values } as WorkspaceConfig;
}

/** A string as YAML: plain when that reads back the same, else double-quoted (JSON is valid YAML). */
function yamlString(value: string): string {
  const plain = value === value.trim() && readValue(value) === value && !/[\u0000-\u001f\u007f]/.test(value);
  return plain ? value : JSON.stringify(value);
}

/** The text of a workspace file, with comments that explain each setting. */
export function renderWorkspaceConfig(config: WorkspaceConfig): string {
  return [
    '# kinship-reflect workspace. One <cycle>.json (the answers) and <cycle>.md (the report) per cycle.',
    `authority: ${yamlString(config.authority)}`,
    '# question bank: reflective-tool, elected-members, or a path to a YAML bank',
    `bank: ${yamlString(config.bank)}`,
    '# ask for a red/amber/green self-rating after each answer',
    `ratings: ${config.ratings}`,
    '# write <cycle>.md beside each <cycle>.json',
    `report: ${config.report}`,
    '',
  ].join('\n');
}
