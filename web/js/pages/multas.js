// multas.js — fines imposed on carriers and their collection.
import { h, notice, field, table } from '../dom.js';
import { get, post, qs } from '../api.js';

const ST = { pending: 'Pendiente', notified: 'Notificada', paid: 'Pagada', appealed: 'Recurrida', cancelled: 'Anulada' };

export async function render(main, ctx) {
  const month = h('input', { id: 'mu-mes', type: 'month', value: new Date().toISOString().slice(0, 7) });
  const carrier = h('input', { id: 'mu-transportista', placeholder: 'Empresa' });
  const out = h('div');
  const msg = h('div');
  const canWrite = ctx.has('carrier_fines.write');
  async function load() {
    msg.replaceChildren();
    try {
      const r = await get(`/api/v1/carrier-fines${qs({ month: month.value, carrier: carrier.value.trim(), limit: 500 })}`);
      const byCarrier = {};
      for (const f of r.items) byCarrier[f.carrier] = (byCarrier[f.carrier] || 0) + f.amount_cents;
      out.replaceChildren(
        h('h2', {}, 'Resumen mensual por transportista'),
        table(['Transportista', { text: 'Total (USD)', class: 'num' }], Object.entries(byCarrier).map(([c, v]) => h('tr', {}, h('td', {}, c), h('td', { class: 'num' }, (v / 100).toFixed(2))))),
        h('h2', {}, 'Multas'),
        table(['Fecha', 'Transportista', { text: 'Importe', class: 'num' }, 'Motivo', 'Estado', ...(canWrite ? [''] : [])], r.items.map((f) => {
          const sel = h('select', {}, ['notified', 'paid', 'appealed', 'cancelled'].map((s) => h('option', { value: s }, ST[s])));
          const btn = h('button', { type: 'button', class: 'sec' }, 'Actualizar');
          btn.addEventListener('click', async () => { try { await post(`/api/v1/carrier-fines/${f.id}/status`, { status: sel.value }); load(); } catch (e) { msg.append(notice('error', e.message)); } });
          return h('tr', {}, h('td', {}, f.imposed_on), h('td', {}, f.carrier), h('td', { class: 'num' }, `${(f.amount_cents / 100).toFixed(2)} ${f.currency}`), h('td', {}, f.reason, h('br'), h('small', {}, f.legal_basis)),
            h('td', {}, h('span', { class: `etiqueta ${f.status === 'paid' ? 'ok' : f.status === 'cancelled' ? '' : 'alerta'}` }, ST[f.status] || f.status)),
            canWrite ? h('td', {}, ['paid', 'cancelled'].includes(f.status) ? '' : h('div', {}, sel, btn)) : null);
        })));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  main.append(h('h1', {}, 'Multas a transportistas'), h('p', { class: 'sub' }, 'Seguimiento del cobro de multas impuestas en las delegaciones (Dirección de Control Migratorio).'), msg);
  if (canWrite) {
    const f = { carrier: h('input', { id: 'mu-n-empresa' }), amount: h('input', { id: 'mu-n-importe', type: 'number', min: '0.01', step: '0.01' }), basis: h('input', { id: 'mu-n-base' }), reason: h('input', { id: 'mu-n-motivo' }), transport: h('input', { id: 'mu-n-transporte' }) };
    const fmsg = h('div');
    const form = h('form', { class: 'panel' }, h('h2', {}, 'Registrar multa'),
      h('div', { class: 'fila' }, h('div', {}, field('Transportista', f.carrier)), h('div', {}, field('Importe (USD)', f.amount)), h('div', {}, field('Transporte', f.transport))),
      h('div', { class: 'fila' }, h('div', {}, field('Base legal', f.basis)), h('div', {}, field('Motivo', f.reason))), fmsg,
      h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Registrar')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      fmsg.replaceChildren();
      try {
        await post('/api/v1/carrier-fines', { carrier: f.carrier.value.trim(), amount: Number(f.amount.value), legal_basis: f.basis.value.trim(), reason: f.reason.value.trim(), transport: f.transport.value.trim() || undefined, port: localStorage.getItem('sigm.port') || undefined });
        form.reset();
        fmsg.append(notice('ok', 'Multa registrada.'));
        load();
      } catch (e) { fmsg.append(notice('error', e.message)); }
    });
    main.append(form);
  }
  const filt = h('form', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('Mes', month)), h('div', {}, field('Transportista', carrier))), h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Consultar')));
  filt.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  main.append(filt, out);
  await load();
}
