import { session } from './api.js';
import { renderBoard } from './board.js';
import { renderStatistics } from './statistics.js';
import { renderCoordinator } from './coordinator.js';
import { renderOrganiser } from './organiser.js';
import { renderMonitor } from './monitor.js';
import { renderPartner } from './partner.js';
import { renderProvider } from './provider.js';
import { renderProviders } from './admin-providers.js';
import { renderSignIn } from './signin.js';
import { renderComplaints } from './fro-complaints.js';
import { keepTyped, restoreTyped } from './typed.js';

const main = document.getElementById('main');
let leave = new AbortController();

const pages = {
  '#/board': { title: 'Operations board', roles: ['secretariat', 'fro', 'admin'], render: renderBoard },
  '#/statistics': { title: 'Statistics', roles: ['secretariat', 'admin'], render: renderStatistics },
  '#/coordinator': { title: 'My returnees and bookings', roles: ['coordinator'], render: renderCoordinator },
  '#/organiser': { title: 'Operations we organise', roles: ['coordinator'], render: renderOrganiser },
  '#/partner': { title: 'Requests and manifests', roles: ['partner'], render: renderPartner },
  '#/monitor': { title: 'Operations I monitor', roles: ['monitor'], render: renderMonitor },
  '#/provider': { title: 'Reintegration referrals', roles: ['provider'], render: renderProvider },
  '#/reintegration-providers': { title: 'Reintegration providers', roles: ['admin'], render: renderProviders },
  '#/complaints': { title: 'Complaints', roles: ['fro'], render: renderComplaints },
};

function home(role) {
  return { secretariat: '#/board', fro: '#/board', admin: '#/board', coordinator: '#/coordinator', partner: '#/partner', monitor: '#/monitor', provider: '#/provider' }[role] || '#/board';
}

function renderNav(claims) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  nav.replaceChildren();
  who.textContent = '';
  if (!claims) return;
  for (const [hash, page] of Object.entries(pages)) {
    if (!page.roles.includes(claims.role)) continue;
    const link = document.createElement('a');
    link.href = hash;
    link.textContent = page.title;
    if (location.hash === hash) link.setAttribute('aria-current', 'page');
    nav.append(link);
  }
  who.textContent = `Signed in as ${claims.sub} (${claims.role}${claims.country ? ', ' + claims.country : ''}${claims.provider ? ', ' + claims.provider : ''}) `;
  const out = document.createElement('button');
  out.className = 'secondary';
  out.textContent = 'Sign out';
  out.onclick = () => {
    if (session.token) {
      session.token = null;
      location.hash = '#/';
      return;
    }
    // A top-level post: the gateway ends its cookie and the identity provider's session, then comes back here.
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/signout';
    document.body.append(form);
    form.submit();
  };
  who.append(out);
}

async function route() {
  leave.abort();
  leave = new AbortController();
  const mine = leave;
  let claims;
  try {
    claims = await session.current();
  } catch {
    claims = null;
  }
  // Another route began while the session was read (a hash change at load): that one draws the page.
  if (mine !== leave) return;
  renderNav(claims);
  // Each route draws into a view of its own: a route still drawing when a newer one begins (its fetches outlive the hash
  // change) writes into its detached view, never beside the newer page's (cards were drawn twice).
  const view = document.createElement('div');
  main.replaceChildren(view);
  if (!claims) {
    document.title = 'Sign in — ReturnOps';
    await renderSignIn(view, () => { location.hash = home(session.claims?.role); });
    return;
  }
  const page = pages[location.hash];
  if (!page || !page.roles.includes(claims.role)) {
    location.hash = home(claims.role);
    return;
  }
  document.title = `${page.title} — ReturnOps`;
  const heading = document.createElement('h2');
  heading.textContent = page.title;
  view.append(heading);
  try {
    await page.render(view, claims, mine.signal);
    if (mine === leave) restoreTyped(view, location.hash);
  } catch (e) {
    if (e.status === 401 && !session.token) return; // the session ended: sessionEnded() said so
    if (e.status === 401) {
      // The gateway refused the token (expired, or signed for another gateway): back to sign-in, saying why.
      signInAgain('The gateway refused this token: it has expired or was not issued for this gateway. Sign in again.');
      return;
    }
    const p = document.createElement('p');
    p.className = 'problem';
    p.textContent = `Could not load this page: ${e.message}`;
    view.append(p);
  }
  // Focus moves to the content for screen readers, without scrolling the navigation and "Sign out" out of view.
  main.focus({ preventScroll: true });
}

function signInAgain(why) {
  session.token = null;
  session.notice = why;
  if (location.hash === '#/') route();
  else location.hash = '#/';
}

// The cookie session ended under an open page: what was typed is kept for after sign-in, and the page says so.
function sessionEnded() {
  keepTyped(main, location.hash);
  if (document.getElementById('session-ended')) return;
  const notice = document.createElement('div');
  notice.id = 'session-ended';
  notice.className = 'card problem';
  notice.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = 'Your session has ended, so the last action was not done. What you typed here is kept: sign in again to continue.';
  const again = document.createElement('a');
  again.href = session.signInUrl();
  again.className = 'button';
  again.textContent = 'Sign in again';
  // Typed after the notice appeared: kept too.
  again.onclick = () => keepTyped(main, location.hash);
  notice.append(text, again);
  main.prepend(notice);
  again.focus();
}

export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 5000);
}

session.onExpired(sessionEnded);
window.addEventListener('hashchange', route);
route();
