import { api, Problem } from './api.js';
import { explain } from './rules.js';
import { el } from './dom.js';
import { toast } from './app.js';
import { statusWord } from './words.js';

// Rule 18 on one case: the returnee's consent (record, withdraw) and the referral to a provider of the country of return.
// The coordinator picks a case; the card shows what is recorded and offers only what can be done next.
export async function reintegrationSection(returnees) {
  const providers = (await api.get('/reintegration-providers')).items;
  const open = returnees.filter((r) => r.reference);
  const pick = el('select', { id: 'reintegration-case' }, el('option', { value: '' }, 'Choose a case'),
    open.map((r) => el('option', { value: r.id }, `${r.reference} (${r.nationality})`)));
  const body = el('div', { 'aria-live': 'polite' });
  pick.addEventListener('change', () => show(pick.value, body, providers, open));
  return el('details', { class: 'card', id: 'reintegration' }, el('summary', {}, 'Reintegration: consent and referral'),
    el('label', { for: 'reintegration-case' }, 'Case'), pick, body);
}

const today = () => new Date().toISOString().slice(0, 10);

async function show(id, body, providers, returnees) {
  body.replaceChildren();
  if (!id) return;
  const c = await api.get(`/returnees/${encodeURIComponent(id)}/reintegration`);
  const problem = el('div', { role: 'alert' });
  const act = async (call, done) => {
    problem.replaceChildren();
    try {
      await call();
      toast(done);
      await show(id, body, providers, returnees);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      problem.append(el('p', { class: 'problem' }, explain(e)));
    }
  };
  const consent = c.consent;
  const active = consent && !consent.withdrawnOn;
  body.append(el('p', {}, consent
    ? `Consent given on ${consent.givenOn} for: ${consent.scope}${consent.withdrawnOn ? `. Withdrawn on ${consent.withdrawnOn}.` : '.'}`
    : 'No consent recorded.'));
  if (active) {
    const on = el('input', { id: 'withdraw-on', type: 'date', value: today(), max: today() });
    body.append(el('form', { onsubmit: (e) => { e.preventDefault(); act(() => api.post(`/returnees/${encodeURIComponent(id)}/reintegration/consent/withdrawal`, { withdrawnOn: on.value }), 'Consent withdrawn; referrals stopped.'); } },
      el('label', { for: 'withdraw-on' }, 'Withdrawn on'), on, el('p', {}, el('button', { type: 'submit', class: 'secondary' }, 'Withdraw consent'))));
  } else {
    const on = el('input', { id: 'consent-on', type: 'date', value: today(), max: today(), required: true });
    const scope = el('textarea', { id: 'consent-scope', rows: 2, maxlength: 1000, required: true });
    body.append(el('form', { onsubmit: (e) => { e.preventDefault(); act(() => api.put(`/returnees/${encodeURIComponent(id)}/reintegration/consent`, { givenOn: on.value, scope: scope.value }), 'Consent recorded.'); } },
      el('label', { for: 'consent-on' }, 'Consent given on'), on,
      el('label', { for: 'consent-scope' }, 'What the returnee consented to'), scope,
      el('p', {}, el('button', { type: 'submit' }, 'Record consent'))));
  }
  for (const r of c.referrals) {
    body.append(el('p', {}, `Referral to ${r.providerId} (${r.destination}): ${statusWord(r.status)}; `,
      r.steps.map((s) => `${s.step} ${s.on}`).join(', '),
      r.followUps.length ? `; follow-ups: ${r.followUps.map((f) => `${f.month} months ${statusWord(f.state)}`).join(', ')}` : ''));
  }
  const returnee = returnees.find((r) => r.id === id);
  const fitting = providers.filter((p) => p.country === returnee?.nationality || returnee?.readmission?.[p.country] === 'Accepted');
  if (active && fitting.length) {
    const provider = el('select', { id: 'refer-provider' }, fitting.map((p) => el('option', { value: p.id }, `${p.name} (${p.country})`)));
    body.append(el('form', { onsubmit: (e) => { e.preventDefault(); act(() => api.post(`/returnees/${encodeURIComponent(id)}/reintegration-referrals`, { providerId: provider.value }), 'Case referred.'); } },
      el('label', { for: 'refer-provider' }, 'Provider in the country of return'), provider, el('p', {}, el('button', { type: 'submit' }, 'Refer'))));
  } else if (active) {
    body.append(el('p', {}, 'No provider is registered in this returnee\'s country of return.'));
  }
  body.append(problem);
}
