// personal.js — staff by unit and sex: a stacked bar chart and the table,
// "sin dato" where the manual gives no figure (never drawn as zero).
import { h, svg, num } from '../dom.js';
import { units } from './org-data.js';

export async function render(main) {
  const list = await units();
  const known = (v) => v !== null && v !== undefined;
  const sum = (k) => list.reduce((n, u) => n + (known(u.staff[k]) ? u.staff[k] : 0), 0);
  const max = Math.max(...list.map((u) => u.staff.total || (u.staff.women || 0) + (u.staff.men || 0)));
  const W = 900, label = 300, bar = W - label - 60, rowH = 24, H = list.length * rowH + 30;
  const g = svg('svg', { class: 'grafico', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Personal por unidad y sexo' });
  list.forEach((u, i) => {
    const y = 10 + i * rowH;
    const s = u.staff;
    g.append(svg('text', { x: label - 8, y: y + 15, 'text-anchor': 'end' }, u.name.length > 46 ? u.name.slice(0, 45) + '…' : u.name));
    let x = label;
    const seg = (v, cls, title) => {
      const w = (v / max) * bar;
      const r = svg('rect', { x, y: y + 3, width: Math.max(w, 0), height: rowH - 8, class: cls }, svg('title', {}, title));
      x += w;
      return r;
    };
    if (known(s.women)) g.append(seg(s.women, 'mujeres', `${u.name}: ${s.women} mujeres`));
    if (known(s.men)) g.append(seg(s.men, 'hombres', `${u.name}: ${s.men} hombres`));
    // a total the parts do not explain (unknown men, unknown everything)
    const parts = (s.women || 0) + (s.men || 0);
    if (known(s.total) && s.total > parts) g.append(seg(s.total - parts, 'desconocido', `${u.name}: ${s.total - parts} sin desglose`));
    const txt = known(s.total) ? num(s.total) : 'sin dato';
    g.append(svg('text', { x: x + 6, y: y + 15 }, txt));
  });
  const val = (v) => (known(v) ? num(v) : h('span', { class: 'sin-dato' }, 'sin dato'));
  main.append(
    h('h1', {}, 'Personal por unidad y sexo'),
    h('p', { class: 'sub' }, 'Cifras del Manual de Organización y Funciones. Donde el manual no indica una cifra se muestra «sin dato».'),
    h('div', { class: 'cifras' },
      h('div', { class: 'cifra' }, h('b', {}, num(sum('total'))), h('span', {}, 'Total conocido')),
      h('div', { class: 'cifra' }, h('b', {}, num(sum('women'))), h('span', {}, 'Mujeres')),
      h('div', { class: 'cifra' }, h('b', {}, num(sum('men'))), h('span', {}, 'Hombres')),
      h('div', { class: 'cifra' }, h('b', {}, list.filter((u) => !known(u.staff.total) || !known(u.staff.men) || !known(u.staff.women)).length), h('span', {}, 'Unidades con cifras incompletas'))),
    h('div', { class: 'leyenda' }, h('span', {}, h('i', { class: 'mujeres' }), 'Mujeres'), h('span', {}, h('i', { class: 'hombres' }), 'Hombres'), h('span', {}, h('i', { class: 'desconocido' }), 'Sin desglose por sexo')),
    g,
    h('h2', {}, 'Detalle'),
    h('div', { class: 'tabla-wrap' }, h('table', { id: 'tabla-personal' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Unidad'), h('th', { class: 'num' }, 'Mujeres'), h('th', { class: 'num' }, 'Hombres'), h('th', { class: 'num' }, 'Total'))),
      h('tbody', {}, list.map((u) => h('tr', {}, h('td', {}, u.name), h('td', { class: 'num' }, val(u.staff.women)), h('td', { class: 'num' }, val(u.staff.men)), h('td', { class: 'num' }, val(u.staff.total))))),
      h('tfoot', {}, h('tr', {}, h('th', {}, 'Total (cifras conocidas)'), h('th', { class: 'num' }, num(sum('women'))), h('th', { class: 'num' }, num(sum('men'))), h('th', { class: 'num' }, num(sum('total'))))))));
}
