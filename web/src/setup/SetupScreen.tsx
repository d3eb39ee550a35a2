import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { ApiError, createInterview, listTopics, parseCv } from "../api/client";
import type { Kind, Level, Topic } from "../api/types";
import { Notice } from "../components/Notice";
import { kindLabels, levelLabels } from "../components/format";
import { navigate, paths } from "../routing";
import { CvUpload, type CvState } from "./CvUpload";
import { TopicField } from "./TopicField";
import { defaultDuration, durations, kinds, levels } from "./options";
import "./setup.css";

/** The set-up form: what to practise, how hard, how long, and optionally a CV and a job description. */
export function SetupScreen() {
  const [topics, setTopics] = useState<Topic[]>([]);
  const [topic, setTopic] = useState("");
  const [topicError, setTopicError] = useState<string | null>(null);
  const [level, setLevel] = useState<Level>("intermediate");
  const [kind, setKind] = useState<Kind>("mixed");
  const [duration, setDuration] = useState<number>(defaultDuration);
  const [jobDescription, setJobDescription] = useState("");
  const [cv, setCv] = useState<CvState>({ status: "empty" });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const cvRequest = useRef(0);
  const topicInput = useRef<HTMLInputElement>(null);
  const ids = { kind: useId(), kindHint: useId(), duration: useId(), jd: useId(), jdHint: useId() };

  useEffect(() => {
    let live = true;
    // Suggestions are a convenience: without them the topic is still free text.
    listTopics()
      .then((list) => live && setTopics(list))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const selectCv = async (file: File) => {
    const request = ++cvRequest.current;
    setCv({ status: "parsing", file });
    try {
      const result = await parseCv(file);
      if (request === cvRequest.current) setCv({ status: "ready", file, result });
    } catch (error) {
      const message = error instanceof ApiError ? error.message : "The CV could not be read.";
      if (request === cvRequest.current) setCv({ status: "error", fileName: file.name, message });
    }
  };

  const clearCv = () => {
    cvRequest.current++;
    setCv({ status: "empty" });
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!topic.trim()) {
      setTopicError("Enter a topic or skill to practise.");
      topicInput.current?.focus();
      return;
    }
    setTopicError(null);
    setStartError(null);
    setStarting(true);
    try {
      const interview = await createInterview(
        {
          topic: topic.trim(),
          level,
          kind,
          duration_minutes: duration,
          language: "en",
          job_description: jobDescription.trim() || null,
        },
        cv.status === "ready" ? cv.file : null,
      );
      navigate(paths.room(interview.id));
    } catch (error) {
      setStartError(error instanceof ApiError ? error.message : "The interview could not be started.");
      setStarting(false);
    }
  };

  const kindHint = kinds.find((option) => option.value === kind)?.hint;

  return (
    <form className="setup" onSubmit={start} noValidate aria-labelledby="setup-title">
      <div className="setup-intro">
        <h1 id="setup-title">Set up your mock interview</h1>
        <p className="lead">
          Pick what to practise. The interviewer asks one question at a time, follows up on what you say, and ends
          with a report that quotes your own answers.
        </p>
      </div>

      <section className="panel setup-interview" aria-labelledby="setup-interview-title">
        <h2 id="setup-interview-title">The interview</h2>
        <TopicField
          value={topic}
          onChange={(value) => {
            setTopic(value);
            if (value.trim()) setTopicError(null);
          }}
          topics={topics}
          error={topicError}
          inputRef={topicInput}
        />

        <fieldset className="field">
          <legend>Level</legend>
          <div className="segmented">
            {levels.map((option) => (
              <label key={option.value} className="segment">
                <input
                  type="radio"
                  name="level"
                  value={option.value}
                  checked={level === option.value}
                  onChange={() => setLevel(option.value)}
                />
                <span className="segment-body">
                  <span className="segment-title">{levelLabels[option.value]}</span>
                  <span className="segment-hint">{option.hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="field-row">
          <div className="field">
            <label htmlFor={ids.kind}>Kind of interview</label>
            <select
              id={ids.kind}
              name="kind"
              value={kind}
              onChange={(event) => setKind(event.target.value as Kind)}
              aria-describedby={ids.kindHint}
            >
              {kinds.map((option) => (
                <option key={option.value} value={option.value}>
                  {kindLabels[option.value]}
                </option>
              ))}
            </select>
            <p className="hint" id={ids.kindHint}>
              {kindHint}
            </p>
          </div>
          <div className="field">
            <label htmlFor={ids.duration}>Duration</label>
            <select
              id={ids.duration}
              name="duration_minutes"
              value={duration}
              onChange={(event) => setDuration(Number(event.target.value))}
            >
              {durations.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {minutes} minutes
                </option>
              ))}
            </select>
          </div>
        </div>
      </section>

      <section className="panel setup-context" aria-labelledby="setup-context-title">
        <h2 id="setup-context-title">
          About you <span className="optional">(optional)</span>
        </h2>
        <CvUpload state={cv} onSelect={selectCv} onClear={clearCv} />
        <div className="field">
          <label htmlFor={ids.jd}>Job description</label>
          <p className="hint" id={ids.jdHint}>
            Paste the posting you're preparing for; questions will lean towards it.
          </p>
          <textarea
            id={ids.jd}
            name="job_description"
            rows={6}
            value={jobDescription}
            onChange={(event) => setJobDescription(event.target.value)}
            aria-describedby={ids.jdHint}
          />
        </div>
      </section>

      <div className="setup-actions">
        {startError && <Notice tone="error">{startError}</Notice>}
        <button
          type="submit"
          className="button button-primary button-large"
          disabled={starting || cv.status === "parsing"}
        >
          {starting ? "Starting…" : "Start interview"}
        </button>
        {cv.status === "parsing" && <p className="hint">Waiting for the CV to be read…</p>}
      </div>
    </form>
  );
}
