// movimientos.js — movements by post and day.
import { h, notice, field, table, fmtDate } from '../dom.js';
import { get, qs } from '../api.js';

export async function render(main) {
  const ports = await get('/api/v1/ports');
  const port = h('select', { id: 'mv-puesto' }, h('option', { value: '' }, 'Todas'), ports.map((p) => h('option', { value: p.code }, p.name)));
  const day = h('input', { id: 'mv-dia', type: 'date', value: new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10) });
  const out = h('div');
  const msg = h('div');
  async function load() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/movements${qs({ port: port.value, day: day.value, limit: 500 })}`);
      const n = (d) => r.items.filter((m) => m.direction === d && m.decision !== 'void').length;
      out.replaceChildren(h('div', { class: 'cifras' }, h('div', { class: 'cifra' }, h('b', {}, n('entry')), h('span', {}, 'Entradas')), h('div', { class: 'cifra' }, h('b', {}, n('exit')), h('span', {}, 'Salidas'))),
        table(['Hora', 'Delegación', 'Sentido', 'Persona', 'Transporte', 'Oficial', 'Nota'], r.items.map((m) => h('tr', {}, h('td', {}, fmtDate(m.at)), h('td', {}, m.port), h('td', {}, m.direction === 'entry' ? 'Entrada' : 'Salida'),
          h('td', {}, h('a', { href: `#/personas?id=${m.person_id}` }, `${m.given_names || ''} ${m.surnames || ''}`), ` · ${m.nationality || ''}`), h('td', {}, m.transport || ''), h('td', {}, m.officer),
          h('td', {}, m.decision === 'void' ? `Anula ${m.corrects_movement_id}: ${m.correction_reason} (aprobó ${m.approved_by})` : m.decision)))));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  port.addEventListener('change', load);
  day.addEventListener('change', load);
  main.append(h('h1', {}, 'Movimientos del día'), h('div', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Delegación', port)), h('div', {}, field('Día', day)))), msg, out);
  await load();
}
