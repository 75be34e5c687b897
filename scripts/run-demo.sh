#!/usr/bin/env bash
# make run: start sigm on SQLite with demo data.
# The demo database lives in build/demo/ (override with SIGM_DB).  On its
# first run the admin password is generated and kept, readable by you only,
# in build/demo/credentials.txt, so every later `make run` can print it.
set -eu
bin=$1
demo=build/demo
mkdir -p "$demo"
db=${SIGM_DB:-$demo/sigm.db}
cred=$demo/credentials.txt
listen=${SIGM_LISTEN:-127.0.0.1:8080}

if [ ! -f "$db" ]; then
  umask 077
  # Any failure while setting up a fresh demo (or Ctrl-C) removes the
  # half-made database, so the next run starts over instead of serving it.
  log=$demo/load.log
  fail() {
    set +e
    printf '\nmake run: no se pudieron cargar los datos de demostración: %s\n' "$1" >&2
    [ -s "$log" ] && { printf -- '--- registro del servidor (%s) ---\n' "$log" >&2; tail -n 20 "$log" >&2; }
    [ -n "${spid:-}" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    rm -f "$db" "$db-wal" "$db-shm" "$db.auditkey" "$cred" "$demo/load.json"
    exit 1
  }
  trap 'fail "orden fallida en la línea $LINENO de $0"' ERR
  trap 'fail "interrumpido"' INT TERM
  rm -f "$log"
  pw="Demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf 'admin %s\n' "$pw" > "$cred"
  SIGM_DB=$db "$bin" migrate >/dev/null
  printf '%s\n' "$pw" | SIGM_DB=$db "$bin" user add admin --unit UIDT --role admin_ti --name "Administrador del sistema" --password-stdin >/dev/null
  # One officer per role, all with the same demo password, in their units.
  demo_pw="Turno-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  while IFS='|' read -r user unit role name; do
    printf '%s\n' "$demo_pw" | SIGM_DB=$db "$bin" user add "$user" --unit "$unit" --role "$role" --name "$name" --password-stdin >/dev/null
  done <<USERS
oficial|DCM|oficial_control|Oficial de control (demo)
supervisor|DCM|supervisor_control|Supervisora de control (demo)
secretaria|SG|secretaria_general|Secretaría General (demo)
pasaportes|DEP|pasaportes|Emisión de pasaportes (demo)
extranjeria|DEX|extranjeria|Extranjería (demo)
migrante|DAM|atencion_migrante|Atención al migrante (demo)
uaip|UAIP|uaip|Acceso a la información (demo)
planificacion|UPDI|planificacion|Planificación (demo)
direccion|DG|direccion|Dirección General (demo)
USERS
  printf 'demo-users %s\n' "$demo_pw" >> "$cred"
  # An airline's machine account (APIS by API token), tied to the code TA.
  printf '%s\n' "$demo_pw" | SIGM_DB=$db "$bin" user add aerolinea --unit DCM --role transportista --name "Aerolínea TA, envío de APIS (demo)" --password-stdin >/dev/null
  token=$(SIGM_DB=$db "$bin" token create --user aerolinea)
  # A bus company's account (prechequeo lists), tied to the code TICABUS.
  printf '%s\n' "$demo_pw" | SIGM_DB=$db "$bin" user add autobuses --unit DCM --role transportista --name "Tica Bus, listas de prechequeo (demo)" --password-stdin >/dev/null
  bus_token=$(SIGM_DB=$db "$bin" token create --user autobuses)

  # Demo data, through the API of a server of our own on a free loopback
  # port (never SQL behind its back: the audit chain records every write).
  printf 'Cargando datos de demostración…\n'
  SIGM_DB=$db SIGM_LISTEN=127.0.0.1:0 SIGM_ADMIN_PASSWORD=$pw "$bin" serve 2>"$log" >/dev/null &
  spid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.*"msg":"listening".*"port":\([0-9]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$port" ] && break
    kill -0 "$spid" 2>/dev/null || fail "el servidor terminó al arrancar"
    sleep 0.1
  done
  [ -n "$port" ] || fail "el servidor no empezó a escuchar en 10 s"
  SIGM_URL=http://127.0.0.1:$port SIGM_ADMIN_PASSWORD=$pw SIGM_DEMO_PASSWORD=$demo_pw SIGM_CARRIER_TOKEN=$token SIGM_BUS_TOKEN=$bus_token \
    node "$(dirname "$0")/demo-data.mjs" > "$demo/load.json" || fail "ver el error arriba"
  kill -TERM "$spid"
  wait "$spid" || fail "el servidor de carga no terminó limpiamente"
  spid=
  # shellcheck disable=SC2016  # JavaScript template literals, not shell
  node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`Datos de demostración cargados (${c.today}): ${c.inspections} inspecciones (${c.movements_today} movimientos` +
      ` en SAL, La Hachadura, El Amatillo y Acajutla), ${c.restrictions} restricciones judiciales, ${c.alerts} alertas,` +
      ` ${c.lost_stolen} pasaportes extraviados o robados, ${c.minor_authorizations} autorización de menor,` +
      ` ${c.carrier_fines} multa, ${c.certificates} certificación (${c.certificate}), ${c.apis_manifests} manifiesto APIS.`);
  ' "$demo/load.json"
  trap - ERR INT TERM
fi
# Not a fresh database: the admin already exists and its password is kept.
SIGM_ADMIN_PASSWORD=$(awk '$1=="admin"{print $2}' "$cred" 2>/dev/null || true)
export SIGM_ADMIN_PASSWORD
demo_pw=$(awk '$1=="demo-users"{print $2}' "$cred" 2>/dev/null || true)

cat <<MSG

  SIGM — Sistema Integrado de Gestión Migratoria (demo, SQLite: $db)

  URL:        http://$listen/
  Usuario:    admin
  Contraseña: ${SIGM_ADMIN_PASSWORD:-(ver $cred)}
  Usuarios de demostración (oficial, supervisor, secretaria, pasaportes,
  extranjeria, migrante, uaip, planificacion, direccion, aerolinea, autobuses): contraseña ${demo_pw:-(ver $cred)}
  (aerolinea: cuenta de transportista de APIS; token con
   SIGM_DB=$db $bin token create --user aerolinea)

  Ctrl-C detiene el servidor.

MSG
exec env SIGM_DB="$db" SIGM_LISTEN="$listen" "$bin" serve
