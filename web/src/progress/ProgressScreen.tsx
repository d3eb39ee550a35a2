import { useCallback, useEffect, useState } from "react";
import { ApiError, getProgress } from "../api/client";
import type { DimensionTrend, ImprovementTheme, PracticeStep, ProgressOverview, TopicProgress } from "../api/types";
import { Loading } from "../components/Loading";
import { Notice } from "../components/Notice";
import { Quotes } from "../components/Quotes";
import { Stats } from "../components/Stats";
import { dateTime, labelOf, levelLabels } from "../components/format";
import { paths } from "../routing";
import { TrendChart } from "./TrendChart";
import "./progress.css";

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
const signed = (change: number) => (change > 0 ? `+${change}` : String(change));

/** Progress over time: scores per topic and dimension, recurring themes, and what to practise next. Loaded only when opened. */
export default function ProgressScreen() {
  const [data, setData] = useState<ProgressOverview | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await getProgress());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Your progress could not be loaded.");
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="progress" aria-labelledby="progress-title">
      <h1 id="progress-title">Your progress</h1>
      {error && (
        <Notice
          tone="error"
          action={
            <button type="button" className="button" onClick={() => void load()}>
              Try again
            </button>
          }
        >
          {error}
        </Notice>
      )}
      {!data && !error && <Loading label="Loading your progress…" />}
      {data && (
        <>
          <div className="panel">
            <Stats
              stats={[
                ["Finished interviews", String(data.interviews)],
                ["With a score", String(data.scored)],
                ["Topics", String(data.topics.length)],
              ]}
            />
          </div>
          {data.scored === 0 && (
            <div className="panel empty">
              <p>No scored interviews yet. A finished interview with at least three full answers gets a score.</p>
              <a href={paths.setup()}>Start an interview</a>
            </div>
          )}
          {data.topics.length > 0 && <Topics topics={data.topics} />}
          {data.dimensions.length > 0 && <Dimensions dimensions={data.dimensions} />}
          {data.themes.length > 0 && <Themes themes={data.themes} />}
          <Plan steps={data.plan} />
        </>
      )}
    </section>
  );
}

function Topics({ topics }: { topics: readonly TopicProgress[] }) {
  return (
    <section className="panel" aria-labelledby="progress-topics">
      <h2 id="progress-topics">Overall score by topic</h2>
      <p className="muted">Out of 100, oldest interview on the left.</p>
      <div className="progress-topics">
        {topics.map((topic) => {
          const scores = topic.points.map((point) => point.overall_score);
          const latest = scores[scores.length - 1] ?? 0;
          const first = scores[0] ?? 0;
          return (
            <figure key={topic.topic} className="progress-topic" data-testid="progress-topic">
              <figcaption>
                <h3>{topic.topic}</h3>
                <span className="muted">
                  {plural(scores.length, "interview")} · latest {latest}/100
                  {scores.length > 1 &&
                    (latest === first ? " (same as the first)" : ` (${signed(latest - first)} since the first)`)}
                </span>
              </figcaption>
              <TrendChart
                values={scores}
                min={0}
                max={100}
                title={`${topic.topic}: overall score over time`}
                description={`Scores out of 100, oldest first: ${scores.join(", ")}.`}
              />
              <details>
                <summary>Scores as a table</summary>
                <table className="progress-points">
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col">Level</th>
                      <th scope="col">Score</th>
                    </tr>
                  </thead>
                  <tbody>
                    {topic.points.map((point) => (
                      <tr key={point.id}>
                        <td>
                          <a href={paths.report(point.id)}>{dateTime(point.date)}</a>
                        </td>
                        <td>{labelOf(levelLabels, point.level)}</td>
                        <td>{point.overall_score}/100</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </figure>
          );
        })}
      </div>
    </section>
  );
}

function Dimensions({ dimensions }: { dimensions: readonly DimensionTrend[] }) {
  return (
    <section className="panel" aria-labelledby="progress-dimensions">
      <h2 id="progress-dimensions">Each dimension over time</h2>
      <table className="progress-dimensions">
        <caption className="visually-hidden">Scores from 1 to 5 per dimension, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Dimension</th>
            <th scope="col">Trend</th>
            <th scope="col">First</th>
            <th scope="col">Latest</th>
            <th scope="col">Average</th>
          </tr>
        </thead>
        <tbody>
          {dimensions.map((dimension) => (
            <tr key={dimension.name} data-testid="progress-dimension">
              <th scope="row">{dimension.name}</th>
              <td data-label="Trend">
                <TrendChart
                  size="small"
                  values={dimension.scores}
                  min={1}
                  max={5}
                  title={`${dimension.name} over time`}
                  description={`Scores out of 5, oldest first: ${dimension.scores.join(", ")}.`}
                />
              </td>
              <td data-label="First">{dimension.first}/5</td>
              <td data-label="Latest">
                {dimension.latest}/5
                {dimension.scores.length > 1 && dimension.latest !== dimension.first && (
                  <span className={`progress-change ${dimension.latest > dimension.first ? "up" : "down"}`}>
                    {" "}
                    ({signed(dimension.latest - dimension.first)})
                  </span>
                )}
              </td>
              <td data-label="Average">{dimension.average}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Themes({ themes }: { themes: readonly ImprovementTheme[] }) {
  return (
    <section className="panel" aria-labelledby="progress-themes">
      <h2 id="progress-themes">What keeps coming up</h2>
      <ol className="progress-themes">
        {themes.map((theme) => (
          <li key={theme.theme} data-testid="progress-theme">
            <strong>{theme.theme}</strong>
            <span className="muted"> · in {plural(theme.interviews, "interview")}</span>
            {theme.example && <Quotes quotes={[theme.example]} label="For example, you said" />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Plan({ steps }: { steps: readonly PracticeStep[] }) {
  return (
    <section className="panel" aria-labelledby="progress-plan">
      <h2 id="progress-plan">Practice plan</h2>
      <ol className="progress-plan">
        {steps.map((step, index) => (
          <li key={index} data-testid="practice-step">
            <strong>{step.topic}</strong>
            <p>{step.why}</p>
          </li>
        ))}
      </ol>
      <a className="button button-primary" href={paths.setup()}>
        Start a practice interview
      </a>
    </section>
  );
}
