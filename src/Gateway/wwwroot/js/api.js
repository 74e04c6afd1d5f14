// Talks to the gateway API (api.md) as the signed-in person. One place for auth headers, antiforgery, idempotency keys
// and problem details, so pages never handle raw responses. Normally the person is signed in with the gateway's session
// cookie (HttpOnly: no script here ever sees a token); a person may instead paste a token issued to them, kept in this tab.
const TOKEN_KEY = 'returnops.token';
const NOTICE_KEY = 'returnops.signin-notice';
// Marks a change made with the cookie as this origin's own (the gateway refuses one without it: antiforgery).
const ANTIFORGERY = { 'X-ReturnOps-Request': '1' };

let person = null;
let signInAvailable = false;
let expired = () => {};

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); },
  // Why the last sign-in ended, said once on the sign-in page.
  get notice() { return sessionStorage.getItem(NOTICE_KEY); },
  set notice(value) { value ? sessionStorage.setItem(NOTICE_KEY, value) : sessionStorage.removeItem(NOTICE_KEY); },
  get signInAvailable() { return signInAvailable; },
  // Who is signed in: the pasted token's claims, else the cookie session's person as last read by current().
  get claims() {
    const token = this.token;
    if (token) return claimsOf(token);
    return person && { sub: person.subject, role: person.role, country: person.country || undefined, provider: person.provider || undefined };
  },
  // Asks the gateway who the cookie signs in (every tab shares it), and whether it can sign anyone in.
  async current() {
    if (this.token) return this.claims;
    const response = await fetch('/signin/session', { headers: { Accept: 'application/json' } });
    const state = response.ok ? await response.json() : { signInAvailable: false, person: null };
    person = state.person;
    signInAvailable = state.signInAvailable;
    return this.claims;
  },
  // The gateway's sign-in (the identity provider's page, then back here at returnTo).
  signInUrl(returnTo) { return `/signin?returnUrl=${encodeURIComponent(returnTo || location.pathname + location.search + location.hash)}`; },
  // Called when the cookie session has ended under an open page (an API call answered 401).
  onExpired(handler) { expired = handler; },
};

// The headers that say who is asking: the pasted token, or, with the cookie, the antiforgery marker.
export function authHeaders() {
  return session.token ? { Authorization: `Bearer ${session.token}` } : { ...ANTIFORGERY };
}

// The claims of a JWT, or null if the text is not one (nothing is verified here: the gateway checks the signature).
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload));
    return claims && typeof claims === 'object' ? claims : null;
  } catch { return null; }
}

export class Problem extends Error {
  // unavailable: no answer or a server failure (nothing was decided), not a refusal.
  constructor(status, body, unavailable = false) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.rule = body?.rule;
    this.body = body;
    this.unavailable = unavailable;
  }
}

// How long a request may take before the page says it was not done: a gateway that hangs is as silent as one that is down.
const TIMEOUT_MS = 20000;

// A request that got no answer (gateway down, network gone, no answer in time) or a server failure (5xx): a Problem like any
// refusal, so every page says what did not happen instead of dropping an uncaught "Failed to fetch". Pages keep what was
// typed on a refusal; the words say so.
function unreachable(method, status) {
  const what = method === 'GET' ? 'This could not be loaded' : 'This was not done';
  const why = status ? `the server failed (HTTP ${status})` : 'the server could not be reached';
  return new Problem(status, { title: 'unavailable', detail: `${what}: ${why}. Nothing you entered was lost; try again in a moment.` }, true);
}

// Sends one request to the API: no answer in time, no answer at all and a server failure become the same Problem, and a 401
// under the cookie session says the session ended. What came back otherwise is the caller's to read.
async function send(method, path, init) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { ...init, method, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw unreachable(method, 0);
  }
  if (response.status >= 500) throw unreachable(method, response.status);
  if (response.status === 401 && !session.token) expired();
  return response;
}

async function request(method, path, body, ifMatch) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method === 'POST') headers['Idempotency-Key'] = crypto.randomUUID();
  const response = await send(method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not our gateway's answer (a proxy's page): said as a failure, not thrown as a parse error.
    throw unreachable(method, response.status);
  }
  if (!response.ok) throw new Problem(response.status, data);
  return data;
}

// A file the gateway makes (a CSV, a PAXLST message), saved by the browser under `filename`. Fetched here rather than linked,
// so that the same credentials travel as with every other request (the pasted token or the session cookie with its marker);
// a failure is a Problem as any request's is.
export async function download(path, accept, filename) {
  const response = await send('GET', path, { headers: { Accept: accept, ...authHeaders() } });
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch { /* not a problem document: the status says it */ }
    throw new Problem(response.status, body);
  }
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await response.blob()), download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  // Freed once the browser has taken the file: revoked at once, some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body ?? {}),
  // ifMatch: the ETag the change must still find (412 otherwise), for records edited by more than one person.
  put: (path, body, ifMatch) => request('PUT', path, body, ifMatch),
  del: (path, ifMatch) => request('DELETE', path, undefined, ifMatch),
};

// Server-sent events over fetch, so that a pasted token travels in a header rather than in the URL. `connected(true|false)`
// says whether the stream is up: false as soon as it drops or cannot be opened, true once it is open again (it is retried
// every 2 s while the gateway is down or failing; a refusal, 401/403, ends it).
export function subscribe(path, onEvent, signal, connected = () => {}) {
  (async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(`/api/v1${path}`, {
          headers: { ...authHeaders(), Accept: 'text/event-stream' }, signal,
        });
        if (response.status < 500 && (!response.ok || !response.body)) return;
        if (response.ok && response.body) {
          connected(true);
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
              const type = (block.split('\n').find((l) => l.startsWith('event:')) || 'event: message').slice(6).trim();
              if (data) onEvent(type, data);
            }
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      connected(false);
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
}
