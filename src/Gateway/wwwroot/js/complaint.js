import { el } from './dom.js';
import { catalogue } from './catalogue.js';

// The public complaint form (rule 24): no sign-in, in the languages of the people returned (?lang=xx), right to left where
// the language is. It sends the form as JSON and shows the tracking code once; everything typed is sent and shown as text.
const LANGUAGES = ['en', 'fr', 'ar', 'sq', 'sr', 'ur'];
const WHO = ['Person', 'Representative', 'Witness'];

const asked = new URLSearchParams(location.search).get('lang');
const preferred = (navigator.languages || []).map((l) => l.slice(0, 2)).find((l) => LANGUAGES.includes(l));
const lang = LANGUAGES.includes(asked) ? asked : preferred || 'en';
const { meta, t } = await catalogue('complaint', lang);
document.documentElement.lang = meta.lang;
document.documentElement.dir = meta.dir;
document.title = `${t('title')} — ReturnOps`;

const languages = document.getElementById('languages');
languages.setAttribute('aria-label', t('languages'));
for (const code of LANGUAGES) {
  const other = code === lang ? meta : (await catalogue('complaint', code)).meta;
  languages.append(el('a', { href: `?lang=${code}`, lang: other.lang, hreflang: other.lang, 'aria-current': code === lang ? 'page' : null }, other.name));
}

const main = document.getElementById('main');
main.append(el('h2', {}, t('title')), el('p', {}, t('intro')), el('p', {}, t('officer')), complaintForm(), trackingForm());

function field(id, label, input, help) {
  if (help) input.setAttribute('aria-describedby', `${id}-help`);
  return [el('label', { for: id }, label), help ? el('p', { id: `${id}-help`, class: 'muted' }, help) : null, input];
}

function complaintForm() {
  const outcome = el('div', { id: 'complaint-outcome', role: 'status' });
  const today = new Date().toISOString().slice(0, 10);
  const what = el('textarea', { id: 'what', name: 'whatHappened', rows: 8, class: 'wide', required: true, maxlength: 8000 });
  const when = el('input', { id: 'when', name: 'happenedOn', type: 'date', required: true, max: today });
  const operation = el('input', { id: 'operation', name: 'operationId', class: 'wide', maxlength: 80 });
  const contact = el('input', { id: 'contact', name: 'contact', class: 'wide', maxlength: 200, autocomplete: 'email' });
  const send = el('button', { type: 'submit' }, t('send'));
  const who = el('fieldset', {}, el('legend', {}, t('who')),
    WHO.map((kind, i) => el('label', { class: 'check' },
      el('input', { type: 'radio', name: 'complainant', value: kind, required: i === 0 }), ' ', t(`who.${kind}`))));
  const form = el('form', { class: 'card', id: 'complaint', 'aria-label': t('title'), onsubmit: submit }, who,
    field('what', t('what'), what, t('what.help')), field('when', t('when'), when),
    field('operation', t('operation'), operation, t('operation.help')), field('contact', t('contact'), contact, t('contact.help')),
    el('p', {}, send));
  return el('div', {}, form, outcome);

  async function submit(event) {
    event.preventDefault();
    const complainant = form.querySelector('input[name=complainant]:checked')?.value;
    send.disabled = true;
    send.textContent = t('sending');
    outcome.replaceChildren();
    try {
      const response = await fetch('/api/v1/complaints', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          complainant, whatHappened: what.value, happenedOn: when.value, operationId: operation.value || null,
          contact: contact.value || null, language: lang,
        }),
      });
      if (!response.ok) {
        outcome.append(el('p', { class: 'problem', role: 'alert' }, problemText(response.status)));
        return;
      }
      const receipt = await response.json();
      form.replaceWith(el('div', { class: 'card' },
        el('h3', {}, t('sent')),
        el('p', {}, t('sent.code'), ': ', el('strong', { id: 'tracking-code', dir: 'ltr', lang: 'en' }, receipt.trackingCode)),
        el('p', { class: 'warning' }, t('sent.keep')),
        el('p', {}, t('status'), ': ', t(`status.${receipt.status}`))));
    } catch {
      outcome.append(el('p', { class: 'problem', role: 'alert' }, t('error.failed')));
    } finally {
      send.disabled = false;
      send.textContent = t('send');
    }
  }
}

function problemText(status) {
  if (status === 429) return t('error.tooMany');
  if (status === 413) return t('error.tooLong');
  if (status === 400 || status === 422) return t('error.invalid');
  return t('error.failed');
}

function trackingForm() {
  const code = el('input', { id: 'tracking', name: 'trackingCode', class: 'wide', required: true, maxlength: 40, dir: 'ltr', autocomplete: 'off' });
  const outcome = el('div', { id: 'tracking-outcome', role: 'status' });
  const form = el('form', { class: 'card', onsubmit: track }, field('tracking', t('track.code'), code), el('p', {}, el('button', { type: 'submit', class: 'secondary' }, t('track.show'))));
  return el('section', { 'aria-labelledby': 'tracking-heading' }, el('h3', { id: 'tracking-heading' }, t('track')), form, outcome);

  async function track(event) {
    event.preventDefault();
    outcome.replaceChildren();
    const response = await fetch(`/api/v1/complaint-tracking/${encodeURIComponent(code.value.trim())}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      outcome.append(el('p', { class: 'problem' }, response.status === 404 || response.status === 400 ? t('error.unknownCode') : problemText(response.status)));
      return;
    }
    const { status } = await response.json();
    outcome.append(el('p', {}, t('status'), ': ', el('strong', {}, t(`status.${status}`))));
  }
}
