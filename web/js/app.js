// app.js — boot, session, the shell (header + navigation by permission) and
// the hash router.  Each page is a module in pages/ exporting render(main, ctx).
import { h, clear, notice } from './dom.js';
import { get, del, setCsrf, setUnauthorizedHandler } from './api.js';

const ROUTES = [
  // [hash, title, permission, module, group, { menu: the menu's label, full: its hint }]
  ['inicio', 'Inicio', null, 'inicio', null],
  ['cabina', 'Cabina de inspección', 'inspections.create', 'cabina', 'Control migratorio'],
  ['secundaria', 'Segunda revisión', 'inspections.create', 'secundaria', 'Control migratorio'],
  ['personas', 'Personas', 'persons.read', 'personas', 'Control migratorio'],
  ['duplicados', 'Posibles duplicados', 'persons.read', 'duplicados', 'Control migratorio'],
  ['cotejo', 'Cotejo con las listas', 'screening.query', 'cotejo', 'Control migratorio'],
  ['movimientos', 'Movimientos del día', 'movements.read', 'movimientos', 'Control migratorio'],
  ['permanencia', 'Permanencia vencida', 'movements.read', 'permanencia', 'Control migratorio'],
  // the menu's own, shorter label: «Autorizaciones de menores» took two
  // lines in the menu at 1024 px (and in bold at 1366), which would need
  // 40 px of the content's width; the page's title keeps the full name
  ['menores', 'Autorizaciones de menores', 'minors.read', 'menores', 'Control migratorio', { menu: 'Salida de menores', full: 'Autorizaciones de salida de menores' }],
  ['apis', 'APIS y prechequeo', 'apis.read', 'apis', 'Control migratorio'],
  // «Multas a transportistas», «Restricciones judiciales» and «Documentos
  // extraviados o robados» took two lines too (the page's own entry, in
  // bold; the last in two even plain): a shorter label the same way
  ['multas', 'Multas a transportistas', 'carrier_fines.read', 'multas', 'Control migratorio', { menu: 'Multas a empresas', full: 'Multas a transportistas' }],
  ['multas-viajeros', 'Multas a viajeros', 'persons.read', 'multas-viajeros', 'Control migratorio'],
  ['remisiones', 'Remisiones', 'referrals.read', 'remisiones', 'Atención al Migrante'],
  ['restricciones', 'Restricciones judiciales', 'restrictions.read', 'restricciones', 'Secretaría General', { menu: 'Restricciones', full: 'Restricciones judiciales' }],
  ['bloqueadas', 'Salidas bloqueadas', 'restrictions.read', 'bloqueadas', 'Secretaría General'],
  ['alertas', 'Alertas migratorias', 'alerts.read', 'alertas', 'Secretaría General'],
  ['extraviados', 'Documentos extraviados o robados', 'lost_stolen.read', 'extraviados', 'Secretaría General', { menu: 'Extravío o robo', full: 'Documentos extraviados o robados' }],
  ['certificados', 'Certificaciones', 'certificates.read', 'certificados', 'Secretaría General'],
  // figures without names: Planificación, the UAIP, the Dirección
  ['estadisticas', 'Estadísticas', 'statistics.read', 'estadisticas', 'Estadística'],
  ['organizacion', 'Organigrama', 'org.read', 'organizacion', 'Institución'],
  ['manual', 'Manual de funciones', 'org.read', 'manual', 'Institución'],
  ['personal', 'Personal por unidad', 'org.read', 'personal', 'Institución'],
  ['usuarios', 'Usuarios', 'users.read', 'usuarios', 'Administración'],
  ['auditoria', 'Auditoría', 'audit.read', 'auditoria', 'Administración'],
  ['cuenta', 'Mi cuenta', null, 'cuenta', null],
];

const app = document.getElementById('app');
const state = { user: null, message: null };

export const ctx = {
  get user() { return state.user; },
  has(p) { return !p || (state.user && state.user.permissions.includes(p)); },
  go(hash) { if (location.hash === `#/${hash}`) route(); else location.hash = `#/${hash}`; },
  routes: ROUTES,
};

// Whether this browser signed in and has not signed out since.  The
// session cookie is HttpOnly (the page cannot see it), and asking the
// server at every load whether there is a session answered 401 to every
// officer who opens SIGM signed out - the browser logs each 401 in the
// console, where it stayed on every page after signing in.  A browser that
// never signed in (or signed out) goes straight to the form; one that did
// asks, and a 401 then means the session really expired.
const SIGNED_IN = 'sigm.sesion';
const signedInHere = {
  get() { try { return localStorage.getItem(SIGNED_IN) === '1'; } catch { return true; } },
  set(on) { try { if (on) localStorage.setItem(SIGNED_IN, '1'); else localStorage.removeItem(SIGNED_IN); } catch { /* storage off: always ask */ } },
};

setUnauthorizedHandler(() => {
  signedInHere.set(false);
  if (!state.user) return;
  state.user = null;
  state.message = 'Su sesión expiró. Inicie sesión de nuevo.';
  showLogin();
});

async function boot() {
  if (signedInHere.get()) {
    try {
      const s = await get('/api/v1/session');
      state.user = s.user;
      setCsrf(s.csrf_token);
    } catch (e) {
      state.user = null;
      // the session this browser had is over (expired, closed elsewhere):
      // said, rather than a bare form; asked no more until the next sign-in
      if (e.status === 401) {
        signedInHere.set(false);
        state.message = 'Su sesión expiró. Inicie sesión de nuevo.';
      }
    }
  }
  window.addEventListener('hashchange', route);
  route();
}

export function signedIn(session) {
  state.user = session.user;
  setCsrf(session.csrf_token);
  signedInHere.set(true);
  state.message = null;
  if (!location.hash || location.hash === '#/' || location.hash === '#/login') location.hash = '#/inicio';
  else route();
}

async function showLogin() {
  const m = await import('./pages/login.js');
  clear(app);
  m.render(app, { message: state.message, onSignedIn: signedIn });
}

async function signOut() {
  try { await del('/api/v1/session'); } catch { /* already gone */ }
  signedInHere.set(false);
  state.user = null;
  setCsrf('');
  state.message = 'Sesión cerrada.';
  location.hash = '#/login';
  showLogin();
}

function nav(current) {
  const items = [];
  let group;
  for (const [hash, title, perm, , grp, label] of ROUTES) {
    if (!ctx.has(perm)) continue;
    if (grp !== group && grp) items.push(h('div', { class: 'grupo' }, grp));
    group = grp;
    items.push(h('a', { href: `#/${hash}`, class: hash === current ? 'activo' : null, 'aria-current': hash === current ? 'page' : null, title: label?.full ?? null }, label?.menu ?? title));
  }
  return h('nav', { class: 'menu', 'aria-label': 'Navegación principal' }, items);
}

async function route() {
  if (!state.user) return showLogin();
  const hash = (location.hash.replace(/^#\/?/, '') || 'inicio').split('?')[0];
  const r = ROUTES.find((x) => x.hash === hash || x[0] === hash) || ROUTES[0];
  const [name, title, perm, mod] = r;
  const u = state.user;
  const main = h('main', { id: 'contenido', tabindex: '-1' });
  clear(app);
  app.append(h('div', { class: 'shell' },
    h('header', { class: 'barra' },
      h('img', { src: '/img/emblema.svg', alt: '' }),
      h('div', { class: 'titulo' },
        h('strong', {}, 'Dirección General de Migración y Extranjería'),
        h('span', {}, 'SIGM — Sistema Integrado de Gestión Migratoria')),
      h('div', { class: 'usuario' },
        h('strong', {}, u.display_name || u.username),
        h('span', {}, `${u.unit.name || u.unit.code} · ${u.roles.map((x) => x.name).join(', ')}`)),
      h('button', { type: 'button', onclick: signOut, id: 'salir' }, 'Cerrar sesión')),
    nav(name),
    main));
  document.title = `${title} — SIGM`;
  if (!ctx.has(perm)) {
    main.append(h('h1', {}, title), notice('error', 'Su rol no permite ver esta página.'));
    return;
  }
  try {
    const page = await import(`./pages/${mod}.js`);
    await page.render(main, ctx);
  } catch (e) {
    if (!state.user) return;
    main.append(notice('error', e.message || 'No se pudo cargar la página.'));
  }
}

boot();
