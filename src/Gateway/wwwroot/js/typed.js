// What a person typed on a page, kept in this tab's sessionStorage when the session ends under it, and put back when the
// same page opens again after sign-in. Fields are found again by id, or by name and position.
const KEY = 'returnops.typed';

function fields(main) {
  const seen = {};
  return [...main.querySelectorAll('input, textarea, select')]
    .filter((f) => f.type !== 'hidden' && f.type !== 'file' && f.type !== 'password' && (f.id || f.name))
    .map((f) => {
      const base = f.id ? `#${f.id}` : `${f.name}`;
      seen[base] = (seen[base] || 0) + 1;
      const key = f.id ? base : `${base}:${seen[base]}:${f.type === 'checkbox' || f.type === 'radio' ? f.value : ''}`;
      return { key, field: f };
    });
}

export function keepTyped(main, page) {
  const values = {};
  for (const { key, field } of fields(main)) {
    values[key] = field.type === 'checkbox' || field.type === 'radio' ? field.checked : field.value;
  }
  sessionStorage.setItem(KEY, JSON.stringify({ page, values }));
}

export function restoreTyped(main, page) {
  const kept = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  if (!kept || kept.page !== page) return;
  sessionStorage.removeItem(KEY);
  for (const { key, field } of fields(main)) {
    if (!(key in kept.values)) continue;
    if (field.type === 'checkbox' || field.type === 'radio') field.checked = kept.values[key];
    else field.value = kept.values[key];
    field.dispatchEvent(new Event(field.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    // A form folded away when the session ended is shown open again, with what was typed in it.
    field.closest('details')?.setAttribute('open', '');
  }
}
