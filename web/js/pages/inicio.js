// inicio.js — the modules this user can open.
import { h } from '../dom.js';

const DESC = {
  cabina: 'Lectura del documento y decisión inmediata en la ventanilla.',
  secundaria: 'Casos remitidos a segunda revisión en su delegación.',
  cotejo: 'Un nombre o una lista contra restricciones, alertas y documentos reportados.',
  apis: 'Manifiestos de pasajeros, prechequeo de vuelos y buses, cumplimiento de transportistas.',
  certificados: 'Certificaciones de movimientos y de restricciones, con código de verificación.',
  personas: 'Historial de documentos, inspecciones y movimientos.',
  remisiones: 'Personas remitidas a Atención al Migrante desde los puestos: recibirlas y cerrar cada caso.',
  duplicados: 'Registros que podrían ser la misma persona, para que un supervisor decida.',
  'multas-viajeros': 'Multas por permanencia excedida: cobradas y pendientes de cobro.',
  movimientos: 'Entradas y salidas por delegación y día.',
  permanencia: 'Extranjeros con la permanencia autorizada vencida.',
  menores: 'Autorizaciones de salida de niñas, niños y adolescentes (LEPINA).',
  multas: 'Multas impuestas a empresas de transporte y su cobro.',
  restricciones: 'Medidas cautelares: registro, permisos de salida y ceses.',
  bloqueadas: 'Intentos de salida con restricción vigente, por juzgado.',
  alertas: 'Alertas migratorias vigentes.',
  extraviados: 'Pasaportes y documentos reportados.',
  estadisticas: 'Entradas y salidas de cada mes por delegación, sentido y forma de autorización.',
  organizacion: 'Estructura organizativa de la DGME.',
  manual: 'Funciones de cada unidad, con búsqueda.',
  personal: 'Personal por unidad y sexo.',
  usuarios: 'Cuentas, roles y accesos.',
  auditoria: 'Quién hizo qué, cuándo y desde dónde.',
  cuenta: 'Cambiar su contraseña.',
};

export function render(main, ctx) {
  const u = ctx.user;
  main.append(
    h('h1', {}, `Bienvenido(a), ${u.display_name || u.username}`),
    h('p', { class: 'sub' }, `${u.unit.name || u.unit.code} — ${u.roles.map((r) => r.name).join(', ')}`),
    h('div', { class: 'tarjetas' },
      ctx.routes.filter(([hash, , perm]) => hash !== 'inicio' && ctx.has(perm)).map(([hash, title]) =>
        h('a', { class: 'tarjeta', href: `#/${hash}` }, h('strong', {}, title), h('span', {}, DESC[hash] || '')))));
}
