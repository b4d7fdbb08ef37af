"""The request pipeline of the public GraphQL endpoint, one module per step.

``cms.graphql.view.PublicGraphQLView`` runs them in this order; each step
refuses a request with ``RequestRejected`` (an HTTP status and one coded
error) or a GraphQL request error, or hands its result to the next:

1. transport (``transport``): method, POST media type, rate limit on
   requests, then the parameters: headers, body or query string, JSON shape,
   valid Unicode. The response media type follows ``Accept`` (``negotiate``).
2. persisted lookup (``lookup``): the query text by id (operation files,
   Apollo APQ), its sha256, the safelist, the size of the text.
3. response cache (``caching``): the content generation, the key, a hit.
4. parse and validate (``document``): the parsed and validated document
   (cached by text; the limit rules run inside validation), then the
   operation and its rules (subscriptions, mutations, safelist).
5. limits and cost (``limits``): the cost estimate with the variables, and
   the rate limit on cost; an APQ registers only after this step.
6. execute (``execute``): variables coerced, then execution under the
   request's deadline and visibility snapshot, internal errors masked.
7. cache store (``caching.store``): an error-free cacheable body.

Between 1 and 2, ``recall``: a request whose bytes this process read before
goes from its raw parameters straight to step 3 with the key they led to;
only a hit is answered there, a miss goes on through 1 to 7.

``responses`` writes the HTTP responses: media type, status of a request
error, ``Cache-Control``, ETag and 304, security headers.
"""
