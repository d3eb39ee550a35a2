// A small Markdown subset for text the server sends (problem statements, chat messages):
// headings, paragraphs, lists, fenced code blocks, inline code, bold and italic. It produces
// data, not HTML; the React side renders text nodes, so markup in the source stays plain text.

export type Segment = { kind: "text"; text: string } | { kind: "code"; language: string; code: string };

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong" | "em"; children: Inline[] };

export type Block =
  | { kind: "heading"; depth: number; content: Inline[] }
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "list"; ordered: boolean; start: number; items: Inline[][] }
  | { kind: "code"; language: string; code: string };

const fenceOpen = /^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;

/** Splits text into plain runs and fenced code blocks; an unclosed fence runs to the end. */
export function splitFences(text: string): Segment[] {
  const segments: Segment[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let plain: string[] = [];
  const flush = () => {
    if (plain.length > 0) segments.push({ kind: "text", text: plain.join("\n") });
    plain = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen.exec(lines[i] as string);
    if (!open) {
      plain.push(lines[i] as string);
      continue;
    }
    const fence = open[1] as string;
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`);
    const code: string[] = [];
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j] as string)) code.push(lines[j++] as string);
    flush();
    segments.push({ kind: "code", language: open[2] ?? "", code: code.join("\n") });
    i = j;
  }
  flush();
  return segments;
}

// Each rule: the pattern at the start of the rest of the text, and what it makes.
const inlineRules: { pattern: RegExp; make: (match: RegExpExecArray) => Inline }[] = [
  { pattern: /(`+)([\s\S]+?)\1(?!`)/y, make: (m) => ({ kind: "code", text: (m[2] as string).replace(/^ (.*) $/, "$1") }) },
  {
    pattern: /\*\*\*(?=\S)([\s\S]+?)(?<=\S)\*\*\*/y,
    make: (m) => ({ kind: "strong", children: [{ kind: "em", children: parseInline(m[1] as string) }] }),
  },
  { pattern: /\*\*(?=\S)([\s\S]+?)(?<=\S)\*\*/y, make: (m) => ({ kind: "strong", children: parseInline(m[1] as string) }) },
  { pattern: /__(?=\S)([\s\S]+?)(?<=\S)__(?![A-Za-z0-9])/y, make: (m) => ({ kind: "strong", children: parseInline(m[1] as string) }) },
  { pattern: /\*(?=[^\s*])([\s\S]+?)(?<=[^\s*])\*/y, make: (m) => ({ kind: "em", children: parseInline(m[1] as string) }) },
  { pattern: /_(?=[^\s_])([\s\S]+?)(?<=[^\s_])_(?![A-Za-z0-9])/y, make: (m) => ({ kind: "em", children: parseInline(m[1] as string) }) },
];

/** Inline code, bold and italic; everything else is text. Underscores inside words stay text. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = "";
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    let matched: RegExpExecArray | null = null;
    let rule = inlineRules[0];
    if (char === "`" || char === "*" || (char === "_" && !/[A-Za-z0-9]/.test(text[at - 1] ?? ""))) {
      for (rule of inlineRules) {
        rule.pattern.lastIndex = at;
        matched = rule.pattern.exec(text);
        if (matched) break;
      }
    }
    if (!matched || !rule) {
      // A backslash escapes the next punctuation character, as in Markdown.
      if (char === "\\" && /[\\`*_#\-+.!]/.test(text[at + 1] ?? "")) {
        plain += text[at + 1];
        at += 2;
      } else {
        plain += char;
        at += 1;
      }
      continue;
    }
    if (plain) out.push({ kind: "text", text: plain });
    plain = "";
    out.push(rule.make(matched));
    at += matched[0].length;
  }
  if (plain) out.push({ kind: "text", text: plain });
  return out;
}

const heading = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const bullet = /^ {0,3}[-*+][ \t]+(.*)$/;
const numbered = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/;
const blank = /^\s*$/;

function parseText(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (blank.test(line)) {
      i++;
      continue;
    }
    const title = heading.exec(line);
    if (title) {
      blocks.push({ kind: "heading", depth: (title[1] as string).length, content: parseInline(title[2] as string) });
      i++;
      continue;
    }
    const first = bullet.exec(line) ?? numbered.exec(line);
    if (first) {
      const ordered = !bullet.test(line);
      const itemPattern = ordered ? numbered : bullet;
      const items: string[] = [];
      while (i < lines.length && !blank.test(lines[i] as string)) {
        const item = itemPattern.exec(lines[i] as string);
        if (item) items.push(item[ordered ? 2 : 1] as string);
        else if (heading.test(lines[i] as string)) break;
        // A line that is not a new item continues the previous one (nested lists flatten).
        else items[items.length - 1] += ` ${(lines[i] as string).trim().replace(/^([-*+]|\d+[.)])[ \t]+/, "")}`;
        i++;
      }
      blocks.push({ kind: "list", ordered, start: ordered ? Number(first[1]) : 1, items: items.map(parseInline) });
      continue;
    }
    const paragraph: string[] = [];
    while (
      i < lines.length &&
      !blank.test(lines[i] as string) &&
      !heading.test(lines[i] as string) &&
      !bullet.test(lines[i] as string) &&
      !numbered.test(lines[i] as string)
    ) {
      paragraph.push((lines[i] as string).trim());
      i++;
    }
    blocks.push({ kind: "paragraph", content: parseInline(paragraph.join(" ")) });
  }
  return blocks;
}

/** The blocks of a Markdown document in the supported subset; raw HTML is kept as text. */
export function parseMarkdown(text: string): Block[] {
  return splitFences(text).flatMap((segment) =>
    segment.kind === "code" ? [{ kind: "code", language: segment.language, code: segment.code } as const] : parseText(segment.text),
  );
}
