// usuarios.js — user administration (Informática).
import { h, notice, field, table, fmtDate, sendOnce, moreButton, latestRead } from '../dom.js';
import { get, post, qs } from '../api.js';
import { units } from './org-data.js';

export async function render(main, ctx) {
  const canWrite = ctx.has('users.write');
  const [roles, orgUnits] = await Promise.all([get('/api/v1/roles'), units()]);
  const roleName = Object.fromEntries(roles.map((r) => [r.code, r.name]));
  const msg = h('div');
  const listBox = h('div', { id: 'us-lista' });
  // the latest read wins: the list read after a user was created or
  // disabled came before the page's first read, which then drew the list
  // without the change under it (the two lists, one after the other)
  const read = latestRead(listBox);
  const row = (u) => h('tr', { 'data-user': u.username },
    h('td', {}, h('b', {}, u.username), h('br'), u.display_name),
    h('td', {}, u.unit),
    h('td', {}, u.roles.map((x) => roleName[x] || x).join(', ')),
    h('td', {}, u.disabled ? h('span', { class: 'etiqueta mal' }, 'Deshabilitado') : u.locked_until ? h('span', { class: 'etiqueta alerta' }, 'Bloqueado') : h('span', { class: 'etiqueta ok' }, 'Activo')),
    h('td', {}, u.last_login_at ? fmtDate(u.last_login_at) : '—'),
    canWrite ? h('td', {}, h('div', { class: 'acciones' },
      u.disabled || u.locked_until
        ? h('button', { type: 'button', class: 'sec', onclick: () => act(u.username, 'enable') }, 'Habilitar')
        : null,
      !u.disabled && u.username !== ctx.user.username
        ? h('button', { type: 'button', class: 'sec', onclick: () => act(u.username, 'disable') }, 'Deshabilitar')
        : null,
      h('button', { type: 'button', class: 'sec', onclick: () => resetPw(u.username) }, 'Nueva contraseña'))) : null);

  // a page at a time, «Ver más» adding the next to the same table
  async function load() {
    await read(() => get(`/api/v1/users${qs({ limit: 50 })}`), (r) => {
      const t = table(['Usuario', 'Unidad', 'Roles', 'Estado', 'Último acceso', ...(canWrite ? ['Acciones'] : [])], r.items.map(row));
      listBox.replaceChildren(t, h('div', { class: 'acciones' }, moreButton('us-mas', r.next_cursor, (cursor) => get(`/api/v1/users${qs({ limit: 50, cursor })}`),
        (p) => t.querySelector('tbody').append(...p.items.map(row)), (e) => msg.append(notice('error', e.message)))));
    }, (e) => msg.append(notice('error', e.message)));
  }
  async function act(username, what) {
    msg.replaceChildren();
    try {
      await post(`/api/v1/users/${encodeURIComponent(username)}/${what}`);
      msg.append(notice('ok', `Usuario ${username} ${what === 'enable' ? 'habilitado' : 'deshabilitado'}.`));
      load();
    } catch (e) { msg.append(notice('error', e.message)); }
  }
  async function resetPw(username) {
    const pw = window.prompt(`Nueva contraseña para ${username} (mínimo 10 caracteres):`);
    if (!pw) return;
    msg.replaceChildren();
    try {
      await post(`/api/v1/users/${encodeURIComponent(username)}/password`, { new_password: pw });
      msg.append(notice('ok', `Contraseña de ${username} restablecida.`));
    } catch (e) { msg.append(notice('error', e.message)); }
  }

  main.append(h('h1', {}, 'Usuarios'), h('p', { class: 'sub' }, 'Cuentas del personal, su unidad y sus roles. Toda modificación queda en la auditoría.'), msg);
  if (canWrite) {
    const f = {
      username: h('input', { id: 'nu-usuario', autocomplete: 'off', required: true }),
      display_name: h('input', { id: 'nu-nombre', required: true }),
      unit: h('select', { id: 'nu-unidad' }, orgUnits.map((u) => h('option', { value: u.code }, `${u.code} — ${u.name}`))),
      roles: h('select', { id: 'nu-roles', multiple: true, size: 5 }, roles.map((r) => h('option', { value: r.code }, r.name))),
      password: h('input', { id: 'nu-clave', type: 'password', autocomplete: 'new-password', required: true }),
    };
    const fmsg = h('div');
    const createBtn = h('button', { type: 'submit' }, 'Crear usuario');
    const form = h('form', { class: 'panel', id: 'form-usuario' },
      h('h2', {}, 'Nuevo usuario'),
      h('div', { class: 'fila' },
        h('div', {}, field('Usuario (minúsculas)', f.username)),
        h('div', {}, field('Nombre completo', f.display_name)),
        h('div', {}, field('Unidad', f.unit))),
      h('div', { class: 'fila' },
        h('div', {}, field('Roles (Ctrl+clic para varios)', f.roles)),
        h('div', {}, field('Contraseña inicial', f.password))),
      fmsg,
      h('div', { class: 'acciones' }, createBtn));
    // created once (a second click was refused as an existing user, said
    // over «creado»)
    form.addEventListener('submit', (ev) => { ev.preventDefault(); create(); });
    const create = sendOnce([createBtn], async () => {
      fmsg.replaceChildren();
      const body = {
        username: f.username.value.trim(), display_name: f.display_name.value.trim(), unit: f.unit.value,
        roles: Array.from(f.roles.selectedOptions).map((o) => o.value), password: f.password.value,
      };
      try {
        await post('/api/v1/users', body);
        fmsg.append(notice('ok', `Usuario ${body.username} creado.`));
        form.reset();
        load();
      } catch (e) {
        fmsg.append(notice('error', e.message));
        const map = { username: f.username, display_name: f.display_name, unit: f.unit, roles: f.roles, password: f.password };
        if (map[e.field]) map[e.field].focus();
      }
    });
    main.append(form);
  }
  main.append(h('h2', {}, 'Usuarios registrados'), listBox);
  await load();
}
