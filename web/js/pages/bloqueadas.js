// bloqueadas.js — the daily report of attempts to leave under an active
// restriction, by court and case, for the Secretaría General to inform the
// courts.
import { h, notice, field, table, fmtDate, fmtTime, count, localDay, fmtDay, sendOnce, latestRead, keepTyped } from '../dom.js';
import { get, post, qs } from '../api.js';
import { portNames, portName } from '../labels.js';

export async function render(main, ctx) {
  const canWrite = ctx && ctx.has('restrictions.write');
  const day = h('input', { id: 'bl-dia', type: 'date', value: localDay() });
  const posts = await portNames();
  // the latest read wins (a day chosen while the last one's report comes),
  // and a court's reference being typed stays when the report is read again
  const out = h('div', { id: 'bl-informe' });
  const read = latestRead(out);
  const msg = h('div');
  const csv = h('a', { class: 'boton sec', id: 'bl-csv', download: '' }, 'Descargar CSV');
  const pdf = h('a', { class: 'boton sec', id: 'bl-pdf', target: '_blank', rel: 'noopener' }, 'Informe para los juzgados (PDF)');
  async function load() {
    msg.replaceChildren();
    let seen = 0;
    // the files hold what this list shows (seen_through, as «Marcar»
    // sends it): opened later, they held an attempt stored since, which
    // reached the court yet stayed «Pendiente» and went to it again.  No
    // link until the list is drawn: it has no value to carry before.
    // Then it is the drawn list's (its day, its newest record), set with
    // it: taken off when a reload began, the link was missing under a
    // list still shown (a change of day fired twice, the second reload
    // under way), and a click then opened nothing.
    const files = (v, d) => {
      for (const [a, format] of [[csv, 'csv'], [pdf, 'pdf']])
        a.href = `/api/v1/blocked-exits${qs({ date: d, format, seen_through: v })}`;
    };
    await read(() => get(`/api/v1/blocked-exits${qs({ day: day.value })}`), (r) => { seen = Math.max(0, ...r.courts.flatMap((c) => c.cases.flatMap((k) => k.attempts.flatMap((a) => a.ids)))); files(seen, r.day); keepTyped(out, () => out.replaceChildren(
      // an attempt is a person refused at a post: the passport swiped
      // again within 5 minutes (a double swipe, a retry) is the same one
      h('p', { class: 'sub' }, `${count(r.total, 'intento', 'intentos')} de salida el ${fmtDay(r.day)}.${r.reads > r.total ? ` Las lecturas repetidas del documento en la misma delegación en 5 minutos cuentan como un intento (${count(r.reads, 'lectura', 'lecturas')} en total).` : ''}`),
      ...(canWrite ? previousDay(r) : []),
      ...r.courts.map((c) => {
        const pending = c.cases.some((k) => k.attempts.some((a) => !a.informed_at));
        // reads that joined an attempt after the court was told of it:
        // marked by the day's informing when an attempt is pending, or by
        // the next day's; a next day with no attempt of this court offers
        // none, so they are offered here alone (later_reads_only: never an
        // attempt stored since this screen was read)
        const later = c.cases.reduce((n, k) => n + k.attempts.reduce((m, a) => m + (a.informed_at ? a.reads - a.informed_reads : 0), 0), 0);
        const ref = h('input', { placeholder: 'Oficio de remisión (opcional)', class: 'informe-ref', dataset: { key: c.court } });
        const btn = pending
          ? h('button', { type: 'button', class: 'sec marcar-informado' }, 'Marcar como informado al juzgado')
          : h('button', { type: 'button', class: 'sec informar-posterior' }, later === 1 ? 'Informar lectura posterior' : 'Informar lecturas posteriores');
        // seen_through: the newest record this list showed.  The day runs
        // on at the posts while the report goes to the court: an attempt
        // stored since stays «Pendiente», not marked as if it had been sent
        btn.addEventListener('click', sendOnce([btn], async () => {
          try {
            const x = await post('/api/v1/blocked-exits/informed', { date: day.value, court: c.court, seen_through: seen, ...(pending ? {} : { later_reads_only: true }), ...(ref.value.trim() ? { reference: ref.value.trim() } : {}) });
            await load();
            if (x.left_pending) msg.append(notice('info', x.left_pending === 1 ? `Llegó un intento nuevo de ${c.court} después de leer la lista: no se marcó como informado. Aparece abajo como «Pendiente»; inclúyalo en un informe al juzgado.`
              : `Llegaron ${x.left_pending} intentos nuevos de ${c.court} después de leer la lista: no se marcaron como informados. Aparecen abajo como «Pendiente»; inclúyalos en un informe al juzgado.`));
          } catch (e) { msg.append(notice('error', e.message)); }
        }));
        return h('div', { class: 'panel', dataset: { juzgado: c.court } }, h('h2', {}, c.court),
          canWrite && !pending && later ? h('p', { class: 'sub' }, later === 1 ? 'Una lectura del documento llegó después del informe: es de un intento del que el juzgado ya fue informado, no un intento nuevo.'
            : `${count(later, 'lectura', 'lecturas')} del documento llegaron después del informe: son de intentos de los que el juzgado ya fue informado, no intentos nuevos.`) : null,
          canWrite && (pending || later) ? h('div', { class: 'fila' }, h('div', {}, ref), h('div', {}, btn)) : null,
          ...c.cases.map((k) => h('div', {}, h('h3', {}, `Causa ${k.case_number} (restricción ${k.restriction_id})`),
            table(['Hora', 'Delegación', 'Persona', 'Nacimiento', 'Informado'], k.attempts.map((a) => h('tr', {}, h('td', {}, fmtDate(a.at), a.reads > 1 ? h('small', { class: 'lecturas' }, ` (${a.reads} lecturas; la última a las ${fmtTime(a.last_at)})`) : null), h('td', { title: a.port }, portName(posts, a.port)), h('td', {}, `${a.given_names || ''} ${a.surnames || ''}`), h('td', {}, fmtDay(a.birth_date)),
              // told once, told: a read that joined the attempt after
              // (a retry, the 00:01 read of a day informed at 23:59:30)
              // said beside the date, not made «Pendiente» again
              h('td', {}, a.informed_at ? h('span', { class: 'etiqueta ok' }, fmtDate(a.informed_at)) : h('span', { class: 'etiqueta alerta' }, 'Pendiente'),
                a.informed_at && a.informed_reads < a.reads ? h('small', { class: 'posteriores' }, ` (${count(a.reads - a.informed_reads, 'lectura posterior al informe', 'lecturas posteriores al informe')})`) : null)))))));
      }))); }, (e) => msg.append(notice('error', e.message)));
  }
  // The 00:01 read of a double swipe begun at 23:59 is the day before's
  // attempt, and that day's screen marks it («Informar lectura
  // posterior»); this day's list has nothing of it, so without a word here
  // the officer working through this day never learns it waits.  A court
  // with a button on this day needs none: either button marks it too.
  function previousDay(r) {
    const byCourt = new Map();
    for (const l of r.later_reads_of_previous_day || []) {
      const c = r.courts.find((x) => x.court === l.court);
      const own = c && c.cases.some((k) => k.attempts.some((a) => !a.informed_at || a.informed_reads < a.reads));
      if (!own) byCourt.set(l.court, { date: l.date, reads: (byCourt.get(l.court)?.reads || 0) + l.reads });
    }
    return [...byCourt].map(([court, l]) => {
      const open = h('button', { type: 'button', class: 'sec abrir-dia-anterior' }, `Abrir el ${fmtDay(l.date)}`);
      open.addEventListener('click', () => { day.value = l.date; load(); });
      return h('div', { class: 'aviso info lecturas-dia-anterior', role: 'status' },
        l.reads === 1 ? `1 lectura de este día pertenece a un intento del ${fmtDay(l.date)} ya informado al ${court}: márquela desde ese día con «Informar lectura posterior». `
          : `${count(l.reads, 'lectura', 'lecturas')} de este día pertenecen a intentos del ${fmtDay(l.date)} ya informados al ${court}: márquelas desde ese día con «Informar lecturas posteriores». `, open);
    });
  }
  day.addEventListener('change', load);
  main.append(h('h1', {}, 'Salidas bloqueadas'), h('p', { class: 'sub' }, 'Intentos de salir del país con una restricción vigente, agrupados por juzgado y causa.'),
    h('div', { class: 'panel' }, field('Día', day), h('div', { class: 'acciones' }, csv, pdf)), msg, out);
  await load();
}
