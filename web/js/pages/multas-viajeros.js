// multas-viajeros.js — the fines of travelers who left after their
// permitted stay: pending ones to collect, paid ones with their receipt,
// and those whose exit was voided: cancelled (pending then) or held for a
// refund or a credit on the next exit (paid then), each saying why.
import { h, notice, field, table, fmtDate, money, count, moreButton, latestRead } from '../dom.js';
import { get, qs } from '../api.js';
import { paymentForm } from '../fines.js';
import { portNames, portName } from '../labels.js';

const ST = { pending: 'Pendientes de cobro', paid: 'Pagadas', refund_review: 'Pagadas, salida anulada (reembolso o abono)', cancelled: 'Anuladas con su salida' };

const note = (f) => (f.status_note ? [h('br'), h('small', { class: 'nota-estado' }, f.status_note)] : null);

export async function render(main, ctx) {
  const names = await portNames();
  const status = h('select', { id: 'mv-estado' }, Object.entries(ST).map(([v, t]) => h('option', { value: v }, t)));
  const out = h('div');
  const msg = h('div');
  const canPay = ctx.has('inspections.resolve');
  const row = (f) => h('tr', { class: `multa-viajero ${f.status}` },
    h('td', {}, `n.º ${f.id}`, h('br'), h('small', {}, fmtDate(f.created_at))),
    h('td', {}, h('a', { href: `#/personas?id=${f.person_id}` }, `${f.given_names || ''} ${f.surnames || ''}`.trim())),
    h('td', { class: f.nationality ? null : 'sin-dato' }, f.nationality || 'No declarada'), h('td', { class: 'num' }, f.days ?? '—'), h('td', { class: f.amount_cents === null || f.amount_cents === undefined ? 'monto-abierto' : 'monto' }, money(f.amount_cents)), h('td', { title: f.port || null }, portName(names, f.port)),
    // a paid one credited to a later exit, a pending one charging only the
    // days beyond one already paid: the note says so (it was not shown)
    h('td', {}, f.status === 'paid' ? [`Recibo ${f.receipt} · ${f.paid_by}, ${fmtDate(f.paid_at)}`, note(f)]
      : f.status === 'refund_review' ? [`Recibo ${f.receipt}: se reembolsa o se abona a su próxima salida.`, h('br'), h('small', { class: 'nota-estado' }, f.status_note || '')]
      : f.status === 'cancelled' ? [`Anulada ${fmtDate(f.status_changed_at)}.`, h('br'), h('small', { class: 'nota-estado' }, f.status_note || '')]
      : [canPay ? paymentForm(f, async (receipt) => { await load(); msg.replaceChildren(notice('ok', `Multa n.º ${f.id}: pago registrado (recibo ${receipt}).`)); }) : 'Pendiente', note(f)]));
  // a page at a time; «Ver más» follows the cursor, so nothing is cut off
  // unsaid.  The latest read wins: the state changed while the page's
  // first read (the long pending list) was on its way, that read came
  // last and drew the pending fines under «Anuladas».
  const read = latestRead(out);
  async function load() {
    const st = status.value;
    await read(() => get(`/api/v1/traveler-fines${qs({ status: st, limit: 200 })}`), (first) => {
      const rows = first.items.map(row);
      const body = table(['Multa', 'Persona', 'Nacionalidad', 'Días excedidos', 'Monto', 'Delegación', { pending: 'Cobro', paid: 'Pago' }[st] || 'Estado'], rows);
      const shown = h('p', { class: 'sub' });
      let n = first.items.length;
      const say = (more) => shown.replaceChildren(more ? `${count(n, 'multa', 'multas')} mostradas (hay más)` : count(n, 'multa', 'multas'));
      const more = moreButton('mv-mas', first.next_cursor, (cursor) => get(`/api/v1/traveler-fines${qs({ status: st, limit: 200, cursor })}`), (r) => {
        body.querySelector('tbody').append(...r.items.map(row));
        n += r.items.length;
        say(!!r.next_cursor);
      }, (e) => msg.replaceChildren(notice('error', e.message)));
      say(!!first.next_cursor);
      out.replaceChildren(shown, body, more);
    }, (e) => msg.replaceChildren(notice('error', e.message)));
  }
  status.addEventListener('change', () => { msg.replaceChildren(); load(); });
  main.append(h('h1', {}, 'Multas a viajeros'),
    h('p', { class: 'sub' }, 'Permanencia excedida: multas cobradas al autorizar la salida y las que quedaron pendientes. El pago se registra con su recibo.'),
    h('div', { class: 'panel' }, field('Estado', status)), msg, out);
  await load();
}
