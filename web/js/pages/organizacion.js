// organizacion.js — the organization chart; a unit opens its functions.
import { h, notice, num } from '../dom.js';
import { get } from '../api.js';
import { units, KINDS } from './org-data.js';

function box(u, onOpen) {
  const t = u.staff.total;
  return h('button', { type: 'button', class: `caja ${u.kind || ''}`, onclick: () => onOpen(u.code), 'data-code': u.code },
    u.name, h('small', {}, t === null ? 'personal: sin dato' : `${num(t)} ${t === 1 ? 'persona' : 'personas'}`));
}

export async function render(main) {
  const list = await units();
  const detail = h('div', { id: 'detalle-unidad' });
  async function open(code) {
    const u = await get(`/api/v1/org/units/${encodeURIComponent(code)}`);
    const s = u.staff;
    const val = (v) => (v === null ? h('span', { class: 'sin-dato' }, 'sin dato') : num(v));
    detail.replaceChildren(h('div', { class: 'panel' },
      h('h2', {}, u.name),
      h('p', { class: 'sub' }, `${KINDS[u.kind] || ''} · código ${u.code}`),
      h('div', { class: 'cifras' },
        h('div', { class: 'cifra' }, h('b', {}, val(s.women)), h('span', {}, 'Mujeres')),
        h('div', { class: 'cifra' }, h('b', {}, val(s.men)), h('span', {}, 'Hombres')),
        h('div', { class: 'cifra' }, h('b', {}, val(s.total)), h('span', {}, 'Total'))),
      u.notes.length ? notice('info', u.notes.join(' · ')) : null,
      h('h3', {}, `Funciones (${u.numbered_functions.length})`),
      h('ol', { class: 'funciones' }, u.numbered_functions.map((f) =>
        h('li', { value: f.number }, f.text)))));
    detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
  const byParent = (p) => list.filter((u) => u.parent === p);
  const top = list.filter((u) => !u.parent);
  const levels = [];
  let frontier = top;
  while (frontier.length) {
    levels.push(frontier);
    frontier = frontier.flatMap((u) => byParent(u.code));
  }
  main.append(
    h('h1', {}, 'Organigrama de la DGME'),
    h('p', { class: 'sub' }, `${list.length} unidades según el Manual de Organización y Funciones (aprobado el 5 de diciembre de 2018). Seleccione una unidad para ver sus funciones.`),
    h('div', { class: 'leyenda' }, Object.entries(KINDS).map(([k, t]) => h('span', {}, h('i', { class: k }), t))),
    h('div', { class: 'panel org', id: 'organigrama' }, levels.map((lv, i) => h('div', {},
      h('div', { class: 'rotulo' }, i === 0 ? 'Dirección' : i === 1 ? 'Dependencias directas' : 'Dependencias de la Subdirección'),
      h('div', { class: 'nivel' }, lv.map((u) => box(u, open)))))),
    detail);
}
