# Sourced by test.sh and bench.sh: throw-away PostgreSQL and Redis (Debian's packages) in
# a temporary folder, exported as DATABASE_URL and REDIS_URL, destroyed on exit. One line;
# the servers' own lines go to the caller's log (DP_LOG, steps.sh) when it has one.
. infra/scripts/steps.sh
bash infra/scripts/ensure-debian-packages.sh postgresql redis-server
free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
THROWAWAY_DIR="$(mktemp -d /tmp/distpriem-run.XXXXXX)"
destroy_throwaway_servers() {
  DATA_DIR="$THROWAWAY_DIR" bash infra/scripts/local-postgres.sh destroy >/dev/null 2>&1 || true
  DATA_DIR="$THROWAWAY_DIR" bash infra/scripts/local-redis.sh destroy >/dev/null 2>&1 || true
  rm -rf "$THROWAWAY_DIR"
}
trap destroy_throwaway_servers EXIT
say "Throw-away PostgreSQL and Redis for this run (in $THROWAWAY_DIR)"
quiet "Starting the throw-away PostgreSQL" env DATA_DIR="$THROWAWAY_DIR" PGPORT="$(free_port)" bash infra/scripts/local-postgres.sh start
quiet "Starting the throw-away Redis" env DATA_DIR="$THROWAWAY_DIR" REDIS_PORT="$(free_port)" bash infra/scripts/local-redis.sh start
DATABASE_URL="$(DATA_DIR="$THROWAWAY_DIR" bash infra/scripts/local-postgres.sh url)"
REDIS_URL="$(DATA_DIR="$THROWAWAY_DIR" bash infra/scripts/local-redis.sh url)"
export DATABASE_URL REDIS_URL
