// auditoria.js — search the audit log; verify the hash chain.
import { h, notice, field, table, fmtDate } from '../dom.js';
import { get, qs } from '../api.js';

// A read through a list is one entry naming every record it showed
// (detail.ids): the count in «Registro», the ids on hover and whether the
// record searched for is among them; the rest of the detail as it came.
const listed = (e) => (!e.record_id && e.detail && Array.isArray(e.detail.ids) ? e.detail.ids : null);
const record = (e, wanted) => {
  if (!e.record_type) return '—';
  const ids = listed(e);
  if (!ids) return `${e.record_type} ${e.record_id || ''}`;
  const among = wanted && ids.includes(Number(wanted)) ? ` (incluye ${wanted})` : '';
  return h('span', { class: 'lista-auditada', title: ids.join(', ') }, `${e.record_type}: lista de ${ids.length}${among}`);
};
const detailText = (e) => {
  if (!e.detail) return '';
  if (!listed(e)) return JSON.stringify(e.detail);
  const rest = { ...e.detail };
  delete rest.ids;
  return Object.keys(rest).length ? JSON.stringify(rest) : '';
};

export async function render(main) {
  const f = {
    user: h('input', { id: 'au-usuario', placeholder: 'usuario' }),
    action: h('input', { id: 'au-accion', placeholder: 'p. ej. session.login' }),
    record_type: h('input', { id: 'au-tipo', placeholder: 'p. ej. user, restriction' }),
    record_id: h('input', { id: 'au-registro', placeholder: 'identificador' }),
    from: h('input', { id: 'au-desde', type: 'date' }),
    to: h('input', { id: 'au-hasta', type: 'date' }),
  };
  const msg = h('div');
  const out = h('div', { id: 'resultados-auditoria' });
  const verifyOut = h('div');
  let cursor = null;
  async function search(reset) {
    msg.replaceChildren();
    if (reset) { cursor = null; out.replaceChildren(); }
    try {
      const crit = Object.fromEntries(Object.entries(f).map(([k, el]) => [k, el.value.trim()]));
      const r = await get(`/api/v1/audit${qs({ ...crit, limit: 50, cursor })}`);
      cursor = r.next_cursor;
      out.append(table(['#', 'Fecha', 'Usuario', 'Acción', 'Registro', 'Origen', 'Detalle'],
        r.items.map((e) => h('tr', {},
          h('td', { class: 'num' }, e.seq), h('td', {}, fmtDate(e.at)), h('td', {}, e.user), h('td', {}, h('code', {}, e.action)),
          h('td', {}, record(e, crit.record_id)), h('td', {}, e.remote_addr || ''),
          h('td', { class: 'mono' }, detailText(e))))));
      if (cursor) out.append(h('div', { class: 'acciones' }, h('button', { type: 'button', class: 'sec', onclick: () => search(false) }, 'Ver más')));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  async function verify() {
    verifyOut.replaceChildren(notice('info', 'Verificando la cadena…'));
    try {
      const v = await get('/api/v1/audit/verify');
      verifyOut.replaceChildren(notice(v.ok ? 'ok' : 'error', `${v.message} (${v.checked} entradas revisadas${v.ok ? '' : `; primera entrada afectada: ${v.first_broken_seq}`})`));
    } catch (e) { verifyOut.replaceChildren(notice('error', e.message)); }
  }
  const form = h('form', { class: 'panel' },
    h('div', { class: 'fila' },
      h('div', {}, field('Usuario', f.user)), h('div', {}, field('Acción', f.action)),
      h('div', {}, field('Tipo de registro', f.record_type)), h('div', {}, field('Registro', f.record_id)),
      h('div', {}, field('Desde', f.from)), h('div', {}, field('Hasta', f.to))),
    h('div', { class: 'acciones' },
      h('button', { type: 'submit' }, 'Buscar'),
      h('button', { type: 'button', class: 'sec', onclick: verify, id: 'verificar-cadena' }, 'Verificar cadena')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); search(true); });
  main.append(h('h1', {}, 'Auditoría'),
    h('p', { class: 'sub' }, 'Registro inalterable de toda consulta y modificación de datos. Cada entrada está encadenada criptográficamente con la anterior.'),
    form, verifyOut, msg, out);
  await search(true);
}
