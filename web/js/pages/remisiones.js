// remisiones.js — the cases Control Migratorio refers to the Dirección de
// Atención al Migrante at the posts: received when its staff take the
// person in charge, closed with what became of them.
import { h, notice, field, table, fmtDate, fieldError, fmtDay, latestRead, keepTyped } from '../dom.js';
import { get, post, qs } from '../api.js';
import { MOTIVE, portNames, portName, docShown } from '../labels.js';

const ST = { open: 'Por recibir', received: 'En atención', closed: 'Cerradas' };

export async function render(main, ctx) {
  const names = await portNames();
  const status = h('select', { id: 'rm-estado' }, Object.entries(ST).map(([v, t]) => h('option', { value: v }, t)));
  // the latest read wins (a change of state while a refresh is on its
  // way); a result being typed in a case while the list is read again
  // (after another case was received or closed) stays, and the cursor in it
  const out = h('div', { id: 'rm-lista' });
  const read = latestRead(out);
  const msg = h('div');
  const canWrite = ctx.has('referrals.write');
  const who = (x) => {
    const name = `${x.given_names || ''} ${x.surnames || ''}`.trim() || 'Sin identidad registrada';
    return ctx.has('persons.read') && x.person_id ? h('a', { href: `#/personas?id=${x.person_id}` }, name) : name;
  };
  function actions(x) {
    if (!canWrite || x.status === 'closed') return null;
    const outcome = h('input', { class: 'rm-resultado', placeholder: 'Resultado (p. ej. albergada en el CAIM, entregado al CONNA)', 'aria-label': 'Resultado de la atención', dataset: { key: x.id } });
    const said = h('div');
    const send = (st) => async () => {
      said.replaceChildren();
      try {
        await post(`/api/v1/referrals/${x.id}/status`, st === 'closed' ? { status: st, outcome: outcome.value.trim() || undefined } : { status: st });
        await load();
        msg.replaceChildren(notice('ok', `Remisión n.º ${x.id}: ${st === 'received' ? 'recibida' : 'cerrada'}.`));
        // the cursor on the next case (it fell to the page's top, the
        // whole menu to Tab through), or on the state when none is left;
        // not taken from a result already being typed meanwhile
        if (!out.contains(document.activeElement)) (out.querySelector('.rm-recibir, .rm-resultado') || status).focus();
      } catch (e) { said.append(fieldError(e, { outcome: [outcome, 'Resultado'] })); }
    };
    return h('div', { class: 'rm-acciones' }, x.status === 'open' ? h('button', { type: 'button', class: 'rm-recibir', onclick: send('received') }, 'Recibir') : null,
      outcome, h('button', { type: 'button', class: 'sec rm-cerrar', onclick: send('closed') }, 'Cerrar'), said);
  }
  async function load() {
    await read(() => get(`/api/v1/referrals${qs({ status: status.value })}`), (r) => keepTyped(out, () => out.replaceChildren(
      table(['Remisión', 'Persona', 'Documento', 'Motivo', 'Seguimiento', ...(canWrite ? ['Acción'] : [])], r.items.map((x) => h('tr', { class: `remision ${x.status}`, 'data-id': x.id },
        h('td', {}, `n.º ${x.id}`, h('br'), h('small', {}, `${fmtDate(x.created_at)} · ${portName(names, x.port)} · ${x.direction === 'entry' ? 'entrada' : 'salida'}`)),
        h('td', {}, who(x), h('br'), h('small', {}, [fmtDay(x.birth_date), x.nationality].filter(Boolean).join(' · '))),
        h('td', { class: 'mono' }, `${x.issuing_state || ''} ${docShown(x.document_number, x.issuing_state)}`),
        h('td', {}, h('b', {}, MOTIVE[x.motive] || x.motive), x.notes ? [h('br'), x.notes] : null, h('br'), h('small', { title: x.created_by }, `Remitida por ${x.created_by_name || x.created_by}`)),
        h('td', {}, x.received_at ? h('span', { title: x.received_by }, `Recibida por ${x.received_by_name || x.received_by}, ${fmtDate(x.received_at)}`) : 'Sin recibir',
          x.closed_at ? [h('br'), h('span', { title: x.closed_by }, `Cerrada por ${x.closed_by_name || x.closed_by}, ${fmtDate(x.closed_at)}: ${x.outcome}`)] : null),
        canWrite ? h('td', {}, actions(x)) : null))))), (e) => msg.replaceChildren(notice('error', e.message)));
  }
  status.addEventListener('change', () => { msg.replaceChildren(); load(); });
  // the people referred from the posts during the night show up without a
  // reload (the list stayed as it was when opened); not while a result is
  // being typed or the cursor is on a case
  const timer = setInterval(() => {
    if (!document.body.contains(main)) { clearInterval(timer); return; }
    if (out.contains(document.activeElement) || [...out.querySelectorAll('.rm-resultado')].some((el) => el.value.trim())) return;
    load();
  }, 30000);
  main.append(h('h1', {}, 'Remisiones a Atención al Migrante'),
    h('p', { class: 'sub' }, 'Personas remitidas desde segunda revisión en los puestos: posibles solicitantes de refugio, víctimas de trata, niñas y niños no acompañados, personas retornadas.'),
    h('div', { class: 'panel' }, field('Estado', status)), msg, out);
  await load();
}
