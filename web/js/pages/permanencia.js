// permanencia.js — persons inside past their permitted stay.
import { h, notice, field, table, fmtDate, fmtDay, count, localDay } from '../dom.js';
import { get, qs } from '../api.js';

export async function render(main) {
  const asOf = h('input', { id: 'pv-fecha', type: 'date', value: localDay() });
  const out = h('div');
  const msg = h('div');
  async function load() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/overstayers${qs({ as_of: asOf.value })}`);
      out.replaceChildren(h('p', { class: 'sub' }, `${count(r.items.length, 'persona', 'personas')} al ${fmtDay(r.as_of)}.`),
        table(['Persona', 'Nacionalidad', 'Ingresó', 'Por', 'Permanencia hasta', { text: 'Días excedidos', class: 'num' }], r.items.map((p) => h('tr', {},
          h('td', {}, h('a', { href: `#/personas?id=${p.person_id}` }, `${p.given_names || ''} ${p.surnames || ''}`)), h('td', {}, p.nationality || ''),
          h('td', {}, fmtDate(p.entered_at)), h('td', {}, p.port || ''), h('td', {}, fmtDay(p.permitted_until)), h('td', { class: 'num' }, h('span', { class: 'etiqueta mal' }, p.days_over))))));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  asOf.addEventListener('change', load);
  main.append(h('h1', {}, 'Permanencia vencida'), h('p', { class: 'sub' }, 'Extranjeros cuyo último movimiento es una entrada y cuya permanencia autorizada ya terminó.'),
    h('div', { class: 'panel' }, field('A la fecha', asOf)), msg, out);
  await load();
}
