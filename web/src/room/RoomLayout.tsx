import type { ReactNode } from "react";

interface RoomLayoutProps {
  header: ReactNode;
  /** The interviewer: today a status card; the voice issue puts the avatar and live captions here. */
  stage: ReactNode;
  conversation: ReactNode;
  /** The coding issue's editor and test results; the conversation narrows when it is present. */
  workspace?: ReactNode;
}

/** The room's grid: header on top, then stage | conversation | workspace (stacked on phones). */
export function RoomLayout({ header, stage, conversation, workspace }: RoomLayoutProps) {
  return (
    <div className={`room${workspace ? " room-with-workspace" : ""}`}>
      <div className="room-header">{header}</div>
      <aside className="room-stage" aria-label="Interviewer">
        {stage}
      </aside>
      <section className="room-conversation" aria-label="Conversation">
        {conversation}
      </section>
      {workspace && (
        <section className="room-workspace" aria-label="Workspace">
          {workspace}
        </section>
      )}
    </div>
  );
}
