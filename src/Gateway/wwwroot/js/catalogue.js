// Message catalogues: one flat JSON file per page and language (i18n/{page}/{lang}.json), keyed by message id, with an
// "@metadata" entry giving the language tag, direction, the language's own name and who wrote or reviewed it. A missing
// message falls back to English, so a catalogue behind the source language still shows every string.
const cache = new Map();

async function read(page, lang) {
  const key = `${page}/${lang}`;
  if (!cache.has(key)) {
    cache.set(key, fetch(`/i18n/${key}.json`, { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`No catalogue ${key}`)))));
  }
  return cache.get(key);
}

// The catalogue of a page in a language: t(id) gives the message, meta the "@metadata" entry.
export async function catalogue(page, lang) {
  const [own, english] = await Promise.all([read(page, lang), lang === 'en' ? null : read(page, 'en')]);
  const meta = own['@metadata'];
  return { meta, t: (id) => own[id] ?? english?.[id] ?? id };
}
