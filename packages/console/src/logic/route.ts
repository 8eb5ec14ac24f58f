/** Hash routing: `#/approvals`, `#/workflows`, `#/workflows/{id}`, `#/audit`, `#/new-job`. */

/** A page of the console. */
export type Route =
  | { readonly page: 'approvals' }
  | { readonly page: 'workflows' }
  | { readonly page: 'workflow'; readonly id: string }
  | { readonly page: 'audit' }
  | { readonly page: 'new-job' };

/** The route of a location hash; anything unknown is the approvals inbox. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const [head, id] = parts;
  switch (head) {
    case 'workflows':
      if (id !== undefined && id !== '' && parts.length === 2) {
        return { page: 'workflow', id: safeDecode(id) };
      }
      return { page: 'workflows' };
    case 'audit':
      return { page: 'audit' };
    case 'new-job':
      return { page: 'new-job' };
    default:
      return { page: 'approvals' };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The hash of a route. */
export function hrefOf(route: Route): string {
  return route.page === 'workflow'
    ? `#/workflows/${encodeURIComponent(route.id)}`
    : `#/${route.page}`;
}
