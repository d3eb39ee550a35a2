import type { ReactNode } from "react";
import { parseInline, parseMarkdown, type Block, type Inline } from "./markdown";

function renderInline(nodes: readonly Inline[]): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.kind) {
      case "text":
        return node.text;
      case "code":
        return <code key={index}>{node.text}</code>;
      case "strong":
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case "em":
        return <em key={index}>{renderInline(node.children)}</em>;
    }
  });
}

/** A fenced code block: plain text in <pre><code>, scrolling sideways rather than wrapping. */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  return (
    <pre className="code-block" data-language={language || undefined}>
      <code>{code}</code>
    </pre>
  );
}

function renderBlock(block: Block, index: number, headingLevel: number): ReactNode {
  switch (block.kind) {
    case "heading": {
      const Tag = `h${Math.min(6, headingLevel + block.depth - 1)}` as "h3";
      return <Tag key={index}>{renderInline(block.content)}</Tag>;
    }
    case "paragraph":
      return <p key={index}>{renderInline(block.content)}</p>;
    case "list": {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item)}</li>);
      return block.ordered ? (
        <ol key={index} start={block.start === 1 ? undefined : block.start}>
          {items}
        </ol>
      ) : (
        <ul key={index}>{items}</ul>
      );
    }
    case "code":
      return <CodeBlock key={index} code={block.code} language={block.language} />;
  }
}

interface MarkdownProps {
  text: string;
  /** The HTML level a `#` heading becomes, so the text fits under the page's own headings. */
  headingLevel?: number;
  className?: string;
}

/** Markdown from the server in the supported subset, rendered as React elements (never as HTML). */
export function Markdown({ text, headingLevel = 3, className }: MarkdownProps) {
  return <div className={className ?? "markdown"}>{parseMarkdown(text).map((block, i) => renderBlock(block, i, headingLevel))}</div>;
}

/** One line of inline Markdown (code, bold, italic), for short texts such as constraints. */
export function InlineMarkdown({ text }: { text: string }) {
  return <>{renderInline(parseInline(text))}</>;
}
