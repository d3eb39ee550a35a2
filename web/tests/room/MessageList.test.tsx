import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MessageList } from "../../src/room/MessageList";
import { message } from "../support/api";

const renderList = (...texts: string[]) =>
  render(
    <MessageList
      messages={texts.map((text, i) => message(i + 1, i % 2 ? "candidate" : "interviewer", text))}
      pending={null}
      live={null}
      typing={false}
    />,
  );

describe("MessageList", () => {
  it("shows fenced code in a message as a code block, and the text around it as text", () => {
    const { container } = renderList(
      "Let's code.",
      "Ran Python code: 2/3 tests passed (wrong answer).\n```python\ndef f(xs):\n    return xs[0] < 1\n```",
    );
    const [, ran] = screen.getAllByTestId("message");
    expect(ran?.querySelector("p")).toHaveTextContent("Ran Python code: 2/3 tests passed (wrong answer).");
    const code = ran?.querySelector("pre code");
    expect(code?.textContent).toBe("def f(xs):\n    return xs[0] < 1");
    expect(ran?.querySelector("pre")).toHaveAttribute("data-language", "python");
    expect(container.querySelectorAll("pre")).toHaveLength(1);
  });

  it("never turns a message into HTML, in code or out of it", () => {
    const { container } = renderList(
      "<img src=x onerror=alert(1)> hello",
      "```html\n<script>alert('x')</script>\n```\n<b>after</b>",
    );
    expect(container.querySelector("img, script, b")).toBeNull();
    expect(screen.getByText("<img src=x onerror=alert(1)> hello")).toBeInTheDocument();
    expect(container.querySelector("pre code")?.textContent).toBe("<script>alert('x')</script>");
    expect(screen.getByText("<b>after</b>")).toBeInTheDocument();
  });

  it("says which brain wrote each interviewer message, and why the built-in one stood in", () => {
    render(
      <MessageList
        messages={[
          message(1, "interviewer", "Hi."),
          { ...message(2, "interviewer", "What is a generator?"), brain: "model" },
          { ...message(3, "candidate", "A lazy iterator."), brain: null },
          { ...message(4, "interviewer", "Why lazy?"), brain: "embedded", fallback_reason: "over_budget" },
          { ...message(5, "interviewer", "Tell me about yourself."), brain: "embedded" },
        ]}
        pending={null}
        live={null}
        typing={false}
      />,
    );
    const notes = screen.getAllByTestId("message").map((el) => el.querySelector("[data-testid=message-brain]")?.textContent);
    expect(notes).toEqual([undefined, "model", undefined, "built-in reply: the model was too slow", undefined]);
  });

  it("keeps a message without fences as one paragraph, line breaks and all", () => {
    renderList("First line\nsecond line with `backticks`");
    const text = screen.getByTestId("message").querySelector(".message-text");
    expect(text?.tagName).toBe("P");
    expect(text?.textContent).toBe("First line\nsecond line with `backticks`");
  });
});
