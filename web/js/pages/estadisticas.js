// estadisticas.js — the month's movements by post, direction and how they
// were authorized (GET /api/v1/statistics/movements), for Planificación,
// the UAIP and whoever holds statistics.read: figures, no names.
import { h, notice, field, table, num, localDay, fieldError, latestRead } from '../dom.js';
import { get, qs } from '../api.js';
import { portLabel } from '../labels.js';

const DIR = { entry: 'Entradas', exit: 'Salidas' };
// how the crossing was authorized (a movement is always a crossing let through)
const DECISION = {
  admit: 'Directa (ventanilla o registro de contingencia)',
  admit_after_secondary: 'Tras segunda revisión',
  admit_referred: 'Con remisión a Atención al Migrante',
};
// "2026-12" → "diciembre de 2026"
const monthName = (m) => new Date(`${m}-15T12:00:00Z`).toLocaleDateString('es-SV', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export async function render(main) {
  const ports = new Map((await get('/api/v1/ports')).map((p) => [p.code, p]));
  const thisMonth = localDay().slice(0, 7);
  // the month by its Spanish name and the year (an <input type=month>
  // speaks the browser's language, not the page's)
  const MONTHS = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, i, 15)).toLocaleDateString('es-SV', { month: 'long', timeZone: 'UTC' }));
  const mon = h('select', { id: 'es-mes' }, MONTHS.map((t, i) => h('option', { value: String(i + 1).padStart(2, '0') }, t)));
  const year = h('input', { id: 'es-anio', type: 'number', min: 2000, max: thisMonth.slice(0, 4), step: 1, class: 'mono' });
  mon.value = thisMonth.slice(5);
  year.value = thisMonth.slice(0, 4);
  const month = { get value() { return `${year.value.trim()}-${mon.value}`; } };
  const out = h('div', { id: 'es-resultado' });
  const msg = h('div');
  const portName = (code) => (ports.has(code) ? portLabel(ports.get(code)) : code);
  const portCell = (code) => h('td', { title: ports.get(code)?.name || null }, portName(code));
  const n = (x) => h('td', { class: 'num' }, num(x));
  const read = latestRead(out);

  async function load() {
    msg.replaceChildren();
    year.classList.remove('invalido');
    if (!/^\d{4}-\d{2}$/.test(month.value) || month.value > thisMonth) {
      // and no month's figures still on its way drawn under what it says
      // (they were, under «indique un año…»)
      read.drop();
      out.replaceChildren();
      msg.append(fieldError({ field: 'year', message: `indique un año de cuatro cifras, hasta ${thisMonth.slice(0, 4)}` }, { year: [year, 'Año'] }));
      return;
    }
    await read(() => get(`/api/v1/statistics/movements${qs({ month: month.value })}`), (r) => {
      const title = monthName(r.month);
      if (!r.items.length) {
        out.replaceChildren(h('p', { class: 'sub', id: 'es-vacio' }, `Sin movimientos registrados en ${title}.`));
        return;
      }
      // by post: entries, exits and their sum; posts in the order of their names
      const byPort = new Map();
      const dirs = { entry: 0, exit: 0 };
      for (const x of r.items) {
        const p = byPort.get(x.port) || { entry: 0, exit: 0 };
        p[x.direction] = (p[x.direction] || 0) + x.count;
        byPort.set(x.port, p);
        dirs[x.direction] = (dirs[x.direction] || 0) + x.count;
      }
      const order = [...byPort.keys()].sort((a, b) => portName(a).localeCompare(portName(b), 'es'));
      const portTable = table(['Delegación', { text: 'Entradas', class: 'num' }, { text: 'Salidas', class: 'num' }, { text: 'Total', class: 'num' }],
        order.map((c) => { const p = byPort.get(c); return h('tr', { 'data-puesto': c }, portCell(c), n(p.entry), n(p.exit), n(p.entry + p.exit)); }));
      portTable.id = 'es-por-puesto';
      portTable.querySelector('table').append(h('tfoot', {}, h('tr', { class: 'total' }, h('th', {}, 'Total'), h('th', { class: 'num' }, num(dirs.entry)), h('th', { class: 'num' }, num(dirs.exit)), h('th', { class: 'num' }, num(r.total)))));
      const detail = table(['Delegación', 'Sentido', 'Autorización', { text: 'Movimientos', class: 'num' }],
        r.items.map((x) => h('tr', { dataset: { puesto: x.port, sentido: x.direction, decision: x.decision } },
          portCell(x.port), h('td', {}, x.direction === 'entry' ? 'Entrada' : x.direction === 'exit' ? 'Salida' : x.direction), h('td', {}, DECISION[x.decision] || x.decision), n(x.count))));
      detail.id = 'es-detalle';
      out.replaceChildren(
        h('h2', {}, `Movimientos de ${title}`),
        // the same figures for a spreadsheet
        h('p', {}, h('a', { class: 'boton sec', id: 'es-csv', download: '', href: `/api/v1/statistics/movements${qs({ month: r.month, format: 'csv' })}` }, 'Descargar CSV')),
        h('div', { class: 'cifras' },
          h('div', { class: 'cifra', id: 'es-total' }, h('b', {}, num(r.total)), h('span', {}, 'Movimientos')),
          ...Object.entries(DIR).map(([k, t]) => h('div', { class: 'cifra', id: `es-${k}` }, h('b', {}, num(dirs[k] || 0)), h('span', {}, t)))),
        h('h3', {}, 'Por delegación'), portTable,
        h('h3', {}, 'Por delegación, sentido y forma de autorización'), detail);
    }, (e) => { out.replaceChildren(); msg.append(fieldError(e, { month: [year, 'Mes'] })); });
  }
  mon.addEventListener('change', load);
  year.addEventListener('change', load);
  main.append(h('h1', {}, 'Estadísticas de movimientos'),
    h('p', { class: 'sub' }, 'Entradas y salidas registradas en el mes, por delegación, sentido y forma de autorización. Son cifras sin datos personales; los movimientos anulados no se cuentan.'),
    h('div', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Mes', mon)), h('div', {}, field('Año', year)))), msg, out);
  await load();
}
