// Small helpers to build DOM nodes safely: text is always set as text, never as HTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The wrapper scrolls sideways on narrow screens, so it takes keyboard focus (arrow keys scroll it) and a name.
export function table(headers, rows, caption) {
  return el('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: 0 },
    el('table', {},
      caption ? el('caption', { class: 'hide-narrow' }, caption) : null,
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      // A header row over no data cells leaves screen readers headers that label nothing.
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: headers.length }, 'None.')))));
}

export function when(iso) {
  return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—';
}
