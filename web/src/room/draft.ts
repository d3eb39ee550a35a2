// The composer's text is kept per interview in sessionStorage, so a reload does not lose it.
const key = (id: string) => `mockroom:draft:${id}`;

export function loadDraft(id: string): string {
  try {
    return window.sessionStorage.getItem(key(id)) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(id: string, text: string): void {
  try {
    if (text) window.sessionStorage.setItem(key(id), text);
    else window.sessionStorage.removeItem(key(id));
  } catch {
    // Storage can be unavailable (private mode, quota); the draft then lives only in memory.
  }
}
