import { useCallback, useEffect, useState } from "react";
import { ApiError, listUsers, setUserDisabled } from "../api/client";
import type { UserUsage } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Loading } from "../components/Loading";
import { Notice } from "../components/Notice";
import { dateTime } from "../components/format";
import { useAccount } from "../session";
import "./admin.css";

const number = new Intl.NumberFormat();
const minutes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** The admin page: every account with its usage, and disabling or enabling one. Loaded only when opened. */
export default function AdminScreen() {
  const me = useAccount();
  const [rows, setRows] = useState<UserUsage[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [toDisable, setToDisable] = useState<UserUsage | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [changeError, setChangeError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  const load = useCallback(async () => {
    setError(null);
    try {
      setRows(await listUsers());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError("The users could not be loaded.", 0, "network"));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const change = async (row: UserUsage, disabled: boolean) => {
    setBusyId(row.user.id);
    setChangeError(null);
    try {
      const user = await setUserDisabled(row.user.id, disabled);
      setRows((current) => current?.map((r) => (r.user.id === user.id ? { ...r, user } : r)) ?? null);
      setAnnouncement(`${user.email} is ${user.disabled ? "disabled and signed out everywhere" : "enabled again"}.`);
    } catch (caught) {
      setChangeError(caught instanceof ApiError ? caught.message : "The account could not be changed.");
    } finally {
      setBusyId(null);
      setToDisable(null);
    }
  };

  if (error?.status === 403) {
    return (
      <section className="panel">
        <h1>Administrators only</h1>
        <p>This page lists every account on this server; only an administrator can open it.</p>
      </section>
    );
  }

  return (
    <section className="admin" aria-labelledby="admin-title">
      <h1 id="admin-title">Users</h1>
      <p className="muted">Every account on this server with what it has used. A disabled account is signed out at once.</p>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {changeError && <Notice tone="error">{changeError}</Notice>}
      {error && (
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
      )}
      {!rows && !error && <Loading label="Loading the users…" />}
      {rows && (
        <table className="admin-table">
          <caption className="visually-hidden">Accounts, oldest first, with their usage</caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Interviews</th>
              <th scope="col">Interview minutes</th>
              <th scope="col">Code runs</th>
              <th scope="col">LLM tokens</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const { user } = row;
              const self = user.id === me?.id;
              return (
                <tr key={user.id} data-testid="admin-row">
                  <th scope="row" className="admin-user">
                    {user.email}
                    <span className="muted admin-meta">
                      {user.role === "admin" ? "Administrator" : "Member"}
                      {self && " (you)"} · since {dateTime(user.created_at)}
                    </span>
                  </th>
                  <td data-label="Interviews">{number.format(row.interviews)}</td>
                  <td data-label="Interview minutes">{minutes.format(row.interview_minutes)}</td>
                  <td data-label="Code runs">{number.format(row.code_runs)}</td>
                  <td data-label="LLM tokens">{number.format(row.llm_tokens)}</td>
                  <td data-label="Status">
                    <span className={`status ${user.disabled ? "status-disabled" : "status-active"}`}>
                      {user.disabled ? "Disabled" : "Active"}
                    </span>
                  </td>
                  <td className="admin-actions">
                    {user.disabled ? (
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => void change(row, false)}
                        disabled={busyId === user.id}
                        aria-label={`Enable ${user.email}`}
                      >
                        Enable
                      </button>
                    ) : (
                      !self && (
                        <button
                          type="button"
                          className="button button-small button-danger-outline"
                          onClick={() => setToDisable(row)}
                          disabled={busyId === user.id}
                          aria-label={`Disable ${user.email}`}
                        >
                          Disable
                        </button>
                      )
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {toDisable && (
        <ConfirmDialog
          title="Disable this account?"
          confirmLabel={busyId ? "Disabling…" : "Disable"}
          danger
          busy={busyId !== null}
          onConfirm={() => void change(toDisable, true)}
          onCancel={() => setToDisable(null)}
        >
          <p>
            <strong>{toDisable.user.email}</strong> is signed out everywhere and cannot sign in until you enable the
            account again. Their interviews are kept.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
