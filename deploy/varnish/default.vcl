# The reference edge configuration: Varnish 7 with xkey (varnish-modules)
# in front of the content service. docs/edge-caching.md explains it; the
# edge tests (edge/tests/test_varnish.py) run it, with only the backend's
# address changed.
#
# - Caches what the service marks cacheable: GET/HEAD answers that carry
#   Surrogate-Control. Their lifetime comes from it (max-age), and grace
#   from stale-if-error: a stale copy is served while it is refetched, and
#   while the backend fails.
# - Never caches a request with a preview token, a cookie or an
#   Authorization header, nor a response that sets a cookie.
# - Purges by tag: PURGE with an "xkey-purge: tag1 tag2 ..." header, from
#   the purgers ACL only (the worker's EDGE_VARNISH_URLS).
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 15s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "An xkey-purge header is required"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Drafts, signed-in editors and API keys: never from or into the cache.
    if (req.http.X-Preview-Token || req.http.Authorization || req.http.Cookie) {
        return (pass);
    }
    # A preview token passed in the query string or the variables.
    if (req.url ~ "(?i)(preview|token)") {
        return (pass);
    }
    return (hash);
}

sub vcl_pass {
    set req.http.X-Cache-Pass = "1";
}

sub vcl_backend_response {
    # Only what the service tags for the edge is kept, and never a cookie.
    if (beresp.http.Set-Cookie
        || !beresp.http.Surrogate-Control
        || beresp.http.Surrogate-Control ~ "(?i)no-store") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch) {
            return (abandon);  # keep serving the stale copy (stale-if-error)
        }
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    set beresp.ttl = std.duration(
        regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1s"),
        0s);
    if (beresp.http.Surrogate-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Surrogate-Control,
                   "^.*stale-if-error=([0-9]+).*$", "\1s"),
            0s);
    }
    # xkey indexes the object under each space-separated tag.
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    return (deliver);
}

sub vcl_deliver {
    # For the edge only: browsers follow Cache-Control.
    unset resp.http.Surrogate-Control;
    unset resp.http.xkey;
    if (req.http.X-Cache-Pass) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
