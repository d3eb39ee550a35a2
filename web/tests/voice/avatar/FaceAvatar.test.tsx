import { act, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AvatarState } from "../../../src/voice/avatar/Avatar";
import { FaceAvatar, mouthPath } from "../../../src/voice/avatar/FaceAvatar";
import { LipSync, type LipSyncMessage } from "../../../src/voice/lipsync";

const openVowel: LipSyncMessage = {
  offset: 0,
  duration: 1,
  text: "Hello.",
  words: [{ word: "Hello.", start: 0, end: 1 }],
  envelope_frame_ms: 20,
  envelope: Array<number>(50).fill(0.8),
};

const mouthOf = (container: HTMLElement) => container.querySelector(".avatar-mouth")?.getAttribute("d");

/** A scheduler that is mid-word from now on. */
const speakingLipSync = () => {
  const lipSync = new LipSync({ playoutDelayMs: 0 });
  lipSync.push(openVowel, performance.now());
  return lipSync;
};

describe("mouthPath", () => {
  it("opens the mouth with its openness and keeps it within closed and fully open", () => {
    expect(mouthPath(0)).toBe("M89 121Q100 124 111 121Q100 124 89 121Z");
    expect(mouthPath(1)).toBe("M92 121Q100 119 108 121Q100 140 92 121Z");
    expect(mouthPath(0.5)).not.toBe(mouthPath(0));
    expect(mouthPath(-1)).toBe(mouthPath(0));
    expect(mouthPath(3)).toBe(mouthPath(1));
  });
});

describe("FaceAvatar", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it.each<AvatarState>(["idle", "listening", "thinking", "speaking"])("tells screen readers it is %s", (state) => {
    render(<FaceAvatar state={state} lipSync={new LipSync()} />);
    expect(screen.getByRole("img", { name: `Interviewer, ${state}` })).toBeInTheDocument();
  });

  it("names the interviewer as told and takes its size", () => {
    render(<FaceAvatar state="listening" lipSync={new LipSync()} label="Alex, your interviewer" size={96} />);
    const avatar = screen.getByRole("img", { name: "Alex, your interviewer, listening" });
    expect(avatar).toHaveAttribute("width", "96");
    expect(avatar).toHaveClass("avatar-listening");
  });

  it("shows thinking dots only while thinking", () => {
    const { container, rerender } = render(<FaceAvatar state="thinking" lipSync={new LipSync()} />);
    expect(container.querySelector(".avatar-dots")).not.toBeNull();
    rerender(<FaceAvatar state="speaking" lipSync={new LipSync()} />);
    expect(container.querySelector(".avatar-dots")).toBeNull();
  });

  it("moves the mouth with the lip-sync while speaking, and closes it after", () => {
    const lipSync = speakingLipSync();
    const { container, rerender } = render(<FaceAvatar state="speaking" lipSync={lipSync} />);
    expect(mouthOf(container)).toBe(mouthPath(0));

    act(() => vi.advanceTimersByTime(50));
    expect(mouthOf(container)).toBe(mouthPath(0.8));

    rerender(<FaceAvatar state="listening" lipSync={lipSync} />);
    expect(mouthOf(container)).toBe(mouthPath(0));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves the mouth closed and schedules no frames when not speaking", () => {
    const { container } = render(<FaceAvatar state="thinking" lipSync={speakingLipSync()} />);
    act(() => vi.advanceTimersByTime(100));
    expect(mouthOf(container)).toBe(mouthPath(0));
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops its animation frames when unmounted", () => {
    const { unmount } = render(<FaceAvatar state="speaking" lipSync={speakingLipSync()} />);
    act(() => vi.advanceTimersByTime(50));
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("keeps the mouth to a few positions when the user prefers reduced motion", () => {
    vi.stubGlobal("matchMedia", (query: string) => ({ matches: query === "(prefers-reduced-motion: reduce)" }));
    const { container } = render(<FaceAvatar state="speaking" lipSync={speakingLipSync()} />);
    act(() => vi.advanceTimersByTime(50));
    expect(mouthOf(container)).toBe(mouthPath(1));
  });
});
