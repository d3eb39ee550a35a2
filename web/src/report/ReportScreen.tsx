import { useCallback, useEffect, useState } from "react";
import { ApiError, getInterview, getReport } from "../api/client";
import type { Interview, Report } from "../api/types";
import { Loading } from "../components/Loading";
import { Notice } from "../components/Notice";
import { dateTime, duration, kindLabels, labelOf, levelLabels } from "../components/format";
import { navigate, paths } from "../routing";
import { AnalyticsPanel } from "./AnalyticsPanel";
import { DimensionChart } from "./DimensionChart";
import { DimensionDetails } from "./DimensionDetails";
import { Downloads } from "./Downloads";
import { Feedback } from "./Feedback";
import { QuestionReviews } from "./QuestionReviews";
import { ScoreSummary } from "./ScoreSummary";
import { VoiceLatencyAppendix } from "./VoiceLatencyAppendix";
import "./report.css";

/** The feedback report of a finished interview, laid out to print cleanly. */
export function ReportScreen({ id }: { id: string }) {
  const [data, setData] = useState<{ interview: Interview; report: Report } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [interview, report] = await Promise.all([getInterview(id), getReport(id)]);
      setData({ interview, report });
    } catch (caught) {
      const apiError = caught instanceof ApiError ? caught : new ApiError(String(caught), 0, "network");
      // Not finished yet: the interview is still waiting in the room.
      if (apiError.status === 409) navigate(paths.room(id), { replace: true });
      else setError(apiError);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error?.status === 404) {
    return (
      <section className="panel">
        <h1>Report not found</h1>
        <p>
          This interview may have been deleted. <a href={paths.history()}>Open your history</a>.
        </p>
      </section>
    );
  }
  if (error) {
    return (
      <Notice
        tone="error"
        action={
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        }
      >
        {error.message}
      </Notice>
    );
  }
  if (!data) return <Loading label="Loading the report…" />;

  const { interview, report } = data;
  const took =
    interview.ended_at && interview.created_at
      ? (new Date(interview.ended_at).getTime() - new Date(interview.created_at).getTime()) / 1000
      : null;

  return (
    <article className="report" aria-labelledby="report-title">
      <header className="report-header">
        <p className="eyebrow">Interview report</p>
        <h1 id="report-title">{interview.topic}</h1>
        <p className="muted">
          {labelOf(levelLabels, interview.level)} · {labelOf(kindLabels, interview.kind)} ·{" "}
          {dateTime(interview.created_at)}
          {took !== null && ` · ${duration(took)}`}
        </p>
        <Downloads id={id} />
      </header>

      <ScoreSummary report={report} />

      {report.dimensions.length > 0 && (
        <section className="panel" aria-labelledby="dimensions-title">
          <h2 id="dimensions-title">Dimensions</h2>
          <DimensionChart dimensions={report.dimensions} />
          <DimensionDetails dimensions={report.dimensions} />
        </section>
      )}

      <div className="panel">
        <Feedback strengths={report.strengths} improvements={report.improvements} />
      </div>

      <section className="panel" aria-labelledby="questions-title">
        <h2 id="questions-title">Question by question</h2>
        <QuestionReviews questions={report.questions} />
      </section>

      <section className="panel" aria-labelledby="analytics-title">
        <h2 id="analytics-title">Analytics</h2>
        <AnalyticsPanel analytics={report.analytics} />
      </section>

      {report.notes.length > 0 && (
        <details className="panel report-notes">
          <summary>How the interviewer decided ({report.notes.length} notes)</summary>
          <ul aria-label="Notes">
            {report.notes.map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </details>
      )}

      {report.voice_latency && report.voice_latency.turns.length > 0 && (
        <section className="panel" aria-labelledby="voice-latency-title">
          <h2 id="voice-latency-title">Appendix: voice latency</h2>
          <VoiceLatencyAppendix latency={report.voice_latency} />
        </section>
      )}

      <p className="report-footer muted">
        Generated {dateTime(report.generated_at)} by Mockroom. Every quote comes from the transcript.
      </p>
    </article>
  );
}
