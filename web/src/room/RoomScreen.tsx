import { Suspense, lazy, useCallback, useEffect, useRef, useState } from "react";
import { CodingPanel } from "../coding/CodingPanel";
import { CodingSummary } from "../coding/CodingSummary";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Loading } from "../components/Loading";
import { Notice } from "../components/Notice";
import { kindLabels, labelOf, levelLabels } from "../components/format";
import { navigate, paths } from "../routing";
import { Composer } from "./Composer";
import { InterviewerPanel } from "./InterviewerPanel";
import { MessageList } from "./MessageList";
import { RoomLayout } from "./RoomLayout";
import { loadDraft, saveDraft } from "./draft";
import { useInterview } from "./useInterview";
import { useNow } from "./useNow";
import type { VoiceCall } from "../voice/call";
import "./room.css";

const VoicePanel = lazy(() => import("../voice/VoicePanel"));

/** How long a typed answer sent through the voice call may wait for its turn before it counts as lost. */
const VOICE_TURN_TIMEOUT_MS = 60_000;

/** The interview in text mode. The URL holds the id, so a reload resumes where it was. */
export function RoomScreen({ id }: { id: string }) {
  const room = useInterview(id);
  const { interview } = room;
  const [draft, setDraftState] = useState(() => loadDraft(id));
  const [confirmEnd, setConfirmEnd] = useState(false);
  const finished = interview?.status === "finished";
  const now = useNow(Boolean(interview) && !finished);
  const arrived = useRef(false);
  const answerBox = useRef<HTMLTextAreaElement>(null);
  const [voiceOn, setVoiceOn] = useState(false);
  const [voiceCall, setVoiceCall] = useState<VoiceCall | null>(null);
  const [voicePending, setVoicePending] = useState<string | null>(null);
  const [voiceSendError, setVoiceSendError] = useState<string | null>(null);
  const { load } = room;

  const onVoiceTurn = useCallback(() => {
    setVoicePending(null);
    void load();
  }, [load]);

  useEffect(() => {
    if (voicePending === null) return;
    const timer = setTimeout(() => {
      setVoicePending(null);
      setVoiceSendError("The interviewer did not answer your typed message. Check the transcript, then send it again.");
      void load();
    }, VOICE_TURN_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [voicePending, load]);

  const setDraft = (text: string) => {
    setDraftState(text);
    saveDraft(id, text);
  };

  useEffect(() => {
    if (!interview || arrived.current) return;
    arrived.current = true;
    // An interview that was already over when the page opened has nothing to do here.
    if (interview.status === "finished") navigate(paths.report(id), { replace: true });
  }, [interview, id]);

  if (!interview) {
    if (room.loadError?.status === 404) {
      return (
        <section className="panel">
          <h1>Interview not found</h1>
          <p>It may have been deleted.</p>
          <p>
            <a href={paths.setup()}>Start a new interview</a> or <a href={paths.history()}>open your history</a>.
          </p>
        </section>
      );
    }
    if (room.loadError) {
      return (
        <Notice
          tone="error"
          action={
            <button type="button" className="button" onClick={() => void room.load()}>
              Try again
            </button>
          }
        >
          {room.loadError.message}
        </Notice>
      );
    }
    return <Loading label="Opening the interview…" />;
  }

  const waiting = room.pending !== null || voicePending !== null;
  const seconds = finished ? 0 : Math.max(0, (now - room.progressAt) / 1000);
  const elapsed = interview.progress.elapsed_seconds + seconds;
  const remaining = Math.max(0, interview.progress.remaining_seconds - seconds);

  const send = async () => {
    const text = draft.trim();
    setDraft("");
    if (voiceCall) {
      // In a voice call a typed answer goes through the call, so that the reply is spoken too.
      setVoiceSendError(null);
      setVoicePending(text);
      try {
        await voiceCall.sendText(text);
      } catch {
        setVoicePending(null);
        setDraft(text);
        setVoiceSendError("Your answer could not be sent through the voice call. It is still in the box below.");
      }
      return;
    }
    if (!(await room.send(text))) setDraft(text);
  };

  const retry = async () => {
    const text = draft.trim();
    if (await room.retry(text)) setDraft("");
  };

  const end = async () => {
    if (await room.end()) navigate(paths.report(id));
    else setConfirmEnd(false);
  };

  const header = (
    <div className="room-bar">
      <div className="room-title">
        <h1>{interview.topic}</h1>
        <p className="muted">
          {labelOf(levelLabels, interview.level)} · {labelOf(kindLabels, interview.kind)} ·{" "}
          {interview.duration_minutes}&nbsp;min
        </p>
      </div>
      {finished ? (
        <a className="button button-primary" href={paths.report(id)}>
          See your report
        </a>
      ) : (
        <div className="room-actions">
          {!voiceOn && (
            <button type="button" className="button" onClick={() => setVoiceOn(true)}>
              Talk by voice
            </button>
          )}
          <button type="button" className="button button-danger-outline" onClick={() => setConfirmEnd(true)}>
            End interview
          </button>
        </div>
      )}
    </div>
  );

  const conversation = (
    <>
      <MessageList
        messages={interview.messages}
        pending={room.pending ?? voicePending}
        live={room.live}
        typing={waiting}
        before={
          interview.notices.length > 0 && (
            <Notice tone="info">
              <ul className="plain-list">
                {interview.notices.map((notice) => (
                  <li key={notice}>{notice}</li>
                ))}
              </ul>
            </Notice>
          )
        }
      />
      {room.endError && <Notice tone="error">{room.endError}</Notice>}
      {finished ? (
        <Notice
          tone="success"
          action={
            <a className="button button-primary" href={paths.report(id)}>
              See your report
            </a>
          }
        >
          The interview is over. Your report is ready.
        </Notice>
      ) : (
        <>
          {voiceSendError && <Notice tone="error">{voiceSendError}</Notice>}
          {room.sendFailure && (
            <Notice
              tone="error"
              action={
                <button type="button" className="button" onClick={() => void retry()} disabled={!draft.trim()}>
                  Retry
                </button>
              }
            >
              {room.sendFailure.message} Your answer is still in the box below.
            </Notice>
          )}
          <Composer
            value={draft}
            onChange={setDraft}
            onSend={() => void (room.sendFailure ? retry() : send())}
            disabled={waiting || room.ending}
            holdSend={room.working}
            inputRef={answerBox}
          />
        </>
      )}
    </>
  );

  const coding = interview.coding;
  const workspace =
    coding && coding.active && !finished ? (
      <CodingPanel
        interviewId={id}
        exercise={coding}
        blocked={waiting || room.ending}
        record={room.record}
        onAnswer={() => {
          answerBox.current?.scrollIntoView?.({ block: "center" });
          answerBox.current?.focus();
        }}
      />
    ) : (
      coding && <CodingSummary exercise={coding} />
    );

  return (
    <>
      <RoomLayout
        header={header}
        stage={
          <>
            {voiceOn && !finished && (
              <Suspense fallback={<Loading label="Loading voice…" />}>
                <VoicePanel
                  interviewId={id}
                  onTurn={onVoiceTurn}
                  onCall={setVoiceCall}
                  onLeave={() => {
                    setVoiceOn(false);
                    setVoiceCall(null);
                  }}
                />
              </Suspense>
            )}
            <InterviewerPanel
              progress={interview.progress}
              elapsedSeconds={elapsed}
              remainingSeconds={remaining}
              state={finished ? "finished" : waiting ? "thinking" : "waiting"}
              showIdentity={!voiceOn || finished}
            />
          </>
        }
        conversation={conversation}
        workspace={workspace || undefined}
      />
      {confirmEnd && (
        <ConfirmDialog
          title="End the interview?"
          confirmLabel={room.ending ? "Scoring…" : "End and see report"}
          cancelLabel="Keep going"
          busy={room.ending}
          onConfirm={() => void end()}
          onCancel={() => setConfirmEnd(false)}
        >
          <p>You can't add answers afterwards. The report scores what you've said so far.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
