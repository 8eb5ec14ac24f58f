/** The signed-in session shared with every page. */
import type { ClearanceClient, Me } from '@clearance/client';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** What a page knows about the session. */
export interface Session {
  readonly client: ClearanceClient;
  readonly me: Me;
}

/** The session context (set by the app once signed in). */
export const SessionContext = createContext<Session | undefined>(undefined);

/** The current session; pages are only rendered signed in. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('no session');
  return session;
}

/** True when the user holds one of `roles`. */
export function hasRole(me: Me, ...roles: readonly string[]): boolean {
  return roles.some((r) => me.roles.includes(r));
}
