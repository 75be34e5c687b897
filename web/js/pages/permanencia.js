// permanencia.js — persons inside past their permitted stay: the longest
// overstays first, the whole list a page at a time, by nationality, post
// of entry and days over.
import { h, notice, field, table, fmtDate, fmtDay, count, localDay, fieldError, moreButton, latestRead } from '../dom.js';
import { get, qs } from '../api.js';
import { portOption, portName, portNames } from '../labels.js';

export async function render(main) {
  const ports = await get('/api/v1/ports');
  const names = await portNames();
  // today or later (who will be over by then); the list is of who is in the country now
  const asOf = h('input', { id: 'pv-fecha', type: 'date', value: localDay(), min: localDay() });
  const port = h('select', { id: 'pv-puesto' }, h('option', { value: '' }, 'Todas'), ports.map(portOption));
  const nat = h('input', { id: 'pv-nacionalidad', class: 'mono', maxlength: 3, placeholder: 'p. ej. USA' });
  const minDays = h('input', { id: 'pv-dias', type: 'number', min: 1, step: 1, placeholder: '1' });
  const out = h('div');
  const msg = h('div');
  // the filters are in the page's address: back from a person's history
  // the list is the one left (it came back whole, the nationality and the
  // days typed gone, for each person looked at)
  const was = new URLSearchParams(location.hash.split('?')[1] || '');
  if (was.get('as_of') && was.get('as_of') >= localDay()) asOf.value = was.get('as_of');
  if (was.get('port') && ports.some((p) => p.code === was.get('port'))) port.value = was.get('port');
  nat.value = was.get('nationality') || '';
  minDays.value = was.get('min_days') || '';
  const fields = { as_of: [asOf, 'A la fecha'], port: [port, 'Delegación de ingreso'], nationality: [nat, 'Nacionalidad'], min_days: [minDays, 'Días excedidos, al menos'] };
  // a traveler recorded without a document may not have said where they
  // are from: said so, not a blank cell
  const row = (p) => h('tr', {},
    h('td', {}, h('a', { href: `#/personas?id=${p.person_id}` }, `${p.given_names || ''} ${p.surnames || ''}`)), h('td', { class: p.nationality ? null : 'sin-dato' }, p.nationality || 'No declarada'),
    h('td', {}, fmtDate(p.entered_at)), h('td', { title: p.port || null }, portName(names, p.port)), h('td', {}, fmtDay(p.permitted_until)), h('td', { class: 'num' }, h('span', { class: 'etiqueta mal' }, p.days_over)));
  const read = latestRead(out);
  // the filters of the list on screen: Intro in a field, then the click on
  // a person (the field's «change» as it loses the cursor) read the same
  // list again and drew it under the pointer, between the press and the
  // release: the click on the name was lost
  let shownFor = null;
  async function load() {
    const want = { as_of: asOf.value, port: port.value, nationality: nat.value.trim().toUpperCase(), min_days: minDays.value.trim() };
    const key = JSON.stringify(want);
    if (key === shownFor) return;
    shownFor = key;
    msg.replaceChildren();
    for (const el of main.querySelectorAll('.invalido')) el.classList.remove('invalido');
    if (location.hash.startsWith('#/permanencia')) history.replaceState(null, '', `#/permanencia${qs({ ...want, as_of: want.as_of === localDay() ? '' : want.as_of })}`);
    await read(() => get(`/api/v1/overstayers${qs(want)}`), (r) => {
      // nobody past the stay: said as such, with the filters that apply
      const by = [want.port && `ingresado por ${portName(names, want.port)}`, want.nationality && `de nacionalidad ${want.nationality}`,
        want.min_days && `con ${want.min_days} días excedidos o más`].filter(Boolean);
      const body = table(['Persona', 'Nacionalidad', 'Ingresó', 'Por', 'Permanencia hasta', { text: 'Días excedidos', class: 'num' }], r.items.map(row),
        `Ningún extranjero${by.length ? ` ${by.join(', ')}` : ''} con la permanencia vencida al ${fmtDay(r.as_of)}.`);
      const shown = h('span', {}, String(r.items.length));
      const more = moreButton('pv-mas', r.next_cursor, (cursor) => get(`/api/v1/overstayers${qs({ ...want, cursor })}`), (p) => {
        body.querySelector('tbody').append(...p.items.map(row));
        shown.textContent = String(body.querySelectorAll('tbody tr').length);
      }, (e) => msg.replaceChildren(notice('error', e.message)));
      out.replaceChildren(h('p', { class: 'sub', id: 'pv-total' }, `${count(r.total, 'persona', 'personas')} al ${fmtDay(r.as_of)}`,
        r.next_cursor ? [' · se muestran ', shown] : null, '.'), body, h('div', { class: 'acciones' }, more));
    }, (e) => {
      // asked again, it is read again
      shownFor = null;
      out.replaceChildren();
      msg.replaceChildren(fieldError(e, fields));
    });
  }
  for (const el of [asOf, port]) el.addEventListener('change', load);
  // typed filters apply when the officer is done with them
  for (const el of [nat, minDays]) {
    el.addEventListener('change', load);
    el.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); load(); } });
  }
  main.append(h('h1', {}, 'Permanencia vencida'), h('p', { class: 'sub' }, 'Extranjeros cuyo último movimiento es una entrada y cuya permanencia autorizada ya terminó; primero los que más días llevan excedidos.'),
    h('div', { class: 'panel' }, h('div', { class: 'fila' }, h('div', {}, field('A la fecha', asOf)), h('div', {}, field('Delegación de ingreso', port)),
      h('div', {}, field('Nacionalidad', nat)), h('div', {}, field('Días excedidos, al menos', minDays)))), msg, out);
  await load();
}
