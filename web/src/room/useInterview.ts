import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, answerStream, endInterview, getInterview } from "../api/client";
import type { Interview, Message } from "../api/types";

export type SendFailure = { message: string; network: boolean };

const apiErrorOf = (error: unknown) => (error instanceof ApiError ? error : new ApiError(String(error), 0, "network"));

/** The transcript with `added` at the end, leaving out messages it already holds. */
const withMessages = (messages: readonly Message[], added: readonly Message[]) => {
  const known = new Set(messages.map((message) => message.id));
  return [...messages, ...added.filter((message) => !known.has(message.id))];
};

/** Whether `text` is among the candidate's messages after the first `known` ones. */
const arrivedIn = (interview: Interview, known: number, text: string) =>
  interview.messages.slice(known).some((message) => message.role === "candidate" && message.text === text);

/**
 * The room's state: the interview as the server has it, the answer in flight with the reply as it
 * streams in (`live`), and recovery.
 * The server is the source of truth; after a failed send the room asks it what happened
 * before sending again, so a reply lost on the way back is not answered twice.
 */
export function useInterview(id: string) {
  const [interview, setInterview] = useState<Interview | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [progressAt, setProgressAt] = useState(() => Date.now());
  const [pending, setPending] = useState<string | null>(null);
  const [live, setLive] = useState<string | null>(null);
  const [sendFailure, setSendFailure] = useState<SendFailure | null>(null);
  const [ending, setEnding] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const busy = useRef(false);
  const latest = useRef(interview);
  latest.current = interview;

  const adopt = useCallback((fresh: Interview) => {
    setInterview(fresh);
    setProgressAt(Date.now());
  }, []);

  const load = useCallback(async () => {
    try {
      const fresh = await getInterview(id);
      adopt(fresh);
      setLoadError(null);
      return fresh;
    } catch (error) {
      setLoadError(error instanceof ApiError ? error : new ApiError(String(error), 0, "network"));
      return null;
    }
  }, [id, adopt]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    // Back online: catch up with anything that happened while the connection was down.
    const onOnline = () => {
      if (!busy.current) void load();
    };
    window.addEventListener("online", onOnline);
    return () => window.removeEventListener("online", onOnline);
  }, [load]);

  /**
   * The server's transcript, adopted, and whether `text` reached it after the first `known`
   * messages; null (with the failure shown) when the server can't be asked.
   */
  const check = useCallback(
    async (text: string, known: number): Promise<{ fresh: Interview; arrived: boolean } | null> => {
      let fresh: Interview;
      try {
        fresh = await getInterview(id);
      } catch (error) {
        const apiError = apiErrorOf(error);
        setSendFailure({ message: apiError.message, network: apiError.network });
        return null;
      }
      adopt(fresh);
      return { fresh, arrived: arrivedIn(fresh, known, text) };
    },
    [id, adopt],
  );

  /** Sends an answer when the room knows `known` messages. Resolves true when it reached the server. */
  const submit = useCallback(
    async (text: string, known: number): Promise<boolean> => {
      if (busy.current) return false;
      busy.current = true;
      setPending(text);
      setSendFailure(null);
      try {
        const phaseBefore = latest.current?.progress.phase;
        const result = await answerStream(id, text, (delta) => setLive((shown) => (shown ?? "") + delta));
        setInterview((current) =>
          current && {
            ...current,
            status: result.status,
            progress: result.progress,
            messages: [...current.messages, result.candidate_message, result.reply],
          },
        );
        setProgressAt(Date.now());
        if (result.progress.phase === "coding" || phaseBefore === "coding") {
          // A coding exercise opened or closed: the reply does not carry it, the interview does.
          setPending(null);
          setLive(null);
          await load();
        }
        return true;
      } catch (error) {
        const apiError = apiErrorOf(error);
        if (apiError.status === 409 || apiError.code === "interview_finished") {
          // Finished meanwhile (time ran out, or ended in another tab): show the server's state.
          await load();
          return false;
        }
        if (apiError.midStream) {
          // The reply failed after the server took the answer: the server replies when the
          // transcript is next read, so read it rather than ask for the answer again.
          setLive(null);
          const seen = await check(text, known);
          if (!seen) return false;
          if (!seen.arrived && seen.fresh.status !== "finished") {
            setSendFailure({ message: apiError.message, network: false });
          }
          return seen.arrived;
        }
        setSendFailure({ message: apiError.message, network: apiError.network });
        return false;
      } finally {
        busy.current = false;
        setPending(null);
        setLive(null);
      }
    },
    [id, load, check],
  );

  /** Sends an answer. Resolves true when it reached the server, false when the text must stay with the user. */
  const send = useCallback(
    (text: string) => submit(text, interview?.messages.length ?? 0),
    [submit, interview],
  );

  /**
   * Tries a failed answer again. If the server did get it (only the reply was lost), the fresh
   * transcript already holds it and nothing is sent twice.
   */
  const retry = useCallback(
    async (text: string): Promise<boolean> => {
      if (busy.current) return false;
      const seen = await check(text, interview?.messages.length ?? 0);
      if (!seen) return false;
      if (seen.arrived) {
        setSendFailure(null);
        return true;
      }
      if (seen.fresh.status === "finished") return false;
      return submit(text, seen.fresh.messages.length);
    },
    [interview, check, submit],
  );

  /**
   * Runs a coding action (run, submit, hint) that adds `added(result)` to the transcript, never
   * alongside an answer; then reads the interview again for the exercise's and the plan's new
   * state. Throws the action's ApiError for the caller to show.
   */
  const record = useCallback(
    async <T,>(action: () => Promise<T>, added: (result: T) => Message[]): Promise<T> => {
      if (busy.current) throw new ApiError("Wait for the interviewer's reply first.", 409, "busy");
      busy.current = true;
      setWorking(true);
      try {
        let result: T;
        try {
          result = await action();
        } catch (error) {
          // The exercise closed or the interview ended meanwhile: show the server's state.
          if (error instanceof ApiError && error.status === 409) await load();
          throw error;
        }
        setInterview((current) => current && { ...current, messages: withMessages(current.messages, added(result)) });
        await load();
        return result;
      } finally {
        busy.current = false;
        setWorking(false);
      }
    },
    [load],
  );

  const end = useCallback(async (): Promise<boolean> => {
    setEnding(true);
    setEndError(null);
    try {
      await endInterview(id);
      return true;
    } catch (error) {
      setEndError(error instanceof ApiError ? error.message : "The interview could not be ended.");
      return false;
    } finally {
      setEnding(false);
    }
  }, [id]);

  return {
    interview,
    loadError,
    load,
    progressAt,
    pending,
    live,
    sendFailure,
    send,
    retry,
    record,
    working,
    end,
    ending,
    endError,
  };
}
