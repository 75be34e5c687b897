// fines.js — paying a traveler's pending fine: the receipt and the amount
// charged (prefilled when the law tables set it), shared by the person's
// history and the list of travelers' fines.
import { h, fieldError, dollars, sendOnce } from './dom.js';
import { post } from './api.js';

export function paymentForm(f, onPaid) {
  const receipt = h('input', { class: 'pago-recibo', placeholder: 'Recibo n.º', 'aria-label': 'Recibo n.º' });
  const amount = h('input', { class: 'pago-monto', type: 'number', min: '0.01', step: '0.01', placeholder: 'Monto (US$)', 'aria-label': 'Monto (US$)',
    value: dollars(f.amount_cents) });
  const said = h('span');
  const btn = h('button', { type: 'submit', class: 'sec' }, 'Registrar pago');
  const form = h('form', { class: 'pago-multa' }, receipt, amount, btn, said);
  const pay = sendOnce([btn], async () => {
    said.replaceChildren();
    const r = receipt.value.trim();
    try {
      await post(`/api/v1/traveler-fines/${f.id}/payment`, { receipt: r || undefined, amount: amount.value ? Number(amount.value) : undefined });
      await onPaid(r);
    } catch (e) { said.append(fieldError(e, { receipt: [receipt, 'Recibo'], amount: [amount, 'Monto'] })); }
  });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); pay(); });
  return form;
}
