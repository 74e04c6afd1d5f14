import { api } from './api.js';
import { el } from './dom.js';

// Lists come in pages (docs/api.md, "Lists and paging"): a page's nextAfter is the after= of the next, null on the last.
// A "Load more" button under a list fetches the next page of `path` and hands its items to `append`; it hides itself at the end.
export function loadMore(path, nextAfter, append) {
  let after = nextAfter;
  const separator = path.includes('?') ? '&' : '?';
  const button = el('button', { type: 'button', class: 'secondary load-more' }, 'Load more');
  button.hidden = !after;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const page = await api.get(`${path}${separator}after=${encodeURIComponent(after)}`);
      await append(page.items);
      after = page.nextAfter;
    } finally {
      button.disabled = false;
      button.hidden = !after;
    }
  });
  return button;
}
