import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { SetupScreen } from "../../src/setup/SetupScreen";
import { apiError, deferred, interview, json, mockApi, type Routes } from "../support/api";

const topics = [
  { slug: "python", title: "Python", category: "engineering" },
  { slug: "marketing", title: "Digital marketing", category: "business" },
];

const parsed = {
  format: "pdf",
  pages: 1,
  text_preview: "Jane Doe",
  profile: {
    name: "Jane Doe",
    headline: "Senior Python Developer",
    email: "jane@example.com",
    phone: null,
    links: [],
    summary: null,
    skills: ["Python", "FastAPI", "PostgreSQL"],
    experience: [{ company: "Acme", role: "Backend Engineer", start: "2019", end: null, highlights: [] }],
    projects: [],
    education: [],
    flags: [],
  },
};

function renderSetup(routes: Routes = {}) {
  const api = mockApi({ "GET /api/topics": () => json(200, topics), ...routes });
  render(<SetupScreen />);
  return api;
}

const cvInput = () => screen.getByLabelText(/^CV/) as HTMLInputElement;

describe("SetupScreen", () => {
  it("offers the question bank's topics and still takes free text", async () => {
    const user = userEvent.setup();
    renderSetup();
    const group = await screen.findByRole("group", { name: "Suggested topics" });
    await user.click(within(group).getByRole("button", { name: "Digital marketing" }));
    const topic = screen.getByLabelText("Topic or skill");
    expect(topic).toHaveValue("Digital marketing");
    await user.clear(topic);
    await user.type(topic, "Engineering management");
    expect(topic).toHaveValue("Engineering management");
    expect(document.querySelectorAll("datalist option")).toHaveLength(2);
  });

  it("asks for a topic before starting", async () => {
    const user = userEvent.setup();
    const api = renderSetup();
    await user.click(screen.getByRole("button", { name: "Start interview" }));
    expect(screen.getByText("Enter a topic or skill to practise.")).toBeInTheDocument();
    expect(screen.getByLabelText("Topic or skill")).toHaveFocus();
    expect(api.callsTo("POST /api/interviews")).toHaveLength(0);
  });

  it("starts with JSON and goes to the room", async () => {
    const user = userEvent.setup();
    const api = renderSetup({ "POST /api/interviews": () => json(201, interview({ id: "new1" })) });
    await user.type(screen.getByLabelText("Topic or skill"), "Python backend");
    await user.click(screen.getByLabelText(/Advanced/));
    await user.selectOptions(screen.getByLabelText("Kind of interview"), "behavioral");
    await user.selectOptions(screen.getByLabelText("Duration"), "15");
    await user.type(screen.getByLabelText("Job description"), "  Build APIs  ");
    await user.click(screen.getByRole("button", { name: "Start interview" }));
    await waitFor(() => expect(window.location.hash).toBe("#/interview/new1"));
    expect(api.callsTo("POST /api/interviews")[0]?.json).toEqual({
      topic: "Python backend",
      level: "advanced",
      kind: "behavioral",
      duration_minutes: 15,
      language: "en",
      job_description: "Build APIs",
    });
  });

  it("previews the parsed CV and sends it along with the settings", async () => {
    const user = userEvent.setup();
    const api = renderSetup({
      "POST /api/cv/parse": () => json(200, parsed),
      "POST /api/interviews": () => json(201, interview({ id: "new2" })),
    });
    await user.upload(cvInput(), new File(["%PDF"], "jane.pdf", { type: "application/pdf" }));
    const preview = await screen.findByRole("region", { name: "What we read from your CV" });
    expect(within(preview).getByText("Jane Doe")).toBeInTheDocument();
    expect(within(preview).getByText("Senior Python Developer")).toBeInTheDocument();
    expect(within(preview).getByRole("list", { name: "Skills" })).toHaveTextContent("PythonFastAPIPostgreSQL");
    expect(within(preview).getByText("Backend Engineer · Acme")).toBeInTheDocument();

    await user.type(screen.getByLabelText("Topic or skill"), "Python");
    await user.click(screen.getByRole("button", { name: "Start interview" }));
    await waitFor(() => expect(window.location.hash).toBe("#/interview/new2"));
    const form = api.callsTo("POST /api/interviews")[0]?.form;
    expect((form?.get("cv") as File).name).toBe("jane.pdf");
    expect(form?.get("topic")).toBe("Python");
  });

  it("accepts a dropped file", async () => {
    const api = renderSetup({ "POST /api/cv/parse": () => json(200, parsed) });
    const file = new File(["%PDF"], "dropped.pdf", { type: "application/pdf" });
    fireEvent.drop(screen.getByTestId("cv-dropzone"), { dataTransfer: { files: [file] } });
    await screen.findByRole("region", { name: "What we read from your CV" });
    expect((api.callsTo("POST /api/cv/parse")[0]?.form?.get("cv") as File).name).toBe("dropped.pdf");
  });

  it("shows the server's message next to the upload and keeps what was typed", async () => {
    const user = userEvent.setup();
    const api = renderSetup({
      "POST /api/cv/parse": () => apiError(422, "cv_unreadable", "This PDF is damaged and cannot be read."),
      "POST /api/interviews": () => json(201, interview({ id: "new3" })),
    });
    await user.type(screen.getByLabelText("Topic or skill"), "Go services");
    await user.type(screen.getByLabelText("Job description"), "Platform team");
    await user.upload(cvInput(), new File(["garbage"], "broken.pdf", { type: "application/pdf" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("broken.pdf could not be used: This PDF is damaged and cannot be read.");
    expect(cvInput()).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Topic or skill")).toHaveValue("Go services");
    expect(screen.getByLabelText("Job description")).toHaveValue("Platform team");

    // The broken file is not sent with the interview.
    await user.click(screen.getByRole("button", { name: "Start interview" }));
    await waitFor(() => expect(window.location.hash).toBe("#/interview/new3"));
    expect(api.callsTo("POST /api/interviews")[0]?.json).toMatchObject({ topic: "Go services" });
  });

  it("waits for the CV to be read before it can start", async () => {
    const user = userEvent.setup();
    const hold = deferred<Response>();
    renderSetup({ "POST /api/cv/parse": () => hold.promise });
    await user.upload(cvInput(), new File(["%PDF"], "slow.pdf"));
    expect(screen.getByRole("button", { name: "Start interview" })).toBeDisabled();
    expect(screen.getByText("Reading slow.pdf…")).toBeInTheDocument();
    hold.resolve(json(200, parsed));
    await waitFor(() => expect(screen.getByRole("button", { name: "Start interview" })).toBeEnabled());
  });

  it("shows why the server refused to start", async () => {
    const user = userEvent.setup();
    renderSetup({ "POST /api/interviews": () => apiError(422, "invalid", "Topic is too long.") });
    await user.type(screen.getByLabelText("Topic or skill"), "x");
    await user.click(screen.getByRole("button", { name: "Start interview" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Topic is too long.");
    expect(screen.getByRole("button", { name: "Start interview" })).toBeEnabled();
    expect(window.location.hash).toBe("");
  });
});
