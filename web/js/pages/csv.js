// csv.js — the CSV import/export panel shared by restrictions, alerts and
// lost/stolen documents.  An import is all or nothing: «Validar» runs it
// with ?dry_run=1 and shows the per-row report; «Importar» writes every row
// or none.  Export links download the registry as CSV (same columns).
import { h, notice, table } from '../dom.js';
import { postRaw, ApiError } from '../api.js';

export function csvPanel({ id, title, importPath, exportPath, columns, required, canWrite, onImported }) {
  const file = h('input', { type: 'file', id: `${id}-archivo`, accept: '.csv,text/csv' });
  const out = h('div', { id: `${id}-informe` });
  async function send(dry) {
    out.replaceChildren();
    const f = file.files[0];
    if (!f) { out.append(notice('error', 'Elija un archivo CSV.')); return; }
    const r = await postRaw(`${importPath}${dry ? '?dry_run=1' : ''}`, f, 'text/csv');
    const j = r.json || {};
    if (r.status === 201) {
      out.append(notice('ok', j.imported === 1 ? 'Importada 1 fila. Ya la considera el control migratorio.' : `Importadas ${j.imported} filas. Ya las considera el control migratorio.`));
      file.value = '';
      if (onImported) await onImported();
      return;
    }
    if (r.status === 200) {
      out.append(notice(j.rejected ? 'error' : 'ok', j.rejected
        ? `Validación: ${j.accepted} de ${j.rows} filas correctas, ${j.rejected} rechazadas. Corrija el archivo: la importación es todo o nada.`
        : `Validación: las ${j.rows} filas son correctas. Puede importarlas.`));
    } else {
      const e = j.error || {};
      out.append(notice('error', j.errors ? `${e.message || 'Archivo rechazado'} — ${j.rejected} fila(s) con errores.` : new ApiError(r.status, j).message));
    }
    if (j.errors && j.errors.length) {
      out.append(table(['Fila', 'Línea', 'Columna', 'Código', 'Motivo'], j.errors.map((x) => h('tr', {},
        h('td', { class: 'num' }, x.row), h('td', { class: 'num' }, x.line), h('td', { class: 'mono' }, x.field || '—'), h('td', { class: 'mono' }, x.code), h('td', {}, x.message)))));
      if (j.errors_truncated) out.append(notice('info', 'Se muestran los primeros 1000 errores.'));
    }
  }
  const run = (dry) => send(dry).catch((e) => out.replaceChildren(notice('error', e.message)));
  return h('details', { class: 'panel', id }, h('summary', {}, title),
    h('div', { class: 'acciones' },
      h('a', { class: 'boton sec', href: exportPath, download: '', id: `${id}-exportar` }, 'Exportar CSV (todos)'),
      h('a', { class: 'boton sec', href: `${exportPath}?status=active`, download: '', id: `${id}-exportar-vigentes` }, 'Exportar CSV (vigentes)')),
    canWrite ? h('div', {},
      h('h3', {}, 'Importar CSV'),
      h('p', { class: 'sub' }, 'UTF-8, separado por comas, con encabezado. Columnas: ', h('span', { class: 'mono' }, columns.join(', ')),
        '. Obligatorias: ', h('span', { class: 'mono' }, required.join(', ')), '. Celdas vacías = sin dato. Si una fila tiene errores no se importa ninguna.'),
      h('label', { for: `${id}-archivo` }, 'Archivo'), file,
      h('div', { class: 'acciones' },
        h('button', { type: 'button', class: 'sec', id: `${id}-validar`, onclick: () => run(true) }, 'Validar (sin guardar)'),
        h('button', { type: 'button', id: `${id}-importar`, onclick: () => run(false) }, 'Importar')),
      out) : null);
}
