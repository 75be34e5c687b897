// multas-viajeros.js — the fines of travelers who left after their
// permitted stay: pending ones to collect, paid ones with their receipt.
import { h, notice, field, table, fmtDate, money, count } from '../dom.js';
import { get, qs } from '../api.js';
import { paymentForm } from '../fines.js';

const ST = { pending: 'Pendientes de cobro', paid: 'Pagadas' };

export async function render(main, ctx) {
  const status = h('select', { id: 'mv-estado' }, Object.entries(ST).map(([v, t]) => h('option', { value: v }, t)));
  const out = h('div');
  const msg = h('div');
  const canPay = ctx.has('inspections.resolve');
  async function load() {
    try {
      const r = await get(`/api/v1/traveler-fines${qs({ status: status.value, limit: 500 })}`);
      out.replaceChildren(h('p', { class: 'sub' }, count(r.items.length, 'multa', 'multas')),
        table(['Multa', 'Persona', 'Nacionalidad', 'Días excedidos', 'Monto', 'Delegación', status.value === 'paid' ? 'Pago' : 'Cobro'], r.items.map((f) => h('tr', { class: `multa-viajero ${f.status}` },
          h('td', {}, `n.º ${f.id}`, h('br'), h('small', {}, fmtDate(f.created_at))),
          h('td', {}, h('a', { href: `#/personas?id=${f.person_id}` }, `${f.given_names || ''} ${f.surnames || ''}`.trim())),
          h('td', {}, f.nationality || ''), h('td', { class: 'num' }, f.days), h('td', { class: 'monto' }, money(f.amount_cents)), h('td', {}, f.port || ''),
          h('td', {}, f.status === 'paid' ? `Recibo ${f.receipt} · ${f.paid_by}, ${fmtDate(f.paid_at)}`
            : canPay ? paymentForm(f, async (receipt) => { await load(); msg.replaceChildren(notice('ok', `Multa n.º ${f.id}: pago registrado (recibo ${receipt}).`)); }) : 'Pendiente')))));
    } catch (e) { msg.replaceChildren(notice('error', e.message)); }
  }
  status.addEventListener('change', () => { msg.replaceChildren(); load(); });
  main.append(h('h1', {}, 'Multas a viajeros'),
    h('p', { class: 'sub' }, 'Permanencia excedida: multas cobradas al autorizar la salida y las que quedaron pendientes. El pago se registra con su recibo.'),
    h('div', { class: 'panel' }, field('Estado', status)), msg, out);
  await load();
}
