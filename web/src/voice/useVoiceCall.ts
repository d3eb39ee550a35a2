import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { type CallEvents, type CallState, VoiceCall, initialCallState } from "./call";
import { LipSync } from "./lipsync";

const noCall = () => () => {};
const noState = () => initialCallState;

/**
 * The voice call of the room while `deviceId` is set (null: no call). Connects on mount, hangs up on
 * unmount or when the device changes; the interviewer's voice plays through `audio`, and a hosted
 * avatar's video through `video`.
 */
export function useVoiceCall(interviewId: string, deviceId: string | null, events: CallEvents) {
  const lipSync = useMemo(() => new LipSync(), []);
  const audio = useRef<HTMLAudioElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const latestEvents = useRef(events);
  latestEvents.current = events;
  const [call, setCall] = useState<VoiceCall | null>(null);

  useEffect(() => {
    if (deviceId === null) return;
    const started = new VoiceCall(interviewId, deviceId || undefined, lipSync, {
      onTurn: (turn) => latestEvents.current.onTurn?.(turn),
      onAudio: (track) => {
        const element = audio.current;
        if (!element) return;
        element.srcObject = new MediaStream([track]);
        void element.play().catch(() => {
          // Autoplay needs a user gesture; the start button was one, so this fails only in odd set-ups.
        });
      },
      onVideo: (track) => {
        const element = video.current;
        if (!element) return;
        element.srcObject = new MediaStream([track]);
        void element.play().catch(() => {
          // Muted video may always autoplay; nothing to do if a browser still refuses.
        });
      },
    });
    setCall(started);
    void started.start();
    return () => {
      setCall(null);
      void started.stop();
    };
  }, [interviewId, deviceId, lipSync]);

  const state: CallState = useSyncExternalStore(call?.subscribe ?? noCall, call?.snapshot ?? noState);
  return { call, state, lipSync, audio, video };
}
