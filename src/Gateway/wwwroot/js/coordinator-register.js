import { api, Problem } from './api.js';
import { explainEach } from './rules.js';
import { el } from './dom.js';
import { eligibilityOf } from './returnee-eligibility.js';

// Registers one case with every field of the contract (api.md POST /returnees); the eligibility answer follows the typing.
const VULNERABILITIES = ['pregnancy', 'disability', 'health', 'elderly', 'trauma'];

export function registerForm(countries, onRegistered) {
  const answer = el('div', { id: 'case-eligibility', 'aria-live': 'polite' });
  const result = el('div', { 'aria-live': 'assertive' });
  const text = (id, label, attrs = {}) => el('div', {}, el('label', { for: id }, label), el('input', { id, name: id, maxlength: 200, autocomplete: 'off', ...attrs }));
  const date = (id, label) => el('div', {}, el('label', { for: id }, label), el('input', { id, name: id, type: 'date' }));
  const box = (id, label, checked) => el('label', { class: 'check', for: id }, el('input', { id, name: id, type: 'checkbox', checked }), ` ${label}`);
  const form = el('form', { class: 'card', id: 'register-form', onsubmit: submit, oninput: show, onchange: show },
    el('div', { class: 'grid' },
      text('reference', 'Case reference (our own)', { required: true }),
      el('div', {}, el('label', { for: 'nationality' }, 'Nationality'),
        el('select', { id: 'nationality', name: 'nationality', required: true }, el('option', { value: '' }, 'Choose…'),
          countries.map((c) => el('option', { value: c.code }, `${c.name} (${c.code})`)))),
      el('div', {}, el('label', { for: 'birthYear' }, 'Year of birth'),
        el('input', { id: 'birthYear', name: 'birthYear', type: 'number', min: 1900, max: new Date().getUTCFullYear(), required: true })),
      el('div', {}, el('label', { for: 'sex' }, 'Sex (as in the travel document)'),
        el('select', { id: 'sex', name: 'sex', required: true }, [['F', 'Female (F)'], ['M', 'Male (M)'], ['X', 'Unspecified (X)']].map(([v, t]) => el('option', { value: v }, t)))),
      text('familyGroup', 'Family group (same label for every member)'),
      date('travelDocumentValidUntil', 'Travel document valid until')),
    el('fieldset', {}, el('legend', {}, 'Return'),
      el('label', { class: 'check', for: 'forced' }, el('input', { id: 'forced', type: 'radio', name: 'voluntary', value: 'false', checked: true }), ' Forced return'),
      el('label', { class: 'check', for: 'voluntary' }, el('input', { id: 'voluntary', type: 'radio', name: 'voluntary', value: 'true' }), ' Voluntary return')),
    el('fieldset', {}, el('legend', {}, 'Decision and appeal'),
      box('decisionEnforceable', 'The return decision is enforceable', true),
      box('appealPending', 'An appeal is pending'),
      box('appealSuspensive', 'The appeal has suspensive effect'),
      box('nonRefoulementCleared', 'Non-refoulement has been cleared', true)),
    el('fieldset', {}, el('legend', {}, 'Minors, health and vulnerabilities'),
      box('unaccompaniedMinor', 'Unaccompanied minor'),
      text('receptionArrangement', 'Reception arrangement in the destination (family member, guardian or facility)', { class: 'wide' }),
      box('medicalFlag', 'Medical flag'),
      date('fitToTravelOn', 'Fit-to-travel record dated'),
      el('div', { class: 'choices' }, VULNERABILITIES.map((v) => box(`vulnerability-${v}`, v)))),
    el('h4', {}, 'Eligibility'), answer,
    el('p', {}, el('button', { type: 'submit' }, 'Register case')), result);

  function read() {
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    const checked = (id) => form.querySelector(`#${id}`).checked;
    return {
      reference: value('reference'), nationality: value('nationality'), birthYear: Number(value('birthYear')), sex: value('sex'),
      familyGroup: value('familyGroup') || null, unaccompaniedMinor: checked('unaccompaniedMinor'),
      receptionArrangement: value('receptionArrangement') || null, decisionEnforceable: checked('decisionEnforceable'),
      appealPending: checked('appealPending'), appealSuspensive: checked('appealSuspensive'),
      nonRefoulementCleared: checked('nonRefoulementCleared'), travelDocumentValidUntil: value('travelDocumentValidUntil') || null,
      medicalFlag: checked('medicalFlag'), fitToTravelOn: value('fitToTravelOn') || null,
      vulnerabilities: VULNERABILITIES.filter((v) => checked(`vulnerability-${v}`)), voluntary: checked('voluntary'),
    };
  }
  function show() {
    const broken = eligibilityOf(read());
    answer.replaceChildren(broken.length
      ? el('ul', { class: 'alert' }, broken.map((b) => el('li', { 'data-rule': b.rule }, b.text)))
      : el('p', { class: 'ok' }, 'Eligible so far. The operation\'s departure day decides the rest: a document valid on that day and, with a medical flag, a recent fit-to-travel record.'));
  }
  async function submit(event) {
    event.preventDefault();
    result.replaceChildren();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await api.post('/returnees', read());
      result.append(el('p', { class: 'ok', id: 'register-result' }, `Case ${created.reference} registered.`));
      form.reset();
      show();
      onRegistered(created);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      result.append(el('div', { class: 'problem' }, el('strong', {}, 'Not registered. '), el('ul', {}, explainEach(e).map((l) => el('li', {}, l)))));
    } finally {
      button.disabled = false;
    }
  }
  show();
  return form;
}
