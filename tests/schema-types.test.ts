/**
 * Keeps schemas/*.schema.json and the types in src/core/types.ts in step: every type's keys (and
 * which of them are required) must match the schema's, checked at compile time against the type and
 * at run time against the schema; sample objects typed by the types must pass the compiled schemas.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ACTION_STATUSES,
  type Action,
  type ActionHistoryEntry,
  type Answer,
  type Bank,
  type BankSource,
  CHECKLIST_STATUSES,
  type CycleBankRef,
  type CycleConflict,
  type CycleFile,
  type EvidenceRating,
  type GlossaryEntry,
  type Item,
  type ItemKind,
  type KeyPrinciple,
  type Priority,
  QUESTION_STATUSES,
  RATINGS,
  type Recommendation,
  type Section,
  type Stage,
} from '../src/core/types.ts';
import { BUILTIN_BANK_IDS, loadBuiltinBank } from '../src/generated/banks.ts';
import { validate as validateBank } from '../src/generated/validate-bank.js';
import { validate as validateCycle } from '../src/generated/validate-cycle.js';

const schemasDir = fileURLToPath(new URL('../schemas/', import.meta.url));
type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $defs?: Record<string, JsonSchema>;
  enum?: unknown[];
  $ref?: string;
};
const bankSchema = JSON.parse(readFileSync(`${schemasDir}question-bank.schema.json`, 'utf8')) as JsonSchema;
const cycleSchema = JSON.parse(readFileSync(`${schemasDir}cycle.schema.json`, 'utf8')) as JsonSchema;

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Compiles only when `K` lists every key of `T`. */
type Exhaustive<T, K extends readonly PropertyKey[]> = [Exclude<keyof T, K[number]>] extends [never]
  ? K
  : { missingKeys: Exclude<keyof T, K[number]> };
/** Compiles only when `K` lists every required key of `T` and nothing optional. */
type ExactRequired<T, K extends readonly PropertyKey[]> = [Exclude<RequiredKeys<T>, K[number]>] extends [
  never,
]
  ? [Exclude<K[number], RequiredKeys<T>>] extends [never]
    ? K
    : { notRequired: Exclude<K[number], RequiredKeys<T>> }
  : { missingRequired: Exclude<RequiredKeys<T>, K[number]> };

/** Hand-listed keys of `T`, checked against the type at compile time. */
function shape<T>() {
  return <const A extends readonly (keyof T)[], const R extends readonly (keyof T)[]>(
    all: A & Exhaustive<T, A>,
    required: R & ExactRequired<T, R>,
  ) => ({ all: [...all].map(String).sort(), required: [...required].map(String).sort() });
}

function def(schema: JsonSchema, name: string | null): JsonSchema {
  if (name === null) return schema;
  const found = schema.$defs?.[name];
  if (!found) throw new Error(`no $defs/${name}`);
  return found;
}
function schemaShape(s: JsonSchema) {
  return { all: Object.keys(s.properties ?? {}).sort(), required: [...(s.required ?? [])].sort() };
}

const bankShapes: [string, JsonSchema, ReturnType<ReturnType<typeof shape>>][] = [
  [
    'Bank',
    def(bankSchema, null),
    shape<Bank>()(
      [
        'id',
        'title',
        'version',
        'source',
        'about',
        'evidenceRatings',
        'keyPrinciples',
        'recommendations',
        'allTag',
        'glossary',
        'stages',
        'renamed',
      ],
      ['id', 'title', 'version', 'source', 'evidenceRatings', 'keyPrinciples', 'recommendations', 'stages'],
    ),
  ],
  [
    'BankSource',
    def(bankSchema, 'source'),
    shape<BankSource>()(['title', 'publisher', 'url', 'credit'], ['title', 'publisher', 'url', 'credit']),
  ],
  [
    'EvidenceRating',
    def(bankSchema, 'evidenceRating'),
    shape<EvidenceRating>()(['id', 'label', 'definition'], ['id', 'label', 'definition']),
  ],
  [
    'GlossaryEntry',
    def(bankSchema, 'glossaryEntry'),
    shape<GlossaryEntry>()(['term', 'expansion', 'definition', 'aliases'], ['term', 'definition']),
  ],
  [
    'KeyPrinciple',
    def(bankSchema, 'keyPrinciple'),
    shape<KeyPrinciple>()(['id', 'title', 'text'], ['id', 'title', 'text']),
  ],
  [
    'Recommendation',
    def(bankSchema, 'recommendation'),
    shape<Recommendation>()(['id', 'title', 'text', 'evidence'], ['id', 'title', 'text', 'evidence']),
  ],
  [
    'Item',
    def(bankSchema, 'item'),
    shape<Item>()(['id', 'kind', 'text', 'tags', 'lead', 'children'], ['id', 'kind', 'text', 'tags']),
  ],
  [
    'Section',
    def(bankSchema, 'section'),
    shape<Section>()(
      ['id', 'title', 'tags', 'recommendation', 'intro', 'tips', 'items'],
      ['id', 'title', 'items'],
    ),
  ],
  [
    'Stage',
    def(bankSchema, 'stage'),
    shape<Stage>()(
      ['id', 'title', 'introduction', 'sections', 'tips'],
      ['id', 'title', 'introduction', 'sections'],
    ),
  ],
];

const cycleShapes: [string, JsonSchema, ReturnType<ReturnType<typeof shape>>][] = [
  [
    'CycleFile',
    def(cycleSchema, null),
    shape<CycleFile>()(
      ['format', 'cycle', 'authority', 'bank', 'from', 'priorities', 'answers', 'actions', 'conflicts'],
      ['format', 'cycle', 'authority', 'bank', 'priorities', 'answers', 'actions'],
    ),
  ],
  [
    'CycleConflict',
    def(cycleSchema, 'conflict'),
    shape<CycleConflict>()(['kind', 'id', 'ours', 'theirs', 'base'], ['kind', 'id']),
  ],
  [
    'CycleBankRef',
    cycleSchema.properties!.bank!,
    shape<CycleBankRef>()(['id', 'version'], ['id', 'version']),
  ],
  [
    'Priority',
    def(cycleSchema, 'priority'),
    shape<Priority>()(['recommendation', 'rationale'], ['recommendation']),
  ],
  [
    'Answer',
    def(cycleSchema, 'answer'),
    shape<Answer>()(
      ['status', 'text', 'needs', 'rating', 'evidence', 'carried', 'changed'],
      ['status', 'changed'],
    ),
  ],
  [
    'Action',
    def(cycleSchema, 'action'),
    shape<Action>()(
      ['id', 'title', 'owner', 'due', 'status', 'tags', 'notes', 'history', 'opened'],
      ['id', 'title', 'status', 'tags', 'history', 'opened'],
    ),
  ],
  [
    'ActionHistoryEntry',
    def(cycleSchema, 'historyEntry'),
    shape<ActionHistoryEntry>()(['date', 'status', 'note'], ['date', 'status']),
  ],
];

describe('schemas and types list the same fields', () => {
  for (const [name, schema, keys] of [...bankShapes, ...cycleShapes]) {
    it(name, () => {
      expect(schemaShape(schema)).toEqual(keys);
    });
  }
});

describe('enumerations agree', () => {
  it('item kinds', () => {
    const kinds = ['question', 'checklist', 'prompt'] as const satisfies readonly ItemKind[];
    const exhaustive: Exclude<ItemKind, (typeof kinds)[number]> extends never ? true : false = true;
    expect(exhaustive).toBe(true);
    expect(def(bankSchema, 'item').properties?.kind?.enum).toEqual([...kinds]);
  });
  it('answer statuses, ratings and action statuses', () => {
    const answer = def(cycleSchema, 'answer').properties!;
    expect(answer.status?.enum).toEqual([...QUESTION_STATUSES, ...CHECKLIST_STATUSES]);
    expect(answer.rating?.enum).toEqual([...RATINGS]);
    expect(def(cycleSchema, 'actionStatus').enum).toEqual([...ACTION_STATUSES]);
  });
});

describe('typed samples pass the compiled schemas', () => {
  it('a minimal bank', () => {
    const bank = {
      id: 'sample',
      title: 'Sample',
      version: '1',
      source: {
        title: 'T',
        publisher: 'Exampleshire County Council',
        url: 'https://example.org',
        credit: 'C',
      },
      evidenceRatings: [{ id: 'good', label: 'Good evidence', definition: 'D' }],
      keyPrinciples: [{ id: 'KP1', title: 'Key Principle 1', text: 'T' }],
      recommendations: [{ id: 'R1', title: 'Recommendation 1', text: 'T', evidence: 'good' }],
      stages: [
        {
          id: 'assess',
          title: 'Assess',
          introduction: 'I',
          sections: [
            {
              id: 'carers',
              title: 'Carers',
              items: [
                {
                  id: 'assess.carers.a',
                  kind: 'prompt',
                  text: 'This includes:',
                  tags: [],
                  children: [{ id: 'assess.carers.a.b', kind: 'question', text: 'Q?', tags: ['KP1'] }],
                },
              ],
            },
          ],
        },
      ],
      renamed: { 'assess.carers.old': 'assess.carers.a' },
    } satisfies Bank;
    expect(validateBank(bank), JSON.stringify(validateBank.errors)).toBe(true);
    expect(validateBank({ ...bank, extra: 1 })).toBe(false);
  });

  it('a cycle with an answer and an action', () => {
    const cycle = {
      format: 1,
      cycle: '2026-27',
      authority: 'Exampleshire County Council',
      bank: { id: 'reflective-tool', version: '1' },
      priorities: [{ recommendation: 'R1', rationale: ['64% of carers are grandparents'] }],
      answers: {
        'assess.carers.a.b': {
          status: 'answered',
          text: ['About 240 households'],
          rating: 'amber',
          changed: '2026-01-15',
        },
      },
      actions: [
        {
          id: 'A1',
          title: 'Publish the local offer',
          status: 'planned',
          tags: ['R1'],
          history: [{ date: '2026-01-15', status: 'planned' }],
          opened: '2026-27',
        },
      ],
    } satisfies CycleFile;
    expect(validateCycle(cycle), JSON.stringify(validateCycle.errors)).toBe(true);
    expect(validateCycle({ ...cycle, format: 2 })).toBe(false);
  });

  for (const id of BUILTIN_BANK_IDS) {
    it(`the built-in bank ${id}`, async () => {
      const bank = await loadBuiltinBank(id);
      expect(validateBank(bank), JSON.stringify(validateBank.errors)).toBe(true);
    });
  }
});
