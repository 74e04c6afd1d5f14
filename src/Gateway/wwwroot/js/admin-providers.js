import { api, Problem } from './api.js';
import { explainEach } from './rules.js';
import { el, table } from './dom.js';
import { countryWord, providerWords } from './words.js';

// Rule 18: the admin keeps the list of reintegration service providers that coordinators refer cases to. One form adds a
// provider or, from a row's "Change", renames it or moves it to another country; the gateway checks every value.
export async function renderProviders(main) {
  const [providers, countries] = await Promise.all([api.get('/reintegration-providers'), api.get('/countries')]);
  const names = Object.fromEntries(countries.map((c) => [c.code, c.name]));
  const list = el('div', { id: 'providers-list' });
  const form = providerForm(countries, show);
  main.append(el('p', {}, providerWords.intro), form.element, el('h3', {}, providerWords.listHeading), list);
  show(providers.items);

  function show(items) {
    list.replaceChildren(table(['Id', 'Country', 'Name', 'Change'], items.map((p) => el('tr', { 'data-provider': p.id },
      el('td', {}, el('code', {}, p.id)), el('td', {}, countryWord(p.country, names)), el('td', {}, p.name),
      el('td', {}, el('button', { type: 'button', class: 'secondary', 'aria-label': `Change ${p.name}`, onclick: () => form.edit(p) }, 'Change')))),
    providerWords.listHeading));
  }
}

// The gateway's rule for a provider id (ReintegrationProvidersGrain.IsProviderId), only to point at the field it refused.
const PROVIDER_ID = /^[a-z0-9-]{1,80}$/;

function providerForm(countries, onSaved) {
  const result = el('div', { id: 'provider-result', 'aria-live': 'polite' });
  const id = el('input', { id: 'provider-id', name: 'id', required: true, maxlength: 80, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'provider-id-hint' });
  const country = el('select', { id: 'provider-country', name: 'country', required: true }, el('option', { value: '' }, 'Choose…'),
    countries.map((c) => el('option', { value: c.code }, `${c.name} (${c.code})`)));
  const name = el('input', { id: 'provider-name', name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
  const heading = el('h3', { id: 'provider-form-heading' }, providerWords.addHeading);
  const cancel = el('button', { type: 'button', class: 'secondary', hidden: true, onclick: reset }, providerWords.cancel);
  const submitButton = el('button', { type: 'submit' }, providerWords.add);
  const form = el('form', { class: 'card', id: 'provider-form', 'aria-labelledby': 'provider-form-heading', onsubmit: submit },
    heading,
    el('div', { class: 'grid' },
      el('div', {}, el('label', { for: 'provider-id' }, 'Id'), id, el('small', { id: 'provider-id-hint' }, providerWords.idHint)),
      el('div', {}, el('label', { for: 'provider-country' }, 'Country where it works'), country),
      el('div', {}, el('label', { for: 'provider-name' }, 'Name'), name)),
    el('p', {}, submitButton, ' ', cancel), result);

  // The id names the provider in every referral, so a change keeps it and only the country and name change.
  function edit(p) {
    reset();
    id.value = p.id;
    id.readOnly = true;
    country.value = p.country;
    name.value = p.name;
    heading.textContent = `${providerWords.changeHeading} ${p.id}`;
    submitButton.textContent = providerWords.save;
    cancel.hidden = false;
    name.focus();
  }
  function reset() {
    form.reset();
    id.readOnly = false;
    id.removeAttribute('aria-invalid');
    heading.textContent = providerWords.addHeading;
    submitButton.textContent = providerWords.add;
    cancel.hidden = true;
  }
  async function submit(event) {
    event.preventDefault();
    result.replaceChildren();
    id.removeAttribute('aria-invalid');
    submitButton.disabled = true;
    try {
      const saved = await api.put(`/reintegration-providers/${encodeURIComponent(id.value.trim())}`, { country: country.value, name: name.value.trim() });
      reset();
      onSaved((await api.get('/reintegration-providers')).items);
      result.append(el('p', { class: 'ok', role: 'status' }, `${providerWords.saved} ${saved.name} (${saved.id}).`));
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      // The gateway's message names every value it checks; the field it most often means is marked for screen readers.
      if (e.rule === 'validation' && !PROVIDER_ID.test(id.value.trim())) id.setAttribute('aria-invalid', 'true');
      result.append(el('div', { class: 'problem', role: 'alert' }, el('strong', {}, providerWords.notSaved),
        el('ul', {}, explainEach(e).map((line) => el('li', {}, line)))));
    } finally {
      submitButton.disabled = false;
    }
  }
  return { element: form, edit };
}
