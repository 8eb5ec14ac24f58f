/**
 * The signed-in token lives in sessionStorage only (per tab, gone when the tab closes). It is
 * never rendered and never put in a URL.
 */
const KEY = 'clearance.token';

/** The stored token, if any. */
export function loadToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keep the token for this tab. */
export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

/** Forget the token. */
export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}
