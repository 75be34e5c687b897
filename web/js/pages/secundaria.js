// secundaria.js — the secondary-inspection queue of a post and the
// supervisor's resolution.
import { h, notice, field, table, fmtDate } from '../dom.js';
import { get, post, qs } from '../api.js';

export async function render(main, ctx) {
  const ports = await get('/api/v1/ports');
  const port = h('select', { id: 'sec-puesto' }, h('option', { value: '' }, 'Todas'), ports.map((p) => h('option', { value: p.code }, p.name)));
  port.value = localStorage.getItem('sigm.port') || '';
  const out = h('div');
  const msg = h('div');
  const canResolve = ctx.has('inspections.resolve');
  async function load() {
    const r = await get(`/api/v1/inspections${qs({ port: port.value, status: 'pending' })}`);
    out.replaceChildren(table(['Hora', 'Delegación', 'Persona', 'Documento', 'Motivos', ...(canResolve ? ['Resolución'] : [])],
      r.items.map((i) => h('tr', {},
        h('td', {}, fmtDate(i.at)), h('td', {}, i.port, h('br'), i.direction === 'entry' ? 'Entrada' : 'Salida'),
        h('td', {}, h('a', { href: `#/personas?id=${i.person_id}` }, `${i.given_names || ''} ${i.surnames || ''}`), h('br'), `${i.birth_date || ''} · ${i.nationality || ''}`),
        h('td', { class: 'mono' }, `${i.issuing_state || ''} ${i.document_number || ''}`),
        h('td', {}, h('ul', {}, (i.reasons || []).filter((x) => x.severity !== 'info').map((x) => h('li', {}, x.message)))),
        canResolve ? h('td', {}, resolver(i)) : null))));
  }
  function resolver(i) {
    const sel = h('select', {}, h('option', { value: 'admit' }, 'Admitir'), h('option', { value: 'refuse' }, 'No admitir (inadmisión)'), h('option', { value: 'refer_atencion_migrante' }, 'Remitir a Atención al Migrante'));
    const ground = h('input', { placeholder: 'Fundamento legal (inadmisión)' });
    const ret = h('input', { placeholder: 'Transporte de retorno' });
    const carrier = h('input', { placeholder: 'Transportista' });
    const btn = h('button', { type: 'button' }, 'Resolver');
    btn.addEventListener('click', async () => {
      msg.replaceChildren();
      try {
        await post(`/api/v1/inspections/${i.id}/resolve`, { resolution: sel.value, legal_ground: ground.value || undefined, return_transport: ret.value || undefined, carrier: carrier.value || undefined });
        msg.append(notice('ok', `Inspección ${i.id} resuelta.`));
        load();
      } catch (e) { msg.append(notice('error', e.message)); }
    });
    return h('div', {}, sel, ground, carrier, ret, btn);
  }
  port.addEventListener('change', load);
  main.append(h('h1', {}, 'Segunda revisión'), h('p', { class: 'sub' }, 'Casos remitidos desde las ventanillas, pendientes de resolución del supervisor.'),
    h('div', { class: 'panel' }, field('Delegación', port)), msg, out);
  await load();
}
