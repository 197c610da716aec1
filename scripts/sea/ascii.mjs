// The bundles in ASCII (scripts/build.mjs for dist/, scripts/build-exe.mjs for the executable);
// tests/sea-ascii.test.ts checks that the code means the same after.
import ts from 'typescript';

/** `\uXXXX` (or a surrogate pair) for each character outside ASCII. */
const escapeNonAscii = (text, astral) =>
  text.replace(/[^\x00-\x7f]/gu, (c) => {
    const code = c.codePointAt(0);
    if (code > 0xffff) return astral(c);
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
const utf16Escapes = (c) => [...c.split('')].map((u) => `\\u${u.charCodeAt(0).toString(16)}`).join('');

/**
 * The bundle in ASCII, which makes a one-byte string for V8 (no UTF-8 decoding, a faster scan):
 * ~2 ms of each start. esbuild already escapes strings and names (charset ascii) but keeps regular
 * expression literals and String.raw templates as written, so those are escaped here, found by
 * TypeScript's parser: in a regular expression `\u2019` means `’` in every position (a character
 * after a backslash is left alone); in a String.raw template the character becomes a substitution
 * of itself (`${"\u2019"}`), which String.raw joins back in. Anything else stays as it is, with a
 * warning (main.cjs then decodes the bundle as UTF-8).
 */
export function asciiOnly(code, warn = console.warn, label = 'build:exe') {
  if (!/[^\x00-\x7f]/.test(code)) return code;
  const file = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const edits = [];
  const edit = (node, text) => edits.push({ start: node.getStart(file), end: node.end, text });
  const visit = (node) => {
    if (ts.isRegularExpressionLiteral(node)) {
      const text = node.getText(file);
      const unicode = /\/[a-z]*u[a-z]*$/.test(text) || /\/[a-z]*v[a-z]*$/.test(text);
      if (/[^\x00-\x7f]/.test(text) && !/\\[^\x00-\x7f]/u.test(text))
        edit(
          node,
          escapeNonAscii(text, unicode ? (c) => `\\u{${c.codePointAt(0).toString(16)}}` : utf16Escapes),
        );
      return;
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(file) === 'String.raw') {
      const t = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(t)
        ? [t]
        : [t.head, ...t.templateSpans.map((p) => p.literal)];
      for (const part of parts) {
        const text = part.getText(file);
        if (/[^\x00-\x7f]/.test(text))
          edit(
            part,
            text.replace(
              /[^\x00-\x7f]/gu,
              (c) =>
                `\${${JSON.stringify(c).replace(/[^\x00-\x7f]/gu, (u) => escapeNonAscii(u, utf16Escapes))}}`,
            ),
          );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  const left = out.split('\n').flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [i + 1] : []));
  if (left.length > 0)
    warn(
      `${label}: warning: the bundle keeps characters outside ASCII (lines ${left.slice(0, 5).join(', ')}), so it is decoded as UTF-8 at each start`,
    );
  return out;
}
