// secundaria.js — the secondary-inspection queue of a post and the
// supervisor's resolution.
import { h, notice, field, table, fmtDate } from '../dom.js';
import { get, post, qs } from '../api.js';
import { recordLabel, portOption } from '../labels.js';

export async function render(main, ctx) {
  const ports = await get('/api/v1/ports');
  const port = h('select', { id: 'sec-puesto' }, h('option', { value: '' }, 'Todas'), ports.map(portOption));
  port.value = localStorage.getItem('sigm.port') || '';
  const out = h('div');
  const msg = h('div');
  const canResolve = ctx.has('inspections.resolve');
  async function load() {
    const r = await get(`/api/v1/inspections${qs({ port: port.value, status: 'pending' })}`);
    out.replaceChildren(table(['Hora', 'Delegación', 'Persona', 'Documento', 'Motivos', ...(canResolve ? ['Resolución'] : [])],
      r.items.map((i) => h('tr', {},
        h('td', {}, fmtDate(i.at), h('br'), h('small', {}, `Inspección n.º ${i.id}`)), h('td', {}, i.port, h('br'), i.direction === 'entry' ? 'Entrada' : 'Salida'),
        h('td', {}, h('a', { href: `#/personas?id=${i.person_id}` }, `${i.given_names || ''} ${i.surnames || ''}`), h('br'), `${i.birth_date || ''} · ${i.nationality || ''}`),
        h('td', { class: 'mono' }, `${i.issuing_state || ''} ${i.document_number || ''}`),
        // as the booth showed them: the record matched and what it says to do
        h('td', {}, h('ul', {}, (i.reasons || []).filter((x) => x.severity !== 'info').map((x) => h('li', {}, x.message,
          x.record ? h('small', { class: 'registro' }, h('br'), recordLabel(x.record)) : null, x.detail ? h('small', { class: 'detalle' }, h('br'), x.detail) : null)))),
        canResolve ? h('td', {}, resolver(i)) : null))));
  }
  // The fields each resolution takes: an inadmission its legal ground, the
  // carrier and the return; an admission may set the stay; both a note.
  function resolver(i) {
    // an exit refused is a departure not authorized, not an inadmission
    const entry = i.direction === 'entry';
    // no resolution is chosen for the supervisor: letting a flagged
    // traveler through must be a choice, not a stray click on «Resolver»
    const sel = h('select', { class: 'res-tipo' }, h('option', { value: '' }, '— Elija la resolución —'), h('option', { value: 'admit' }, entry ? 'Admitir' : 'Autorizar la salida'),
      h('option', { value: 'refuse' }, entry ? 'No admitir (inadmisión)' : 'No autorizar la salida'), h('option', { value: 'refer_atencion_migrante' }, 'Remitir a Atención al Migrante'));
    const ground = h('input', { class: 'res-fundamento', placeholder: 'Fundamento legal (obligatorio)' });
    const carrier = h('input', { class: 'res-transportista', placeholder: 'Transportista' });
    const ret = h('input', { class: 'res-retorno', placeholder: 'Transporte de retorno (obligatorio)' });
    const days = h('input', { class: 'res-dias', type: 'number', min: 1, max: 365, placeholder: 'Días de permanencia (opcional)' });
    const notes = h('input', { class: 'res-notas', placeholder: 'Observaciones' });
    const refuseOnly = h('div', { hidden: true }, ground, entry ? [carrier, ret] : null);
    const admitOnly = h('div', { hidden: true }, entry ? days : null);
    // admitting over an alert, a court order or a minor's missing
    // authorization says why, in the record
    const grave = (i.reasons || []).some((x) => x.severity === 'refuse' || /watchlist|alert|restriction|exit_ban|minor|lost|stolen|reentry/.test(x.code || ''));
    const notesNeeded = () => grave && sel.value === 'admit';
    sel.addEventListener('change', () => {
      refuseOnly.hidden = sel.value !== 'refuse'; admitOnly.hidden = sel.value !== 'admit';
      notes.placeholder = notesNeeded() ? 'Justificación (obligatoria: el caso tiene una alerta o restricción)' : 'Observaciones';
    });
    const rowMsg = h('div', { class: 'res-msg' });
    const btn = h('button', { type: 'button' }, 'Resolver');
    btn.addEventListener('click', async () => {
      msg.replaceChildren();
      rowMsg.replaceChildren();
      const v = (el) => el.value.trim() || undefined;
      if (!sel.value) { rowMsg.append(notice('error', 'Elija la resolución.')); sel.focus(); return; }
      if (notesNeeded() && !v(notes)) { rowMsg.append(notice('error', 'Justifique la admisión en las observaciones: el caso tiene una alerta, una restricción o un menor sin autorización.')); notes.focus(); return; }
      const body = { resolution: sel.value, notes: v(notes) };
      if (sel.value === 'refuse') Object.assign(body, { legal_ground: v(ground) }, entry ? { carrier: v(carrier), return_transport: v(ret) } : {});
      if (sel.value === 'admit' && days.value) body.permitted_stay_days = Number(days.value);
      try {
        await post(`/api/v1/inspections/${i.id}/resolve`, body);
        msg.append(notice('ok', `Inspección n.º ${i.id} (${`${i.given_names || ''} ${i.surnames || ''}`.trim()}) resuelta.`));
        await load();
        msg.scrollIntoView({ block: 'nearest' });
      } catch (e) { rowMsg.append(notice('error', e.message)); }
    });
    return h('div', {}, sel, refuseOnly, admitOnly, notes, rowMsg, btn);
  }
  port.addEventListener('change', load);
  main.append(h('h1', {}, 'Segunda revisión'), h('p', { class: 'sub' }, 'Casos remitidos desde las ventanillas, pendientes de resolución del supervisor.'),
    h('div', { class: 'panel' }, field('Delegación', port)), msg, out);
  await load();
}
