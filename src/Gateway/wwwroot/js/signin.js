import { session, claimsOf } from './api.js';
import { el, when } from './dom.js';

const ROLES = ['coordinator', 'secretariat', 'partner', 'monitor', 'fro', 'admin', 'provider'];

// Sign-in: the gateway's, at the member state's identity provider (the demo one in Development), whose session cookie
// serves every tab. A person issued a token (an integrator, an operator without a provider) may paste it instead.
export async function renderSignIn(main, done) {
  main.append(el('h2', {}, 'Sign in'));
  const notice = el('div', { id: 'signin-problem', role: 'alert' });
  const failed = new URLSearchParams(location.search).get('signin-failed');
  if (failed) {
    notice.append(el('p', { class: 'problem' }, `The sign-in did not succeed: ${failed}`));
    history.replaceState(null, '', location.pathname + location.hash);
  }
  if (session.notice) {
    notice.append(el('p', { class: 'problem' }, session.notice));
    session.notice = null;
  }
  main.append(notice);
  if (session.signInAvailable) {
    main.append(el('section', { class: 'card', 'aria-labelledby': 'signin-heading' },
      el('h3', { id: 'signin-heading' }, 'With your organisation’s account'),
      el('p', {}, 'One sign-in serves every tab until you sign out.'),
      el('p', {}, el('a', { class: 'button', id: 'signin', href: session.signInUrl('/' + (location.hash || '#/')) }, 'Sign in'))));
  }

  const input = el('textarea', { id: 'token', rows: 4, cols: 60, required: true, 'aria-describedby': 'token-help', class: 'wide' });
  const form = el('form', { class: 'card', onsubmit: submit },
    el('h3', {}, session.signInAvailable ? 'Or with an access token' : 'With an access token'),
    el('label', { for: 'token' }, 'Access token'),
    el('p', { id: 'token-help', class: 'warning' }, 'Paste the bearer token issued for you (see the README for local use). It is kept in this tab only.'),
    input, el('p', {}, el('button', { type: 'submit', class: session.signInAvailable ? 'secondary' : '' }, 'Sign in with this token')));
  main.append(form);
  main.append(el('p', {}, el('a', { href: '/scalar/' }, 'API reference for integrators')));
  // Rule 24: the public complaint form needs no account, so it is found from here, where everyone without one lands.
  main.append(el('p', {}, el('a', { href: '/complaint.html', id: 'complain' }, 'Complain to the fundamental-rights officer (no account needed)')));

  // What can be told without the gateway is told at once; the signature is checked by the gateway on the first call.
  function submit(event) {
    event.preventDefault();
    const token = input.value.trim();
    const why = problemOf(token);
    notice.replaceChildren();
    if (why) {
      notice.append(el('p', { class: 'problem' }, why));
      input.focus();
      return;
    }
    session.token = token;
    done();
  }
}

function problemOf(token) {
  const claims = claimsOf(token);
  if (!claims) return 'This is not an access token: a token is three parts separated by dots (header.payload.signature). Paste it whole.';
  if (!ROLES.includes(claims.role)) return 'This token names no ReturnOps role (coordinator, secretariat, partner, monitor, fro, admin or provider).';
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return `This token expired at ${when(new Date(claims.exp * 1000).toISOString())}. Ask for a new one.`;
  return null;
}
