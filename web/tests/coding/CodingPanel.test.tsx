import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { CodingExercise, Interview, Message } from "../../src/api/types";
import { RoomScreen } from "../../src/room/RoomScreen";
import {
  apiError,
  codeRun,
  codingExercise,
  deferred,
  interview,
  json,
  message,
  mockApi,
  streamed,
  type Routes,
} from "../support/api";

// Monaco never arrives in jsdom: the panel works on the plain text box it shows meanwhile.
vi.mock("../../src/coding/MonacoEditor", () => new Promise(() => undefined));

const codingProgress = {
  phase: "coding",
  phase_label: "Live coding",
  question_number: 3,
  planned_questions: 6,
  elapsed_seconds: 300,
  remaining_seconds: 1200,
};

const opening = message(1, "interviewer", "Let's do a live coding exercise. How would you approach it?");

function codingInterview(exercise: Partial<CodingExercise> = {}, overrides: Partial<Interview> = {}): Interview {
  return interview({
    kind: "coding",
    progress: codingProgress,
    messages: [opening],
    coding: codingExercise(exercise),
    ...overrides,
  });
}

/**
 * The room against a fake server that keeps the transcript: a route that answers with messages
 * (a run's, a hint's) also adds them to what the next GET returns, as the real server does.
 */
function renderRoom(routes: Routes = {}, exercise: Partial<CodingExercise> = {}) {
  const stored = codingInterview(exercise);
  const keep = (...added: (Message | null | undefined)[]) => {
    stored.messages = [...stored.messages, ...added.filter((m): m is Message => Boolean(m))];
  };
  const recording: Routes = {};
  for (const [route, handler] of Object.entries(routes)) {
    recording[route] = async (call) => {
      const response = await handler(call);
      if (response.ok && route.includes("/code/")) {
        const body = (await response.clone().json()) as {
          candidate_message?: Message;
          request?: Message;
          reply?: Message | null;
          hints_used?: number;
        };
        keep(body.candidate_message ?? body.request, body.reply);
        if (stored.coding && body.hints_used !== undefined) stored.coding.hints_used = body.hints_used;
      }
      return response;
    };
  }
  const api = mockApi({ "GET /api/interviews/iv1": () => json(200, stored), ...recording });
  const view = render(<RoomScreen id="iv1" />);
  return { api, stored, keep, ...view };
}

const editor = () => screen.getByRole("textbox", { name: /^Code \(/ }) as HTMLTextAreaElement;
const panel = () => screen.getByTestId("coding-panel");
const button = (name: string | RegExp) => within(panel()).getByRole("button", { name });
const setCode = (code: string) => fireEvent.change(editor(), { target: { value: code } });
const messageTexts = () => screen.getAllByTestId("message").map((el) => el.querySelector(".message-text")?.textContent);

const starter = "def has_duplicate(nums: list[int]) -> bool:\n    pass\n";
const javaStarter = "class Solution {\n    public static boolean hasDuplicate(long[] nums) {\n    }\n}\n";
const runRoute = "POST /api/interviews/iv1/code/run";
const submitRoute = "POST /api/interviews/iv1/code/submit";
const hintRoute = "POST /api/interviews/iv1/code/hint";

describe("the coding panel", () => {
  it("shows the problem and the editor on Python's starter code", async () => {
    renderRoom();
    const workspace = await screen.findByRole("region", { name: "Workspace" });
    expect(within(workspace).getByRole("heading", { level: 2, name: "Any Repeats?" })).toBeInTheDocument();
    expect(within(workspace).getByText("Easy")).toBeInTheDocument();
    expect(within(workspace).getByText("at least twice").tagName).toBe("STRONG");
    expect(within(workspace).getByText("nums = [4,1,7,1]")).toBeInTheDocument();
    expect(within(workspace).getByText("0 <= len(nums) <= 2 * 10^5").tagName).toBe("CODE");
    expect(screen.getByLabelText("Language")).toHaveValue("python");
    expect(editor()).toHaveAccessibleName("Code (Python)");
    expect(editor()).toHaveValue(starter);
    expect(button(/^Hint/)).toHaveTextContent("Hint 0/3 used");
  });

  it("runs the code on the examples, lists each test, and adds the run to the conversation", async () => {
    const user = userEvent.setup();
    const { api } = renderRoom({ [runRoute]: () => json(200, codeRun()) });
    await screen.findByTestId("coding-panel");
    setCode("def has_duplicate(nums):\n    return True\n");
    await user.click(button("Run"));

    expect(api.callsTo(runRoute)[0]?.json).toEqual({ language: "python", code: "def has_duplicate(nums):\n    return True\n" });
    const results = await screen.findByTestId("test-results");
    expect(within(results).getByRole("heading", { name: "Test run" })).toBeInTheDocument();
    expect(within(results).getByTestId("results-count")).toHaveTextContent("1 of 2 tests passed");
    const [first, second] = within(results).getAllByTestId("test-result");
    // A passing test's input and expected output come from the problem (the run leaves them out).
    expect(first).toHaveTextContent("Test 1Accepted3 ms");
    expect(first).toHaveTextContent("nums = [4,1,7,1]");
    expect(first).toHaveTextContent("Expectedtrue");
    expect(second).toHaveTextContent("Wrong answer");
    expect(second).toHaveTextContent("nums = [3,-3,0]");
    expect(second).toHaveTextContent("Expectedfalse");
    expect(second).toHaveTextContent("Your outputtrue");
    expect(second).toHaveTextContent("Standard error (last lines)checking 3 checking -3");
    expect(screen.getByTestId("code-status")).toHaveTextContent("Wrong answer: 1 of 2 tests passed.");
    expect(messageTexts().at(-1)).toBe("Ran Python code: 1/2 tests passed (wrong answer).return True");
    // Then the room reads the interview again for the exercise's new state.
    await waitFor(() => expect(api.callsTo("GET /api/interviews/iv1")).toHaveLength(2));
  });

  it("shows the compiler's output for code that does not compile", async () => {
    const user = userEvent.setup();
    const failed = codeRun({
      verdict: "compilation_error",
      passed: 0,
      tests: codeRun().tests.map((test) => ({ ...test, verdict: "compilation_error", input: null, expected: null, actual: null, stderr: null })),
      compile_output: "  File \"solution.py\", line 1\nSyntaxError: '(' was never closed\n",
    });
    renderRoom({ [runRoute]: () => json(200, failed) });
    await screen.findByTestId("coding-panel");
    setCode("def has_duplicate(nums:\n");
    await user.click(button("Run"));
    const results = await screen.findByTestId("test-results");
    expect(within(results).getByText("Compiler output").nextElementSibling).toHaveTextContent("SyntaxError: '(' was never closed");
    expect(within(results).queryByText("Input")).not.toBeInTheDocument();
  });

  it("submits every test and adds the interviewer's follow-up to the conversation", async () => {
    const user = userEvent.setup();
    const followUp = message(11, "interviewer", "All 3 tests pass. What is the time complexity?");
    const submitted = codeRun({
      kind: "submit",
      verdict: "accepted",
      passed: 3,
      total: 3,
      tests: [
        ...codeRun().tests.map((test) => ({ ...test, verdict: "accepted", actual: null, stderr: null })),
        { index: 2, verdict: "accepted", hidden: true, time_ms: 120, memory_kb: 9000, input: null, expected: null, actual: null, message: null, stderr: null },
      ],
      candidate_message: message(10, "candidate", "Submitted Python code: 3/3 tests passed (accepted).\n```python\nreturn len(set(nums)) < len(nums)\n```"),
      reply: followUp,
    });
    const { api } = renderRoom({ [submitRoute]: () => json(200, submitted) });
    await screen.findByTestId("coding-panel");
    setCode("def has_duplicate(nums):\n    return len(set(nums)) < len(nums)\n");
    await user.click(button("Submit"));

    const results = await screen.findByTestId("test-results");
    expect(within(results).getByRole("heading", { name: "Submission" })).toBeInTheDocument();
    expect(within(results).getByTestId("results-count")).toHaveTextContent("3 of 3 tests passed");
    expect(within(results).getByText(/Hidden tests: 1 of 1 passed/)).toBeInTheDocument();
    const hidden = within(results).getAllByTestId("test-result")[2];
    expect(hidden).toHaveTextContent("Hidden test 1Accepted120 ms");
    expect(hidden).not.toHaveTextContent("Input");
    expect(api.callsTo(submitRoute)[0]?.json).toEqual({
      language: "python",
      code: "def has_duplicate(nums):\n    return len(set(nums)) < len(nums)\n",
    });
    expect(messageTexts().slice(-2)).toEqual([
      "Submitted Python code: 3/3 tests passed (accepted).return len(set(nums)) < len(nums)",
      followUp.text,
    ]);
    expect(within(panel()).getByText(followUp.text)).toBeInTheDocument();
    await user.click(button("Answer"));
    expect(screen.getByLabelText("Your answer")).toHaveFocus();
  });

  it("gives hints, counts them, and stops when none are left", async () => {
    const user = userEvent.setup();
    const { api } = renderRoom(
      {
        [hintRoute]: () =>
          json(200, {
          request: message(10, "candidate", "(Asked for a hint.)"),
          reply: message(11, "interviewer", "Here's hint 3 of 3: use a set."),
            hints_used: 3,
            hints_total: 3,
          }),
      },
      { hints_used: 2 },
    );
    await screen.findByTestId("coding-panel");
    expect(button(/^Hint/)).toHaveTextContent("2/3 used");
    await user.click(button(/^Hint/));
    expect(await within(panel()).findByText("Here's hint 3 of 3: use a set.")).toBeInTheDocument();
    expect(messageTexts().slice(-2)).toEqual(["(Asked for a hint.)", "Here's hint 3 of 3: use a set."]);
    await waitFor(() => expect(button(/^Hint/)).toHaveTextContent("3/3 used"));
    expect(button(/^Hint/)).toHaveAttribute("aria-disabled", "true");
    await user.click(button(/^Hint/));
    expect(api.callsTo(hintRoute)).toHaveLength(1);
  });

  it.each([
    [429, "runner_busy", "Every code runner is busy. Try again in a moment."],
    [503, "sandbox_unavailable", "Code can't run safely on this machine: user namespaces are disabled."],
    [409, "no_coding_exercise", "There is no coding exercise open in this interview right now."],
  ])("shows the server's %i (%s) next to the buttons and keeps the code", async (status, code, text) => {
    const user = userEvent.setup();
    renderRoom({ [runRoute]: () => apiError(status, code, text) });
    await screen.findByTestId("coding-panel");
    setCode("def has_duplicate(nums):\n    return False\n");
    await user.click(button("Run"));
    expect(await within(panel()).findByRole("alert")).toHaveTextContent(text);
    expect(editor()).toHaveValue("def has_duplicate(nums):\n    return False\n");
    expect(screen.queryByTestId("test-results")).not.toBeInTheDocument();
  });

  it("keeps each language's code across a language switch and a reload", async () => {
    const user = userEvent.setup();
    const { unmount } = renderRoom();
    await screen.findByTestId("coding-panel");
    await user.clear(editor());
    await user.type(editor(), "def has_duplicate(nums):\n    return True");

    await user.selectOptions(screen.getByLabelText("Language"), "java");
    expect(editor()).toHaveAccessibleName("Code (Java)");
    expect(editor()).toHaveValue(javaStarter);
    await user.selectOptions(screen.getByLabelText("Language"), "python");
    expect(editor()).toHaveValue("def has_duplicate(nums):\n    return True");

    await user.selectOptions(screen.getByLabelText("Language"), "java");
    setCode("class Solution { }");
    unmount();
    render(<RoomScreen id="iv1" />);
    await screen.findByTestId("coding-panel");
    expect(screen.getByLabelText("Language")).toHaveValue("java");
    expect(editor()).toHaveValue("class Solution { }");
    await user.selectOptions(screen.getByLabelText("Language"), "python");
    expect(editor()).toHaveValue("def has_duplicate(nums):\n    return True");
  });

  it("runs with Ctrl+Enter from the editor", async () => {
    const user = userEvent.setup();
    const { api } = renderRoom({ [runRoute]: () => json(200, codeRun()) });
    await screen.findByTestId("coding-panel");
    editor().focus();
    await user.keyboard("{Control>}{Enter}{/Control}");
    await screen.findByTestId("test-results");
    expect(api.callsTo(runRoute)[0]?.json).toEqual({ language: "python", code: starter });
  });

  it("runs nothing while an answer waits for its reply, and sends no answer while code runs", async () => {
    const user = userEvent.setup();
    const reply = deferred<Response>();
    const run = deferred<Response>();
    const { api, keep } = renderRoom({
      "POST /api/interviews/iv1/answer/stream": async () => {
        const response = await reply.promise;
        keep(message(2, "candidate", "I'd use a set."), message(3, "interviewer", "Go ahead."));
        return response;
      },
      [runRoute]: () => run.promise,
    });
    await screen.findByTestId("coding-panel");
    await user.type(screen.getByLabelText("Your answer"), "I'd use a set.{Enter}");
    expect(button("Run")).toHaveAttribute("aria-disabled", "true");
    await user.click(button("Run"));
    expect(api.callsTo(runRoute)).toHaveLength(0);
    expect(screen.getByTestId("code-status")).toHaveTextContent("Waiting for the interviewer's reply…");
    reply.resolve(
      streamed({
        candidate_message: message(2, "candidate", "I'd use a set."),
        reply: message(3, "interviewer", "Go ahead."),
        status: "in_progress",
        progress: codingProgress,
      }),
    );
    await screen.findByText("Go ahead.");

    await user.click(button("Run"));
    expect(button("Running…")).toHaveAttribute("aria-busy", "true");
    await user.type(screen.getByLabelText("Your answer"), "Done");
    expect(screen.getByRole("button", { name: "Send" })).toBeDisabled();
    run.resolve(json(200, codeRun()));
    await screen.findByTestId("test-results");
    await waitFor(() => expect(screen.getByRole("button", { name: "Send" })).toBeEnabled());
  });

  it("opens when the interviewer starts the exercise", async () => {
    const user = userEvent.setup();
    let opened = false;
    mockApi({
      "GET /api/interviews/iv1": () =>
        json(200, opened ? codingInterview() : interview({ kind: "coding", messages: [message(1, "interviewer", "Hi!")] })),
      "POST /api/interviews/iv1/answer/stream": () => {
        opened = true;
        return streamed({
          candidate_message: message(2, "candidate", "skip"),
          reply: message(3, "interviewer", "Let's do a live coding exercise."),
          status: "in_progress",
          progress: codingProgress,
        });
      },
    });
    render(<RoomScreen id="iv1" />);
    await screen.findByText("Hi!");
    expect(screen.queryByRole("region", { name: "Workspace" })).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Your answer"), "skip{Enter}");
    expect(await screen.findByTestId("coding-panel")).toBeInTheDocument();
  });

  it("shows what the exercise was once it is over, without the editor", async () => {
    renderRoom(
      {
        "GET /api/interviews/iv1": () =>
          json(
            200,
            codingInterview(
              {
                active: false,
                hints_used: 1,
                runs: [
                  { kind: "run", language: "python", passed: 1, total: 2, verdict: "wrong_answer", summary: "Ran Python code: 1/2 tests passed (wrong answer)." },
                  { kind: "submit", language: "python", passed: 10, total: 10, verdict: "accepted", summary: "Submitted Python code: 10/10 tests passed (accepted)." },
                ],
              },
              { progress: { ...codingProgress, phase: "behavioral", phase_label: "Behavioral" } },
            ),
          ),
      },
    );
    const summary = await screen.findByTestId("coding-summary");
    expect(summary).toHaveTextContent("The coding exercise is over.");
    expect(summary).toHaveTextContent("hints used: 1 of 3");
    expect(within(summary).getByText("Submitted Python code: 10/10 tests passed (accepted).")).toBeInTheDocument();
    expect(within(summary).getByRole("heading", { name: "Any Repeats?" })).toBeInTheDocument();
    expect(within(summary).queryByText("at least twice")).not.toBeVisible();
    await userEvent.click(within(summary).getByRole("button", { name: "Show problem", expanded: false }));
    expect(within(summary).getByText("at least twice")).toBeVisible();
    expect(within(summary).getByRole("button", { name: "Hide problem", expanded: true })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Run" })).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: /^Code/ })).not.toBeInTheDocument();
  });
});
