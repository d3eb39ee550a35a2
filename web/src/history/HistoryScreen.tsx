import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, deleteInterview, listInterviews } from "../api/client";
import type { InterviewSummary } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Loading } from "../components/Loading";
import { Notice } from "../components/Notice";
import { dateTime, duration, kindLabels, labelOf, levelLabels, recommendationLabels } from "../components/format";
import { paths } from "../routing";
import "./history.css";

/** Past interviews, newest first: open a report, resume one in progress, or delete one. */
export function HistoryScreen() {
  const [items, setItems] = useState<InterviewSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<InterviewSummary | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setItems(await listInterviews());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "The history could not be loaded.");
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteInterview(toDelete.id);
      setItems((current) => current?.filter((item) => item.id !== toDelete.id) ?? null);
      setAnnouncement(`Deleted the interview on ${toDelete.topic}.`);
      setToDelete(null);
      // The row and its button are gone; continue from the top of the list.
      heading.current?.focus();
    } catch (caught) {
      setDeleteError(caught instanceof ApiError ? caught.message : "The interview could not be deleted.");
      setToDelete(null);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <section className="history" aria-labelledby="history-title">
      <div className="history-head">
        <h1 id="history-title" ref={heading} tabIndex={-1}>Your interviews</h1>
        <a className="button button-primary" href={paths.setup()}>
          New interview
        </a>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {deleteError && <Notice tone="error">{deleteError}</Notice>}
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
      {!items && !error && <Loading label="Loading your interviews…" />}
      {items && items.length === 0 && (
        <div className="panel empty">
          <p>No interviews yet.</p>
          <a href={paths.setup()}>Set up your first mock interview</a>
        </div>
      )}
      {items && items.length > 0 && (
        <table className="history-table">
          <caption className="visually-hidden">Past interviews, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Date</th>
              <th scope="col">Duration</th>
              <th scope="col">Score</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const finished = item.status === "finished";
              return (
                <tr key={item.id} data-testid="history-row">
                  <th scope="row" className="history-topic">
                    {item.topic}
                    <span className="muted history-meta">
                      {labelOf(levelLabels, item.level)} · {labelOf(kindLabels, item.kind)} · {item.answered} answered
                    </span>
                  </th>
                  <td data-label="Date">{dateTime(item.created_at)}</td>
                  <td data-label="Duration">{duration(item.duration_seconds)}</td>
                  <td data-label="Score">
                    <span>
                      {item.overall_score === null || item.recommendation === "insufficient_data" ? (
                        <span className="muted">
                          {item.recommendation ? labelOf(recommendationLabels, item.recommendation) : "—"}
                        </span>
                      ) : (
                        <>
                          <strong>{item.overall_score}</strong>
                          <span className="muted">/100</span>
                          {item.recommendation && (
                            <span className="history-recommendation">
                              {labelOf(recommendationLabels, item.recommendation)}
                            </span>
                          )}
                        </>
                      )}
                    </span>
                  </td>
                  <td data-label="Status">
                    <span className={`status status-${item.status}`}>{finished ? "Finished" : "In progress"}</span>
                  </td>
                  <td className="history-actions">
                    <a
                      className="button button-small"
                      href={finished ? paths.report(item.id) : paths.room(item.id)}
                      aria-label={`${finished ? "Open report" : "Resume"}: ${item.topic}, ${dateTime(item.created_at)}`}
                    >
                      {finished ? "Open report" : "Resume"}
                    </a>
                    <button
                      type="button"
                      className="button button-small button-danger-outline"
                      onClick={() => setToDelete(item)}
                      aria-label={`Delete: ${item.topic}, ${dateTime(item.created_at)}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {toDelete && (
        <ConfirmDialog
          title="Delete this interview?"
          confirmLabel={deleting ? "Deleting…" : "Delete"}
          danger
          busy={deleting}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setToDelete(null)}
        >
          <p>
            The interview on <strong>{toDelete.topic}</strong> from {dateTime(toDelete.created_at)}, its transcript and
            its report will be removed for good.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
