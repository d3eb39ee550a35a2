import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { InlineMarkdown, Markdown } from "../../src/components/Markdown";
import { parseInline, parseMarkdown, splitFences } from "../../src/components/markdown";

describe("the Markdown subset", () => {
  it("renders headings, paragraphs, lists, code blocks, inline code, bold and italic", () => {
    const text = [
      "# Two Sum",
      "",
      "Given `nums`, return **two** indices",
      "that add up to *target*.",
      "",
      "## Notes",
      "- each input has _one_ answer",
      "- you may not use the same element twice",
      "",
      "1. sort",
      "2. scan",
      "",
      "```python",
      "def two_sum(nums, target):",
      "    return [0, 1]",
      "```",
    ].join("\n");
    const { container } = render(<Markdown text={text} headingLevel={3} />);
    expect(container.querySelector("h3")).toHaveTextContent("Two Sum");
    expect(container.querySelector("h4")).toHaveTextContent("Notes");
    const paragraph = container.querySelector("p");
    expect(paragraph).toHaveTextContent("Given nums, return two indices that add up to target.");
    expect(paragraph?.querySelector("code")).toHaveTextContent("nums");
    expect(paragraph?.querySelector("strong")).toHaveTextContent("two");
    expect(paragraph?.querySelector("em")).toHaveTextContent("target");
    expect([...container.querySelectorAll("ul li")].map((li) => li.textContent)).toEqual([
      "each input has one answer",
      "you may not use the same element twice",
    ]);
    expect(container.querySelector("ul em")).toHaveTextContent("one");
    expect([...container.querySelectorAll("ol li")].map((li) => li.textContent)).toEqual(["sort", "scan"]);
    const code = container.querySelector("pre code");
    expect(code?.textContent).toBe("def two_sum(nums, target):\n    return [0, 1]");
    expect(container.querySelector("pre")).toHaveAttribute("data-language", "python");
  });

  it("shows HTML as text instead of interpreting it", () => {
    const text = [
      "<script>alert('x')</script>",
      "",
      'Click <img src=x onerror="alert(1)"> **<b>bold</b>** and `<i>code</i>`',
      "",
      "```",
      "<iframe src='https://example.com'></iframe>",
      "```",
    ].join("\n");
    const { container } = render(<Markdown text={text} />);
    expect(container.querySelector("script, img, iframe, b, i")).toBeNull();
    expect(container).toHaveTextContent("<script>alert('x')</script>");
    expect(container.querySelector("strong")).toHaveTextContent("<b>bold</b>");
    expect(container.querySelector("p code")).toHaveTextContent("<i>code</i>");
    expect(container.querySelector("pre code")).toHaveTextContent("<iframe src='https://example.com'></iframe>");
  });

  it("keeps underscores in names and lone asterisks as text", () => {
    expect(parseInline("call can_attend_all with 2 * 10^5 items")).toEqual([
      { kind: "text", text: "call can_attend_all with 2 * 10^5 items" },
    ]);
    expect(parseInline("a \\*literal\\* star")).toEqual([{ kind: "text", text: "a *literal* star" }]);
    expect(parseInline("``a `tick` inside``")).toEqual([{ kind: "code", text: "a `tick` inside" }]);
    expect(parseInline("***both***")).toEqual([{ kind: "strong", children: [{ kind: "em", children: [{ kind: "text", text: "both" }] }] }]);
  });

  it("runs an unclosed fence to the end and keeps the text around fences", () => {
    expect(splitFences("Ran it:\n```python\nprint(1)\n```\nDone.")).toEqual([
      { kind: "text", text: "Ran it:" },
      { kind: "code", language: "python", code: "print(1)" },
      { kind: "text", text: "Done." },
    ]);
    expect(splitFences("```\nopen")).toEqual([{ kind: "code", language: "", code: "open" }]);
    expect(parseMarkdown("no fences here")).toEqual([{ kind: "paragraph", content: [{ kind: "text", text: "no fences here" }] }]);
  });

  it("renders inline Markdown without a wrapping block", () => {
    const { container } = render(
      <p>
        <InlineMarkdown text="`0 <= n` and **fast**" />
      </p>,
    );
    expect(container.innerHTML).toBe("<p><code>0 &lt;= n</code> and <strong>fast</strong></p>");
  });
});
