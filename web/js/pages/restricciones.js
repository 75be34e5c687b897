// restricciones.js — court restrictions (medidas cautelares): search by
// name, court, case or document; register; open one to see its history,
// grant exit permits and lift it.
import { h, notice, field, table, fmtDate, fmtDay, fieldError } from '../dom.js';
import { get, post, qs } from '../api.js';
import { subjectFields } from './subject.js';
import { csvPanel } from './csv.js';

const MEASURE = { exit_ban: 'Impedimento de salida', passport_retention: 'Retención de pasaporte', periodic_appearance: 'Presentación periódica', other: 'Otra medida' };
const CHANGE = { created: 'Registro', modified: 'Modificación', permit_granted: 'Permiso de salida', lifted: 'Cese' };

export async function render(main, ctx) {
  const canWrite = ctx.has('restrictions.write');
  // the countries by code, with their Spanish names (GET /api/v1/countries):
  // a permit's destination is said and typed as a code
  const countries = new Map();
  try { for (const c of (await get('/api/v1/countries')).countries) if (!c.icao || c.code === 'RKS') countries.set(c.code, c.name); } catch { /* codes alone */ }
  const countryName = (code) => (countries.has(code) ? `${countries.get(code)} (${code})` : code);
  // El Salvador is not a destination: a permit is to leave it
  const countryList = (id) => h('datalist', { id }, [...countries].filter(([c]) => c !== 'SLV').map(([c, n]) => h('option', { value: c }, n)));
  const msg = h('div');
  const detail = h('div', { id: 'detalle-restriccion' });
  const out = h('div');
  const s = { name: h('input', { id: 'rs-nombre', placeholder: 'Nombre o apellido' }), court: h('input', { id: 'rs-juzgado' }), case_number: h('input', { id: 'rs-causa' }), document_number: h('input', { id: 'rs-doc', class: 'mono' }),
    status: h('select', { id: 'rs-estado' }, h('option', { value: '' }, 'Todas'), h('option', { value: 'active' }, 'Vigentes'), h('option', { value: 'lifted' }, 'Levantadas')) };

  async function open(id) {
    msg.replaceChildren();
    const r = await get(`/api/v1/restrictions/${id}`);
    const subj = r.subject;
    // the destination is a country's three-letter code; the list of
    // countries suggests it by name
    const permit = { from: h('input', { type: 'date', id: 'rp-desde' }), to: h('input', { type: 'date', id: 'rp-hasta' }),
      destination: h('input', { id: 'rp-destino', class: 'mono', maxlength: 3, placeholder: 'p. ej. GTM', list: 'rp-paises', autocomplete: 'off', title: 'Código ISO 3166-1 de tres letras del país de destino' }),
      authorization: h('input', { id: 'rp-autorizacion' }) };
    const lift = h('input', { id: 'rl-orden' });
    // each form says its errors under itself, on its field, in Spanish
    const pmsg = h('div', { id: 'rp-resultado' });
    const lmsg = h('div', { id: 'rl-resultado' });
    const PERMIT = { from: [permit.from, 'Desde'], to: [permit.to, 'Hasta'], destination: [permit.destination, 'Destino'], authorization: [permit.authorization, 'Autorización del tribunal'] };
    const LIFT = { order_reference: [lift, 'Referencia de la orden del tribunal'] };
    const act = async (path, body, out, fields) => {
      pmsg.replaceChildren(); lmsg.replaceChildren();
      try { await post(path, body); await open(id); detail.prepend(notice('ok', 'Cambio registrado; la próxima inspección ya lo considera.')); } catch (e) { out.append(fieldError(e, fields)); }
    };
    const ban = r.measure === 'exit_ban';
    detail.replaceChildren(h('div', { class: 'panel' },
      h('h2', {}, `${MEASURE[r.measure] || r.measure} — ${r.court}`),
      h('p', { class: 'sub' }, `Causa ${r.case_number} · vigencia ${fmtDay(r.effective_from)} a ${r.effective_to ? fmtDay(r.effective_to) : 'indefinida'} · `, h('span', { class: `etiqueta ${r.status === 'active' ? 'mal' : 'ok'}` }, r.status === 'active' ? 'Vigente' : 'Levantada'), ` · versión ${r.version}`),
      h('p', {}, h('b', {}, 'Persona: '), `${subj.given_names || ''} ${subj.surnames || ''}`, subj.birth_date ? ` · nacimiento ${fmtDay(subj.birth_date)}` : '', subj.document_number ? ` · documento ${subj.document_number}` : '', subj.dui ? ` · DUI ${subj.dui}` : ''),
      // a permit lets a traveler out past an exit ban only: the booth
      // reads none on another measure, and the API refuses one there
      // (422 permit_needs_exit_ban); one recorded before is still listed
      ban || r.permits.length ? h('h3', {}, 'Permisos de salida') : null,
      ban || r.permits.length ? table(['Desde', 'Hasta', 'Destino', 'Autorización'], r.permits.map((p) => h('tr', {}, h('td', {}, fmtDay(p.valid_from)), h('td', {}, fmtDay(p.valid_to)), h('td', {}, countryName(p.destination)), h('td', {}, p.authorization)))) : null,
      h('h3', {}, 'Historial'),
      table(['Versión', 'Fecha', 'Usuario', 'Cambio'], r.history.map((v) => h('tr', {}, h('td', { class: 'num' }, v.version), h('td', {}, fmtDate(v.at)), h('td', {}, v.user), h('td', {}, CHANGE[v.change] || v.change)))),
      canWrite && r.status === 'active' ? h('div', {},
        ban ? h('h3', {}, 'Conceder permiso de salida') : null,
        ban ? h('div', { class: 'fila' }, h('div', {}, field('Desde', permit.from)), h('div', {}, field('Hasta', permit.to)), h('div', {}, field('Destino (código de país, 3 letras)', permit.destination)), h('div', {}, field('Autorización del tribunal', permit.authorization))) : null,
        ban ? countryList('rp-paises') : null,
        ban ? h('div', { class: 'acciones' }, h('button', { type: 'button', id: 'rp-conceder', onclick: () => act(`/api/v1/restrictions/${id}/permits`, { from: permit.from.value, to: permit.to.value, destination: permit.destination.value.trim().toUpperCase(), authorization: permit.authorization.value.trim() }, pmsg, PERMIT) }, 'Conceder permiso')) : null,
        pmsg,
        h('h3', {}, 'Levantar la restricción (cese)'),
        field('Referencia de la orden del tribunal', lift),
        h('div', { class: 'acciones' }, h('button', { type: 'button', class: 'peligro', id: 'rl-levantar', onclick: () => act(`/api/v1/restrictions/${id}/lift`, { order_reference: lift.value.trim() }, lmsg, LIFT) }, 'Levantar restricción')),
        lmsg) : null));
    detail.scrollIntoView({ behavior: 'smooth' });
  }
  async function search() {
    msg.replaceChildren();
    try {
      const q = Object.fromEntries(Object.entries(s).map(([k, el]) => [k, el.value.trim()]));
      const r = await get(`/api/v1/restrictions${qs({ ...q, limit: 100 })}`);
      out.replaceChildren(table(['Persona', 'Juzgado', 'Causa', 'Medida', 'Vigencia', 'Estado', ''], r.items.map((x) => h('tr', {},
        h('td', {}, `${x.given_names || ''} ${x.surnames || ''}`, h('br'), h('span', { class: 'mono' }, x.document_number || x.dui || '')), h('td', {}, x.court), h('td', {}, x.case_number), h('td', {}, MEASURE[x.measure] || x.measure),
        h('td', {}, `${fmtDay(x.effective_from)} a ${x.effective_to ? fmtDay(x.effective_to) : 'indefinida'}`), h('td', {}, h('span', { class: `etiqueta ${x.status === 'active' ? 'mal' : 'ok'}` }, x.status === 'active' ? 'Vigente' : 'Levantada')),
        h('td', {}, h('button', { type: 'button', class: 'sec', onclick: () => open(x.id).catch((e) => msg.append(notice('error', e.message))) }, 'Abrir'))))));
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  const sform = h('form', { class: 'panel' }, h('div', { class: 'fila' }, Object.entries({ name: 'Nombre', court: 'Juzgado', case_number: 'Causa', document_number: 'Documento o DUI', status: 'Estado' }).map(([k, t]) => h('div', {}, field(t, s[k])))),
    h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Buscar')));
  sform.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  main.append(h('h1', {}, 'Restricciones judiciales'), h('p', { class: 'sub' }, 'Medidas cautelares del órgano judicial y órdenes administrativas (Secretaría General). Cada cambio llega al control migratorio en la siguiente inspección.'), msg);
  if (canWrite) {
    const subj = subjectFields('rn');
    const f = { court: h('input', { id: 'rn-juzgado' }), case_number: h('input', { id: 'rn-causa' }), measure: h('select', { id: 'rn-medida' }, Object.entries(MEASURE).map(([k, t]) => h('option', { value: k }, t))),
      order_date: h('input', { id: 'rn-fecha-orden', type: 'date' }), effective_from: h('input', { id: 'rn-desde', type: 'date' }), effective_to: h('input', { id: 'rn-hasta', type: 'date' }), document_reference: h('input', { id: 'rn-oficio' }) };
    const fmsg = h('div');
    const form = h('form', { class: 'panel', id: 'form-restriccion' }, h('h2', {}, 'Registrar medida cautelar'),
      h('div', { class: 'fila' }, h('div', {}, field('Juzgado o tribunal', f.court)), h('div', {}, field('Número de causa', f.case_number)), h('div', {}, field('Medida', f.measure))),
      h('div', { class: 'fila' }, h('div', {}, field('Fecha de la orden', f.order_date)), h('div', {}, field('Vigente desde', f.effective_from)), h('div', {}, field('Vigente hasta (vacío: indefinida)', f.effective_to)), h('div', {}, field('Oficio / documento del tribunal', f.document_reference))),
      h('h3', {}, 'Persona'), subj.el, fmsg, h('div', { class: 'acciones' }, h('button', { type: 'submit' }, 'Registrar')));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      fmsg.replaceChildren();
      const body = { court: f.court.value.trim(), case_number: f.case_number.value.trim(), measure: f.measure.value, subject: subj.read(), effective_from: f.effective_from.value, effective_to: f.effective_to.value || null };
      if (f.order_date.value) body.order_date = f.order_date.value;
      if (f.document_reference.value.trim()) body.document_reference = f.document_reference.value.trim();
      try {
        const r = await post('/api/v1/restrictions', body);
        form.reset();
        fmsg.append(notice('ok', `Restricción n.º ${r.id} registrada.`));
        open(r.id);
      } catch (e) {
        fmsg.append(fieldError(e, { court: [f.court, 'Juzgado o tribunal'], case_number: [f.case_number, 'Número de causa'], measure: [f.measure, 'Medida'], order_date: [f.order_date, 'Fecha de la orden'],
          effective_from: [f.effective_from, 'Vigente desde'], effective_to: [f.effective_to, 'Vigente hasta'], document_reference: [f.document_reference, 'Oficio / documento del tribunal'], ...subj.errorFields('subject') }));
      }
    });
    main.append(form);
  }
  main.append(h('h2', {}, 'Buscar'), sform, out, detail,
    csvPanel({ id: 'csv-restricciones', title: 'Importar y exportar (CSV)', importPath: '/api/v1/restrictions/import', exportPath: '/api/v1/restrictions/export', canWrite, onImported: search,
      columns: ['court', 'case_number', 'measure', 'given_names', 'surnames', 'birth_date', 'sex', 'nationality', 'document_number', 'dui', 'order_date', 'effective_from', 'effective_to', 'document_reference'],
      required: ['court', 'case_number', 'measure', 'effective_from'] }));
  await search();
  // opened from a match («Cotejo con las listas», the reference of a
  // hit): that restriction, open (the link led to the page's top, the
  // restriction somewhere among the hundred below)
  const id = new URLSearchParams(location.hash.split('?')[1] || '').get('id');
  if (id) await open(id).catch((e) => msg.append(notice('error', e.message)));
}
