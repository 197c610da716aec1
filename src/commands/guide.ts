import type { CommandOptions } from '../command-spec.ts';
import { toJsonText } from '../core/control-chars.ts';
import type { Bank } from '../core/types.ts';
import { wrapText } from '../core/wrap.ts';
import type { CommandContext } from '../shell/context.ts';
import { humanWidth, writeHuman } from '../shell/human-output.ts';
import { resolveBank } from '../shell/workspace.ts';
import { makeTheme } from '../ui/theme.ts';

/** The options of `guide`, as src/command-spec.ts declares them. */
export type GuideOptions = CommandOptions<'guide'>;

/** `guide --json`: one document with everything the tags refer to. */
export function guideDocument(bank: Bank) {
  const label = (id: string) => bank.evidenceRatings.find((e) => e.id === id)?.label ?? id;
  return {
    bank: { id: bank.id, title: bank.title, version: bank.version },
    source: bank.source,
    keyPrinciples: bank.keyPrinciples,
    recommendations: bank.recommendations.map((r) => ({ ...r, evidenceLabel: label(r.evidence) })),
    evidenceRatings: bank.evidenceRatings,
    allTag: bank.allTag ?? null,
  };
}

/** `guide`: the Key Principles, the Recommendations with evidence ratings, and what the ratings mean. */
export async function guide(opts: GuideOptions, ctx: CommandContext): Promise<void> {
  const bank = await resolveBank(ctx);
  if (opts.json) {
    ctx.stdout.write(`${toJsonText(guideDocument(bank), 2)}\n`);
    return;
  }
  const t = await makeTheme(ctx, ctx.stdout);
  // at most 100 columns, to read; each paragraph's line breaks are the source's, so every line of it
  // starts with the indent and is wrapped (with the rest of the page) by writeHuman
  const width = Math.min(humanWidth(ctx.stdout), 100);
  const lines: string[] = [];
  const para = (text: string, indent = '    ') =>
    lines.push(
      wrapText(
        t
          .safe(text)
          .split('\n')
          .map((l) => (l.trim() === '' ? '' : `${indent}${l.trim()}`))
          .join('\n'),
        width,
      ),
    );
  lines.push(t.heading(t.safe(bank.title)));
  para(`${bank.source.title}, ${bank.source.publisher}.`, '');
  lines.push(t.safe(bank.source.url));

  if (bank.keyPrinciples.length > 0) {
    lines.push('', t.heading('Key Principles'));
    for (const kp of bank.keyPrinciples) {
      lines.push('', `  ${t.badges([t.safe(kp.id)])} ${t.safe(kp.title)}`);
      para(kp.text);
    }
  }
  if (bank.recommendations.length > 0) {
    lines.push('', t.heading('Recommendations'));
    for (const r of bank.recommendations) {
      const rating = bank.evidenceRatings.find((e) => e.id === r.evidence);
      lines.push(
        '',
        `  ${t.badges([t.safe(r.id)])} ${t.safe(r.title)}: ${t.safe(rating?.label ?? r.evidence)}`,
      );
      para(r.text);
    }
  }
  if (bank.evidenceRatings.length > 0) {
    lines.push('', t.heading('What the evidence ratings mean'));
    for (const e of bank.evidenceRatings) {
      lines.push('', `  ${t.safe(e.label)}`);
      para(e.definition);
    }
  }
  if (bank.allTag !== undefined) {
    lines.push('', t.heading('The ALL tag'), '');
    para(bank.allTag, '  ');
  }
  lines.push('', t.heading('Source and credit'), '');
  para(bank.source.credit, '  ');
  writeHuman(ctx.stdout, `${lines.join('\n')}\n`);
}
