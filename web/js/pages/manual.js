// manual.js — the functions manual, searchable: every function of every unit
// that mentions the words typed, highlighted, regardless of accents and case.
import { h, fold, highlight } from '../dom.js';
import { units } from './org-data.js';

export async function render(main) {
  const list = await units();
  const q = h('input', { type: 'search', id: 'buscar-manual', placeholder: 'Ej.: pasaporte, trata de personas, refugio…', autocomplete: 'off', 'aria-describedby': 'cuenta-manual' });
  const count = h('p', { class: 'sub', id: 'cuenta-manual', 'aria-live': 'polite' });
  const results = h('div', { id: 'resultados-manual' });
  const total = list.reduce((n, u) => n + u.functions.length, 0);

  function show() {
    const words = fold(q.value).split(/\s+/).filter(Boolean);
    results.replaceChildren();
    let nf = 0, nu = 0;
    for (const u of list) {
      const hits = u.numbered_functions.map((f) => [f.text, f.number]).filter(([f]) => words.every((w) => fold(f).includes(w)));
      if (!hits.length) continue;
      nu++;
      nf += hits.length;
      results.append(h('section', { class: 'panel resultado-manual' },
        h('h3', {}, u.name, ' ', h('span', { class: 'etiqueta' }, `${hits.length}`)),
        h('ul', {}, hits.map(([f, n]) => h('li', {}, h('b', {}, `${n}. `),
          words.length ? words.reduce((nodes, w) => nodes.flatMap((n) => typeof n === 'string' ? highlight(n, w) : [n]), [f]) : f)))));
    }
    count.textContent = words.length
      ? (nf ? `${nf} funciones en ${nu} unidades mencionan «${q.value.trim()}».` : `Ninguna función menciona «${q.value.trim()}».`)
      : `${total} funciones de ${list.length} unidades.`;
  }
  q.addEventListener('input', show);
  main.append(
    h('h1', {}, 'Manual de funciones'),
    h('p', { class: 'sub' }, 'Busque en las funciones de todas las unidades. La búsqueda no distingue mayúsculas ni tildes.'),
    h('label', { for: 'buscar-manual' }, 'Buscar'), q, count, results);
  const pre = new URLSearchParams(location.hash.split('?')[1] || '').get('q');
  if (pre) q.value = pre;
  show();
  q.focus();
}
