/*
 * metrics.c - Prometheus text exposition: requests per route and status
 * class, latency histograms per route, and the store's timings (group
 * commits, their sizes, reads).  Counters are lock-free atomics: observing
 * a request costs a few atomic adds.
 */
#include "api/api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct route_stats {
	uint64_t by_class[6]; /* 0: other, 1xx..5xx */
	uint64_t hist[STORE_HIST_N];
	uint64_t us_total;
};

struct api_metrics {
	int nroutes;
	struct route_stats *r; /* nroutes + 1: the last is "other" */
};

struct api_metrics *api_metrics_new(int nroutes)
{
	struct api_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nroutes = nroutes;
	m->r = calloc((size_t)nroutes + 1, sizeof(*m->r));
	if (!m->r) {
		free(m);
		return NULL;
	}
	return m;
}

void api_metrics_free(struct api_metrics *m)
{
	if (!m)
		return;
	free(m->r);
	free(m);
}

void api_metrics_observe(struct api_metrics *m, int route, int status,
			 uint64_t us)
{
	if (!m)
		return;
	struct route_stats *s = &m->r[route >= 0 && route < m->nroutes ? route : m->nroutes];
	int cls = status / 100;
	if (cls < 1 || cls > 5)
		cls = 0;
	__atomic_fetch_add(&s->by_class[cls], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->us_total, us, __ATOMIC_RELAXED);
	double sec = (double)us / 1e6;
	int b = STORE_HIST_N - 1;
	for (int i = 0; i < STORE_HIST_N - 1; i++)
		if (sec <= store_hist_bounds_s[i]) {
			b = i;
			break;
		}
	__atomic_fetch_add(&s->hist[b], 1, __ATOMIC_RELAXED);
}

struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void bprintf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		if (b->oom)
			return;
		va_start(ap, fmt);
		int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return;
		}
		size_t nc = b->cap * 2 + (size_t)n + 1;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
}

static void hist(struct buf *b, const char *name, const char *labels,
		 const uint64_t *h, uint64_t us_total)
{
	uint64_t cum = 0;
	for (int i = 0; i < STORE_HIST_N; i++) {
		cum += __atomic_load_n(&h[i], __ATOMIC_RELAXED);
		if (i < STORE_HIST_N - 1)
			bprintf(b, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels,
				*labels ? "," : "", store_hist_bounds_s[i],
				(unsigned long long)cum);
		else
			bprintf(b, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name,
				labels, *labels ? "," : "", (unsigned long long)cum);
	}
	/* No labels: no braces ("x_sum 1.5", not "x_sum{} 1.5"). */
	const char *open = *labels ? "{" : "", *close = *labels ? "}" : "";
	bprintf(b, "%s_sum%s%s%s %.6f\n", name, open, labels, close,
		(double)us_total / 1e6);
	bprintf(b, "%s_count%s%s%s %llu\n", name, open, labels, close,
		(unsigned long long)cum);
}

char *api_metrics_render(struct api_ctx *ctx, size_t *len)
{
	struct buf b = {malloc(16384), 0, 16384, 0};
	struct api_metrics *m = ctx->metrics;
	if (!b.p)
		return NULL;
	bprintf(&b, "# HELP sigm_http_requests_total HTTP requests by route and status class.\n"
		    "# TYPE sigm_http_requests_total counter\n");
	for (int i = 0; i <= m->nroutes; i++) {
		const char *meth = i < m->nroutes ? api_routes[i].method : "ANY";
		const char *pat = i < m->nroutes ? api_routes[i].pattern : "other";
		for (int c = 1; c <= 5; c++) {
			uint64_t v = __atomic_load_n(&m->r[i].by_class[c], __ATOMIC_RELAXED);
			if (v)
				bprintf(&b, "sigm_http_requests_total{method=\"%s\",route=\"%s\",status=\"%dxx\"} %llu\n",
					meth, pat, c, (unsigned long long)v);
		}
	}
	bprintf(&b, "# HELP sigm_http_request_duration_seconds Latency per route.\n"
		    "# TYPE sigm_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= m->nroutes; i++) {
		uint64_t n = 0;
		for (int k = 0; k < STORE_HIST_N; k++)
			n += m->r[i].hist[k];
		if (!n)
			continue;
		char labels[300];
		snprintf(labels, sizeof(labels), "method=\"%s\",route=\"%s\"",
			 i < m->nroutes ? api_routes[i].method : "ANY",
			 i < m->nroutes ? api_routes[i].pattern : "other");
		hist(&b, "sigm_http_request_duration_seconds", labels,
		     m->r[i].hist, m->r[i].us_total);
	}
	/* this request is one of them */
	bprintf(&b,
		"# HELP sigm_http_requests_in_flight Requests between their first byte and the end of their answer.\n"
		"# TYPE sigm_http_requests_in_flight gauge\n"
		"sigm_http_requests_in_flight %d\n",
		api_inflight());
	struct store_stats st;
	store_get_stats(ctx->store, &st);
	bprintf(&b,
		"# HELP sigm_store_writes_total Writes handed to the writer thread.\n"
		"# TYPE sigm_store_writes_total counter\n"
		"sigm_store_writes_total %llu\n"
		"sigm_store_write_errors_total %llu\n"
		"# HELP sigm_store_commits_total Group commits (one fsync each).\n"
		"# TYPE sigm_store_commits_total counter\n"
		"sigm_store_commits_total %llu\n"
		"# TYPE sigm_store_batch_size_max gauge\n"
		"sigm_store_batch_size_max %llu\n"
		"# TYPE sigm_store_queries_total counter\n"
		"sigm_store_queries_total %llu\n"
		"sigm_store_query_errors_total %llu\n"
		"# HELP sigm_store_commit_seconds Duration of group commits.\n"
		"# TYPE sigm_store_commit_seconds histogram\n",
		(unsigned long long)st.writes, (unsigned long long)st.write_errors,
		(unsigned long long)st.batches,
		(unsigned long long)st.batch_size_max,
		(unsigned long long)st.queries,
		(unsigned long long)st.query_errors);
	hist(&b, "sigm_store_commit_seconds", "", st.commit_hist,
	     st.commit_us_total);
	bprintf(&b, "# TYPE sigm_store_query_seconds histogram\n");
	hist(&b, "sigm_store_query_seconds", "", st.query_hist,
	     st.query_us_total);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

/* /metrics takes metrics.read (routes.c): the counters say which routes
 * are used, how often and how they fail.  SIGM_METRICS_LOOPBACK=1 opens it
 * to callers on this host (a scraper beside a server with no proxy in
 * front, the benchmarks); behind the documented reverse proxy every request
 * comes from loopback, so that is not the default.  Asked by the pipeline
 * (server.c) before it authenticates. */
bool api_metrics_open_to(const struct api_req *req)
{
	const char *lo = getenv("SIGM_METRICS_LOOPBACK");
	return lo && !strcmp(lo, "1") &&
	       (!strncmp(req->remote, "127.", 4) || !strcmp(req->remote, "::1"));
}

void api_metrics_get(struct api_req *req, struct api_resp *resp);
void api_metrics_get(struct api_req *req, struct api_resp *resp)
{
	size_t len = 0;
	char *s = api_metrics_render(req->ctx, &len);
	if (!s) {
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	resp->status = 200;
	resp->body = s;
	resp->body_len = len;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void api_healthz(struct api_req *req, struct api_resp *resp);
void api_healthz(struct api_req *req, struct api_resp *resp)
{
	int64_t v = 0;
	struct sigm_error err;
	if (store_schema_version(req->ctx->store, &v, &err)) {
		api_json(resp, 503,
			 json_pack("{s:s, s:s}", "status", "unavailable",
				   "reason", "la base de datos no responde"));
		api_header(resp, "Retry-After", "1");
		return;
	}
	api_json(resp, 200,
		 json_pack("{s:s, s:I}", "status", "ok", "schema", (json_int_t)v));
}
