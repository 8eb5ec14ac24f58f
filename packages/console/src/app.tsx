/** The console shell: sign-in, who I am, navigation, the current page. */
import { ClearanceClient, isApiError, type Me } from '@clearance/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { parseRoute, type Route } from './logic/route.js';
import { ApprovalsPage } from './pages/approvals.js';
import { AuditPage } from './pages/audit.js';
import { NewJobPage } from './pages/new-job.js';
import { WorkflowPage } from './pages/workflow.js';
import { WorkflowsPage } from './pages/workflows.js';
import { clearToken, loadToken, saveToken } from './session.js';
import { Busy, ProblemBox } from './ui/common.js';
import { SessionContext } from './ui/context.js';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function SignIn({ onToken, error }: { onToken: (t: string) => void; error: unknown }) {
  const [token, setToken] = useState('');
  return (
    <form
      class="signin"
      onSubmit={(e) => {
        e.preventDefault();
        if (token.trim() !== '') onToken(token.trim());
      }}
    >
      <h2>Sign in</h2>
      <label for="token">User token</label>
      <input
        id="token"
        type="password"
        autocomplete="off"
        required
        value={token}
        onInput={(e) => setToken(e.currentTarget.value)}
      />
      <button type="submit">Sign in</button>
      {error !== undefined && <ProblemBox error={error} />}
    </form>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'approvals':
      return <ApprovalsPage />;
    case 'workflows':
      return <WorkflowsPage />;
    case 'workflow':
      return <WorkflowPage id={route.id} key={route.id} />;
    case 'audit':
      return <AuditPage />;
    case 'new-job':
      return <NewJobPage />;
  }
}

const NAV: readonly (readonly [string, string, Route['page'][]])[] = [
  ['#/approvals', 'Approvals', ['approvals']],
  ['#/workflows', 'Workflows', ['workflows', 'workflow']],
  ['#/audit', 'Audit', ['audit']],
  ['#/new-job', 'New CNC job', ['new-job']],
];

/** The application. */
export function App() {
  const route = useRoute();
  const [token, setToken] = useState<string | undefined>(() => loadToken());
  const [me, setMe] = useState<Me | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const client = useMemo(
    () => (token === undefined ? undefined : new ClearanceClient({ token })),
    [token],
  );

  useEffect(() => {
    if (client === undefined) return;
    setMe(undefined);
    client.me().then(
      (who) => {
        setMe(who);
        setError(undefined);
      },
      (err: unknown) => {
        // A refused token is forgotten; a network failure keeps it for a retry.
        if (isApiError(err) && (err.status === 401 || err.status === 403)) {
          clearToken();
          setToken(undefined);
        }
        setError(err);
      },
    );
  }, [client]);

  const signOut = (): void => {
    clearToken();
    setToken(undefined);
    setMe(undefined);
    setError(undefined);
  };

  if (client === undefined) {
    return (
      <main id="main">
        <h1>Clearance</h1>
        <SignIn
          error={error}
          onToken={(t) => {
            saveToken(t);
            setToken(t);
          }}
        />
      </main>
    );
  }
  if (me === undefined) {
    return (
      <main id="main">
        <h1>Clearance</h1>
        {error === undefined ? <Busy label="Signing in…" /> : <ProblemBox error={error} />}
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </main>
    );
  }
  return (
    <SessionContext.Provider value={{ client, me }}>
      <header>
        <h1>Clearance</h1>
        <p class="who">
          Signed in as <strong>{me.name}</strong> ({me.roles.join(', ') || 'no roles'}){' '}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </p>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([href, label, pages]) => (
              <li key={href}>
                <a href={href} aria-current={pages.includes(route.page) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main">
        <Page route={route} />
      </main>
    </SessionContext.Provider>
  );
}
