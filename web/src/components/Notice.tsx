import type { ReactNode } from "react";

interface NoticeProps {
  tone: "error" | "info" | "success";
  children: ReactNode;
  action?: ReactNode;
}

/** A message in the page: errors are announced at once (role=alert), others politely. */
export function Notice({ tone, children, action }: NoticeProps) {
  return (
    <div className={`notice notice-${tone}`} role={tone === "error" ? "alert" : "status"}>
      <div className="notice-text">{children}</div>
      {action && <div className="notice-action">{action}</div>}
    </div>
  );
}
