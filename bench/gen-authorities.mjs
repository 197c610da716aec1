// `node bench/gen-authorities.mjs <outDir> <authorities> <cycles> [--seed N]`
//
// Writes a fictional set of local-authority workspaces for `aggregate`: one folder per authority
// (kinship-reflect.yaml + one <cycle>.json per cycle) with partly to fully answered items of the
// built-in bank, priorities, red/amber/green ratings that drift between cycles, and actions that
// carry forward with their ids. Deterministic: the same arguments give byte-identical files.
// Every name and figure is invented and aggregated ("Northmoor Borough Council 001", "about 58% of
// kinship households"): nothing here describes a real authority, child or carer.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The built-in bank as compiled by the build (src/generated/bank-reflective-tool.ts holds it as a JSON
 * string literal), or else parsed from questions/reflective-tool.yaml.
 */
export function loadBuiltinBank() {
  const generated = join(root, 'src', 'generated', 'bank-reflective-tool.ts');
  if (existsSync(generated)) {
    const m = /JSON\.parse\(("(?:[^"\\]|\\.)*")\)/.exec(readFileSync(generated, 'utf8'));
    if (m) return JSON.parse(JSON.parse(m[1]));
  }
  return parse(readFileSync(join(root, 'questions', 'reflective-tool.yaml'), 'utf8'));
}

/** Answerable items in bank order: `{ id, kind, text, stage }`. */
export function answerableItems(bank) {
  const out = [];
  const walk = (items, stage) => {
    for (const item of items ?? []) {
      if (item.kind !== 'prompt') out.push({ id: item.id, kind: item.kind, text: item.text, stage });
      walk(item.children, stage);
    }
  };
  for (const stage of bank.stages ?? [])
    for (const section of stage.sections ?? []) walk(section.items, stage.id);
  return out;
}

/** mulberry32: a small, fast, seedable PRNG (the same seed gives the same sequence everywhere). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACES = [
  'Northmoor',
  'Eastbrook',
  'Westford',
  'Southvale',
  'Highcombe',
  'Lowfield',
  'Ashbury',
  'Brackenridge',
  'Coldharbour',
  'Dunmere',
  'Elmstead',
  'Fernhollow',
  'Greyling',
  'Hollins',
  'Ironbridge Vale',
  'Kestrel Downs',
  'Larkhill',
  'Marshwood',
  'Netherby',
  'Oakendale',
  'Pennwick',
  'Quarrydale',
  'Redmarsh',
  'Stonehaven',
];
const KINDS = [
  'Borough Council',
  'County Council',
  'City Council',
  'District Council',
  'Metropolitan Borough Council',
];

export function authorityName(i) {
  const place = PLACES[i % PLACES.length];
  const kind = KINDS[Math.floor(i / PLACES.length) % KINDS.length];
  return `${place} ${kind} ${String(i + 1).padStart(3, '0')}`;
}

/** Quarterly cycle ids from 2024-q1: `2024-q1` … `2025-q4` for 8 cycles. */
export function cycleIds(count) {
  return Array.from({ length: count }, (_, i) => `${2024 + Math.floor(i / 4)}-q${(i % 4) + 1}`);
}

function cycleDate(index, day = 28) {
  const year = 2024 + Math.floor(index / 4);
  const month = (index % 4) * 3 + 3;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const RATINGS = ['red', 'amber', 'green'];
const OWNERS = [
  'Kinship service lead',
  'Family support team',
  'Virtual school',
  'Commissioning team',
  'Data and insight team',
];
const ACTION_TITLES = [
  'Publish the local kinship offer',
  'Set up a peer support group for kinship carers',
  'Review Family Network Support Package eligibility',
  'Offer family group conferences before proceedings',
  'Train staff on kinship assessments',
  'Add kinship questions to the annual data return',
  'Agree a financial guidance session with the VCS partner',
  'Map mental health support for kinship families',
];
const CHECKLIST = ['not-started', 'planned', 'in-place', 'not-applicable'];

/** One cycle of one authority, as the text of a cycle file (schemas/cycle.schema.json). */
function makeCycle({ bank, items, focusItem, authority, ids, index, rand, state }) {
  const id = ids[index];
  const recs = bank.recommendations.map((r) => r.id);
  const changed = cycleDate(index);
  // later cycles are more complete; the last one is sometimes still in progress
  const coverage = index === ids.length - 1 ? 0.4 + rand() * 0.5 : 0.7 + rand() * 0.3;
  const answers = {};
  items.forEach((item, i) => {
    if (rand() > coverage) return;
    // each authority's ratings drift slowly: a per-item level that moves by at most one step per cycle
    const drift = rand();
    state.levels[i] = Math.max(0, Math.min(2, state.levels[i] + (drift < 0.2 ? -1 : drift > 0.7 ? 1 : 0)));
    const rating = rand() < 0.85 ? RATINGS[state.levels[i]] : undefined;
    if (item.kind === 'checklist') {
      answers[item.id] = {
        status: CHECKLIST[Math.min(3, Math.floor(rand() * 3) + (state.levels[i] > 1 ? 1 : 0))],
        text: ['Agreed with the kinship team and partner agencies.'],
        ...(rating ? { rating } : {}),
        changed,
      };
      return;
    }
    if (rand() < 0.12) {
      answers[item.id] = {
        status: 'needs-data',
        needs: ['Figures from the next annual data return.'],
        changed,
      };
      return;
    }
    const text =
      item === focusItem
        ? [
            `Recommendation ${1 + Math.floor(rand() * recs.length)} next, then R${1 + Math.floor(rand() * recs.length)}.`,
          ]
        : [
            `About ${20 + Math.floor(rand() * 70)}% of kinship households in our area say this applies to them.`,
            'Based on aggregated service data; no individual is identified.',
          ];
    answers[item.id] = { status: 'answered', text, ...(rating ? { rating } : {}), changed };
  });
  const shuffled = [...recs].sort(() => rand() - 0.5);
  const priorities = shuffled.slice(0, 1 + Math.floor(rand() * 3)).map((recommendation) => ({
    recommendation,
    rationale: ['Assessment ratings for this Recommendation were mostly amber or red.'],
  }));
  // actions: the open ones carry forward with their ids; each cycle moves some on and adds a few
  const actions = [];
  for (const a of state.open) {
    const roll = rand();
    const status = roll < 0.35 ? 'done' : roll < 0.45 ? 'dropped' : roll < 0.75 ? 'in-progress' : a.status;
    const action = structuredClone(a);
    if (status !== a.status) {
      action.status = status;
      action.history.push({ date: changed, status });
    }
    actions.push(action);
  }
  const added = Math.floor(rand() * 3);
  for (let k = 0; k < added; k++) {
    state.nextId++;
    const dueIndex = index + 1 + Math.floor(rand() * 3);
    actions.push({
      id: `A${state.nextId}`,
      title: ACTION_TITLES[Math.floor(rand() * ACTION_TITLES.length)],
      owner: OWNERS[Math.floor(rand() * OWNERS.length)],
      due: cycleDate(dueIndex, 1 + Math.floor(rand() * 27)),
      status: 'planned',
      tags: [priorities[0]?.recommendation ?? recs[0]],
      history: [{ date: changed, status: 'planned' }],
      opened: id,
    });
  }
  state.open = actions.filter((a) => a.status === 'planned' || a.status === 'in-progress');
  const file = {
    format: 1,
    cycle: id,
    authority,
    bank: { id: bank.id, version: String(bank.version) },
    ...(index > 0 ? { from: ids[index - 1] } : {}),
    priorities,
    answers,
    actions,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Write `authorities` × `cycles` cycle files under `outDir` (one workspace folder per authority).
 * Returns `{ files, bytes, dirs }`.
 */
export function generateAuthorities({
  outDir,
  authorities,
  cycles,
  seed = 20260115,
  bank = loadBuiltinBank(),
}) {
  const items = answerableItems(bank);
  const focusItem = items.find((i) =>
    i.text.startsWith('Which Recommendation are you going to focus on next?'),
  );
  const ids = cycleIds(cycles);
  let files = 0;
  let bytes = 0;
  mkdirSync(outDir, { recursive: true });
  for (let a = 0; a < authorities; a++) {
    const rand = prng(seed + a * 7919);
    const authority = authorityName(a);
    const dir = join(outDir, `authority-${String(a + 1).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'kinship-reflect.yaml'),
      `authority: ${authority}\nbank: ${bank.id}\nratings: true\nreport: false\n`,
    );
    const state = { levels: items.map(() => Math.floor(rand() * 3)), open: [], nextId: 0 };
    for (let c = 0; c < cycles; c++) {
      const text = makeCycle({ bank, items, focusItem, authority, ids, index: c, rand, state });
      writeFileSync(join(dir, `${ids[c]}.json`), text);
      files++;
      bytes += Buffer.byteLength(text);
    }
  }
  return { files, bytes, dirs: authorities };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outDir, a, c, ...rest] = process.argv.slice(2);
  const authorities = Number(a);
  const cycles = Number(c);
  const seedAt = rest.indexOf('--seed');
  const seed = seedAt === -1 ? undefined : Number(rest[seedAt + 1]);
  if (
    !outDir ||
    !Number.isInteger(authorities) ||
    authorities < 1 ||
    !Number.isInteger(cycles) ||
    cycles < 1
  ) {
    console.error('usage: node bench/gen-authorities.mjs <outDir> <authorities> <cycles> [--seed N]');
    console.error('  e.g. node bench/gen-authorities.mjs /tmp/authorities 153 8');
    process.exit(2);
  }
  const started = performance.now();
  const { files, bytes } = generateAuthorities({
    outDir,
    authorities,
    cycles,
    ...(seed === undefined ? {} : { seed }),
  });
  console.error(
    `wrote ${files} cycle files (${(bytes / 1048576).toFixed(1)} MB) for ${authorities} fictional authorities to ${outDir} in ${Math.round(performance.now() - started)} ms`,
  );
}
